// Issue 18, "Done when": short signal windows and cut connections, and the browser never says
// "offline" or "online". Four phones file their requests one by one while the link is dead (each
// filing starts a sync that fails, as the app's notifyQueued does), then the link comes and goes:
// up 3 s, down 5 s, with a quarter of the connections cut (before the server commits, or after,
// losing the answer). The phones are driven only by app start and their own retry timer, with the
// production retry policy: no `online` event ever. Every request must arrive exactly once, byte
// for byte, and every phone must show every request as sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DEFAULT_BACKOFF } from '../../core/backoff.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { freePort } from '../support/server-process.ts';
import { createSimDevice, type SimDevice } from '../support/sim-device.ts';
import type { WeakLinkProfile } from '../support/weak-link/profiles.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';
import { chaosSeed, checkDevices, checkServerHoldings, deriveSeed, queuedOn, readSqliteHoldings, RestartableServer, sleep } from './chaos-harness.ts';

const SEED = chaosSeed(20_261_207);
const DEVICES = 4;
const ITEMS_PER_DEVICE = 20;
/** Dead for this long after the filing, before the first window. */
const DEAD_MS = 6_000;
/**
 * Slow enough that a window is a few round trips and some KB, short enough for a test: the
 * probe cadence is production's (2–3 s after the link answered), so are the windows' proportions.
 */
const SHORT_WINDOWS: WeakLinkProfile = Object.freeze({
  name: 'short-windows',
  rttMs: 300,
  downBps: 128_000,
  upBps: 64_000,
  cycle: { upMs: 3_000, downMs: 5_000 },
});
const CUT_BEFORE_COMMIT = 0.12;
const CUT_AFTER_COMMIT = 0.12;
/** Generous: on a loaded machine runs drained 106 s and 186 s after the first window; the old backoff sleeps up to 5 min. */
const DRAIN_DEADLINE_MS = 280_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

it(`delivers ${DEVICES}×${ITEMS_PER_DEVICE} requests exactly once through 3-second windows and cut connections, with no online event`, { timeout: 420_000 }, async () => {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-chaos-windows-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = new RestartableServer('sqlite', await freePort(), dataDir);
  await server.start();
  cleanups.push(() => server.stop());

  const proxies: WeakLinkProxy[] = [];
  const devices: SimDevice[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const proxy = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port }, profile: SHORT_WINDOWS, seed: deriveSeed(SEED, 1, i) });
    cleanups.push(() => proxy.close());
    // Any request, the probe included, may be cut: a quarter of the connections in all.
    proxy.injectFault({ kind: 'reset-before-commit', probability: CUT_BEFORE_COMMIT });
    proxy.injectFault({ kind: 'reset-after-commit', probability: CUT_AFTER_COMMIT });
    proxy.setOnline(false);
    proxies.push(proxy);
    devices.push(
      await createSimDevice({ name: `hp-${i + 1}`, baseUrl: proxy.url, seed: deriveSeed(SEED, 2, i), backoff: DEFAULT_BACKOFF, timeoutMs: 10_000 }),
    );
  }
  for (const d of devices) cleanups.push(() => d.close());

  // Filed one by one on a dead link; each filing's sync fails.
  const perDevice: SubmissionEnvelope[][] = await Promise.all(
    devices.map(async (device) => {
      const filed: SubmissionEnvelope[] = [];
      for (let k = 0; k < ITEMS_PER_DEVICE; k++) {
        filed.push(...(await device.queue(1)));
        expect((await device.sync('queued')).outcome).toBe('offline');
      }
      return filed;
    }),
  );
  const queued = await queuedOn(devices, perDevice);

  // The link stays dead a while, then the windows begin (the cycle restarts in its up phase).
  const windowsFrom = Date.now() + DEAD_MS;
  const opener = (async () => {
    await sleep(DEAD_MS);
    for (const proxy of proxies) {
      proxy.setProfile(SHORT_WINDOWS);
      proxy.setOnline(true);
    }
  })();
  // Each phone: app start once, then only its own timer (syncUntilDrained waits out nextAttemptAt).
  const drains = await Promise.all(devices.map((d) => d.syncUntilDrained({ deadlineMs: DRAIN_DEADLINE_MS })));
  await opener;
  const drainedAfterMs = Date.now() - windowsFrom;

  await server.stop();
  const held = readSqliteHoldings(dataDir);
  const cuts = proxies.reduce((n, p) => n + p.stats().faults['reset-before-commit'] + p.stats().faults['reset-after-commit'], 0);
  const requests = proxies.reduce((n, p) => n + p.stats().requests, 0);
  const reasons = new Set(devices.flatMap((d) => d.reports.map((r) => r.reason)));
  const duplicates = devices.reduce((n, d) => n + d.totals().duplicate, 0);
  console.log(
    `[chaos short windows] seed ${SEED} (replay: CHAOS_SEED=${SEED}); ${queued.size} queued, ${held.total} stored; ` +
      `drained ${(drainedAfterMs / 1000).toFixed(1)} s after the first window (${Math.ceil(drainedAfterMs / 8_000)} cycles of 8 s); ` +
      `requests ${requests}, cut ${cuts}, answered duplicate ${duplicates}; sync runs ${devices.map((d) => d.reports.length).join('/')}; ` +
      `reasons ${[...reasons].join(', ')}; ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
  );

  expect(drains.map((d, i) => `${devices[i]?.name}: ${d.drained ? 'drained' : `NOT drained ${JSON.stringify(d.counts)} ${d.last?.error ?? ''}`}`)).toEqual(
    devices.map((d) => `${d.name}: drained`),
  );
  expect(checkServerHoldings(queued, held)).toEqual([]);
  expect(held.total).toBe(DEVICES * ITEMS_PER_DEVICE);
  expect(await checkDevices(devices, queued, held)).toEqual([]);
  // Nothing told the phones the link was back.
  expect(reasons.has('online')).toBe(false);
  // The run really cut connections.
  expect(cuts).toBeGreaterThan(0);
});
