// Exactly once, whatever the network and the server do (invariants 2, 3, 4): six phones, each
// with a backlog of 150 requests, sync at once through their own weak links to the real server
// on SQLite. The links reset requests before and after the server commits, answer 503, stall
// answers past the phones' timeout and go down in outage windows; the server is SIGKILLed twice
// in the middle of pushes and restarted on the same port and data directory. Afterwards the
// SQLite file must hold every request exactly once, byte for byte as queued, and every phone
// must show every request as sent with the server's original receipt time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { answerRequest, freePort } from '../support/server-process.ts';
import { createSimDevice, type SimDevice } from '../support/sim-device.ts';
import type { FaultKind } from '../support/weak-link/faults.ts';
import { createPrng } from '../support/weak-link/prng.ts';
import {
  answerSome,
  between,
  calmLinks,
  chaosSeed,
  checkDevices,
  checkServerHoldings,
  CLIENT_TIMEOUT_MS,
  createChaosDriver,
  deriveSeed,
  linkTotals,
  planOutages,
  printFigures,
  readSqliteHoldings,
  queuedOn,
  RestartableServer,
  settle,
  startChaosLink,
  type ChaosLink,
  type FaultMix,
  type PlannedToggle,
} from './chaos-harness.ts';

const SEED = chaosSeed(20_261_203);
const DEVICES = 6;
const ITEMS_PER_DEVICE = 150;
const DRAIN_DEADLINE_MS = 60_000;
/** On top of the draws, each phone's link surely gets one of these, so every kind happens. */
const SCRIPTED: readonly { kind: FaultKind; atPush: number }[] = [
  { kind: 'reset-after-commit', atPush: 2 },
  { kind: 'stall', atPush: 2 },
  { kind: 'reset-before-commit', atPush: 2 },
  { kind: '5xx', atPush: 2 },
  { kind: 'reset-after-commit', atPush: 4 },
  { kind: 'stall', atPush: 4 },
];
const FAULTS: FaultMix = { resetBeforeCommit: 0.07, resetAfterCommit: 0.1, serverError: 0.07, stall: 0.05 };

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

it(`stores ${DEVICES}×${ITEMS_PER_DEVICE} submissions exactly once through resets, 503s, stalls, outages and SIGKILLs`, async () => {
  const started = Date.now();
  const plan = createPrng(deriveSeed(SEED, 0));
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-chaos-sqlite-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  // A fixed port for the whole run: the links point at it and the server comes back on it.
  const server = new RestartableServer('sqlite', await freePort(), dataDir);
  await server.start();
  cleanups.push(() => server.stop());

  const links: ChaosLink[] = [];
  // Two kills, armed at seeded pushes early enough that the run is surely still going (a calm
  // run makes ~60 pushes), each fired a few ms after the server took in a push.
  const kills = [between(plan, 4, 15), between(plan, 20, 35)].map((atPush) => ({
    server,
    atPush,
    delayMs: between(plan, 0, 8),
    downMs: between(plan, 200, 800),
  }));
  const toggles: PlannedToggle[] = [];
  const driver = createChaosDriver({ kills, toggles, links: () => links });

  const devices: SimDevice[] = [];
  let outageWindows = 0;
  for (let i = 0; i < DEVICES; i++) {
    const name = `hp-${i + 1}`;
    // Every third phone's link freezes during outages instead of resetting, so a request can
    // hang past the client timeout and reach the server after the phone gave up on it.
    const link = await startChaosLink({
      label: name,
      server,
      seed: deriveSeed(SEED, 1, i),
      faults: FAULTS,
      scripted: SCRIPTED.filter((_, k) => k === i % SCRIPTED.length),
      whenOffline: i % 3 === 2 ? 'hang' : 'reset',
      onPush: (label) => driver.onPush(label),
    });
    links.push(link);
    cleanups.push(() => link.proxy.close());
    const windows = planOutages(plan, 2, 8_000, 300, i % 3 === 2 ? CLIENT_TIMEOUT_MS + 1_000 : 1_500);
    outageWindows += windows.length;
    link.proxy.scheduleOutages(windows);
    if (i < 2) toggles.push({ link, atMs: between(plan, 200, 2_500), offMs: between(plan, 300, 1_500) });
    devices.push(await createSimDevice({ name, baseUrl: link.proxy.url, seed: deriveSeed(SEED, 2, i), timeoutMs: CLIENT_TIMEOUT_MS }));
  }
  for (const d of devices) cleanups.push(() => d.close());

  const perDevice: SubmissionEnvelope[][] = await Promise.all(devices.map((d) => d.queue(ITEMS_PER_DEVICE)));
  const queued = await queuedOn(devices, perDevice);
  expect(queued.size).toBe(DEVICES * ITEMS_PER_DEVICE);

  driver.start();
  const drains = await Promise.all(devices.map((d) => d.syncUntilDrained({ deadlineMs: DRAIN_DEADLINE_MS })));
  const chaos = await driver.finish();
  expect(server.running).toBe(true);

  // The storm is over: a calm sync per phone pulls the statuses and must find nothing to push.
  calmLinks(links);
  // The office answers a few before it: the calm sync must bring those answers down.
  const answered = await answerSome(queued, 3, (id, status, text) => answerRequest(dataDir, id, status, text));
  const settles = await settle(devices);

  await server.stop();
  const held = readSqliteHoldings(dataDir);
  printFigures({
    label: 'sqlite',
    seed: SEED,
    submissions: queued.size,
    stored: held.total,
    devices,
    links,
    servers: [server],
    outageWindows,
    toggles: chaos.togglesFired,
    elapsedMs: Date.now() - started,
  });

  if (drains.some((d) => !d.drained)) console.log(`server log (tail):\n${server.output().split('\n').slice(-40).join('\n')}`);
  expect(drains.map((d, i) => `${devices[i]?.name}: ${d.drained ? 'drained' : `NOT drained ${JSON.stringify(d.counts)} ${d.last?.error ?? ''}`}`)).toEqual(
    devices.map((d) => `${d.name}: drained`),
  );
  expect(settles).toEqual(devices.map(() => ['ok', 0]));
  expect(checkServerHoldings(queued, held, answered)).toEqual([]);
  expect(held.total).toBe(DEVICES * ITEMS_PER_DEVICE);
  expect(await checkDevices(devices, queued, held, answered)).toEqual([]);

  // The run must really have shaken things; otherwise a passing result proves little.
  const totals = linkTotals(links);
  for (const [kind, n] of Object.entries(totals.faults)) expect(n, `${kind} faults injected`).toBeGreaterThan(0);
  expect(chaos.killsFired, 'server kills').toBe(kills.length);
  expect(server.restarts).toBe(kills.length);
  expect(chaos.togglesFired).toBe(toggles.length);
  const cut = server.pushesCutByKills.reduce((n, c) => n + c, 0);
  expect(cut, 'pushes in progress when the server was killed').toBeGreaterThan(0);
  const duplicates = devices.reduce((n, d) => n + d.totals().duplicate, 0);
  expect(duplicates, 'retries of committed batches answered as duplicates').toBeGreaterThan(0);
});
