// The short-window case of `npm run bench:sync` (issue #18): links that come and go while the
// phone never hears `online`. On the islands a phone often shows a bar and stays "online" while
// the link is up for a few seconds at a time and drops connections; the browser fires no event,
// requests simply fail. Here the engine must find the windows itself: it is driven only by the
// app's own triggers (each filing's `queued` sync, then its retry timer), never by the link's
// return.
//
// Two cases, each with its own server, proxy and phone:
// - N PPID requests filed while the link is dead, dead for a while more, then short windows with
//   a share of the connections cut (before the server commits, or after, losing the answer):
//   in which window is the last one acknowledged, and is anything stored twice;
// - the same after an hour with no signal at all (run on a virtual clock: the engine's `now` jumps
//   to each retry it schedules, the proxy refuses every connection), then the windows begin in
//   real time: what the hour cost in connection attempts and bytes, and whether the first window
//   is used.
// It reports; it never fails a target. Run alone: node --import tsx bench/sync-windows.ts [--quick].
import 'fake-indexeddb/auto';
import './support/bench-kek.ts';
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { FormData } from '../core/forms/definition.ts';
import type { SyncReport } from '../src/sync/engine.ts';
import { countSubmissions } from '../tests/support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process.ts';
import { PROFILES, transmitMs, type WeakLinkProfile } from '../tests/support/weak-link/profiles.ts';
import { startWeakLinkProxy, type WeakLinkProxy, type WeakLinkStats } from '../tests/support/weak-link/proxy.ts';
import { benchArgs } from './support/args.ts';
import { cleanupAll, onCleanup } from './support/cleanup.ts';
import { deviceWithQueue, engineFor, type Device } from './support/device.ts';
import { createRng, ppidAnswers } from './support/ppid-payloads.ts';
import { fmtBytes, fmtInt, fmtMs, fmtRatio, machineLoad, mark, printTable } from './support/report.ts';

/** A link of short windows, and the share of its connections cut. */
export interface WindowProfile {
  profile: WeakLinkProfile & { cycle: { upMs: number; downMs: number } };
  /** Share of requests whose connection is cut, half before the server commits, half after. */
  cut: number;
}

/** Slower than pulau-2g (RTT 1.3 s, 32 kbit/s up), up ≤ 10 s at a time, 20–30% of connections cut. */
export const WINDOW_PROFILES: Readonly<Record<string, WindowProfile>> = Object.freeze({
  'pulau-sela-8': { profile: { name: 'pulau-sela-8', rttMs: 1_400, downBps: 28_000, upBps: 24_000, cycle: { upMs: 8_000, downMs: 20_000 } }, cut: 0.25 },
  'pulau-sela-9': { profile: { name: 'pulau-sela-9', rttMs: 1_400, downBps: 30_000, upBps: 24_000, cycle: { upMs: 9_000, downMs: 15_000 } }, cut: 0.3 },
  'pulau-sela-10': { profile: { name: 'pulau-sela-10', rttMs: 1_500, downBps: 24_000, upBps: 20_000, cycle: { upMs: 10_000, downMs: 30_000 } }, cut: 0.2 },
  'pulau-flaky': { profile: PROFILES['pulau-flaky'] as WindowProfile['profile'], cut: 0 },
});

/** A refused connection over the air: a SYN (60 B) out, a RST (40 B) back. */
export const REFUSED_CONNECTION_BYTES = 100;
/** The budget for an hour with no signal (docs/sync-protocol.md). */
export const NO_SIGNAL_BUDGET_BYTES = 120_000;

export interface WindowsBenchOptions {
  n: number;
  seed: number;
  profiles: readonly string[];
  /** The link stays dead this long after the filing before its first window (the 25 s). */
  deadMs: number;
  /** A case that has not delivered by then is reported as such. */
  limitMs: number;
  hour: boolean;
  /** The profile of the windows after the hour. */
  hourProfile: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function withServer<T>(fn: (server: ServerProcess) => Promise<T>): Promise<T> {
  const server = await startServerProcess({ env: { LOG_LEVEL: 'warn' }, startTimeoutMs: 120_000 });
  const release = onCleanup(async () => {
    await server.stop();
    await rm(server.dataDir, { recursive: true, force: true });
  });
  try {
    return await fn(server);
  } finally {
    await release();
  }
}

async function withProxy<T>(server: ServerProcess, wp: WindowProfile, seed: number, fn: (proxy: WeakLinkProxy) => Promise<T>): Promise<T> {
  const proxy = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port }, profile: wp.profile, seed });
  const release = onCleanup(() => proxy.close());
  try {
    return await fn(proxy);
  } finally {
    await release();
  }
}

async function withDevice<T>(answers: readonly FormData[], seed: number, fn: (device: Device) => Promise<T>): Promise<T> {
  const device = await deviceWithQueue(answers, createRng(seed));
  const release = onCleanup(() => device.close());
  try {
    return await fn(device);
  } finally {
    await release();
  }
}

/** Cuts a share of the connections: half reset before the server commits, half after (answer lost). */
function cutConnections(proxy: WeakLinkProxy, cut: number): void {
  if (cut <= 0) return;
  const before = cut / 2;
  proxy.injectFault({ kind: 'reset-before-commit', probability: before });
  proxy.injectFault({ kind: 'reset-after-commit', probability: cut / 2 / (1 - before) });
}

/** BENCH_TRACE=1: every HTTP exchange after the windows begin, on stderr (where a window's time goes). */
const TRACE = process.env.BENCH_TRACE === '1';

/** A fetch that logs each exchange: start and end from the first window's start, bytes up, status or error. */
function tracingFetch(from: () => number | undefined): typeof fetch {
  return async (input, init) => {
    const t0 = from();
    const started = performance.now();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const up = input instanceof Request && input.body !== null ? (await input.clone().arrayBuffer()).byteLength : 0;
    const s = (t: number) => (t0 === undefined ? '(dead)' : ((t - t0) / 1000).toFixed(2));
    try {
      const response = await fetch(input, init);
      const bytes = (await response.clone().arrayBuffer()).byteLength;
      if (t0 !== undefined) console.error(`    ${s(started)}–${s(performance.now())} s ${method} ${url.pathname.split('/').pop()} up ${up} B → ${response.status}, ${bytes} B`);
      return response;
    } catch (error) {
      if (t0 !== undefined) console.error(`    ${s(started)}–${s(performance.now())} s ${method} ${url.pathname.split('/').pop()} up ${up} B → ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
      throw error;
    }
  };
}

interface Delivery {
  /** From the first window's start, ms. */
  firstAckMs: number | undefined;
  lastAckMs: number | undefined;
  acked: number;
  runs: number;
  stats: WeakLinkStats;
  arrived: number;
}

/**
 * Drives the engine as the app's triggers do on a link that never says it is back: each run when
 * the last one's retry timer fires (at once when a run ended well with items left), never on
 * `online`. Ends when all N are acknowledged or at the limit.
 */
async function deliver(options: {
  engine: { sync(reason: 'timer'): Promise<SyncReport> };
  last: SyncReport;
  n: number;
  acks: { acked: number; firstAt?: number; lastAt?: number };
  now: () => number;
  windowsFrom: number;
  limitMs: number;
}): Promise<{ runs: number }> {
  const { engine, n, acks, now } = options;
  let report = options.last;
  let runs = 0;
  const deadline = options.windowsFrom + options.limitMs;
  while (acks.acked < n && performance.now() < deadline) {
    const wait = report.nextAttemptAt !== undefined ? report.nextAttemptAt - now() : 0;
    if (wait > 0) await sleep(Math.min(wait, deadline - performance.now()));
    if (performance.now() >= deadline) break;
    report = await engine.sync('timer');
    runs++;
    if (process.env.BENCH_DEBUG === '1') {
      const t = ((performance.now() - options.windowsFrom) / 1000).toFixed(1);
      console.error(`  ${t} s: ${report.outcome} ${report.requests} req, pushed ${report.pushed.items}, next in ${report.nextAttemptAt !== undefined ? ((report.nextAttemptAt - now()) / 1000).toFixed(1) : '–'} s ${report.error ?? ''}`);
    }
  }
  return { runs };
}

function windowOf(ms: number | undefined, wp: WindowProfile): string {
  if (ms === undefined) return '–';
  const { upMs, downMs } = wp.profile.cycle;
  const k = Math.floor(ms / (upMs + downMs));
  const inWindow = ms - k * (upMs + downMs) <= upMs + 1_500;
  return `#${k + 1}${inWindow ? '' : ' (after it)'}`;
}

function windowIndex(ms: number | undefined, wp: WindowProfile): number {
  if (ms === undefined) return Number.POSITIVE_INFINITY;
  const { upMs, downMs } = wp.profile.cycle;
  return Math.floor(ms / (upMs + downMs)) + 1;
}

interface CaseResult {
  name: string;
  wp: WindowProfile;
  delivery: Delivery;
  gzipBytes: number;
  /** 1 RTT (connection) + 1 RTT + gzip(JSON) at the uplink: can one window carry the N? */
  carryMs: number;
  hour?: { runs: number; stats: WeakLinkStats; virtualMs: number };
}

async function runCase(name: string, wp: WindowProfile, options: WindowsBenchOptions, withHour: boolean): Promise<CaseResult> {
  const rng = createRng(options.seed);
  const answers = Array.from({ length: options.n }, () => ppidAnswers(rng));
  return withServer((server) =>
    withDevice(answers, options.seed + 1, (device) =>
      withProxy(server, wp, options.seed + 2, async (proxy) => {
        proxy.setOnline(false);
        let offset = 0;
        const now = () => Date.now() + offset;
        const acks: { acked: number; firstAt?: number; lastAt?: number } = { acked: 0 };
        const trace: { from?: number } = {};
        const { engine, api } = engineFor(device, proxy.url, { random: createRng(options.seed + 3), now, ...(TRACE && { fetch: tracingFetch(() => trace.from) }) });
        const push = api.push.bind(api);
        api.push = async (items, requestOptions) => {
          const result = await push(items, requestOptions);
          if (result.kind === 'ok') {
            acks.acked += result.body.results.filter((r) => r.outcome !== 'rejected').length;
            acks.firstAt ??= performance.now();
            if (acks.acked >= options.n) acks.lastAt ??= performance.now();
          }
          return result;
        };
        // Filed one by one while the link is dead: each filing's sync fails.
        let last: SyncReport | undefined;
        for (let i = 0; i < options.n; i++) last = await engine.sync('queued');
        let hour: CaseResult['hour'];
        if (withHour) {
          // An hour with no signal, on the engine's clock: jump to each retry it schedules.
          proxy.resetStats();
          const v0 = now();
          let runs = 0;
          for (;;) {
            const at = last?.nextAttemptAt ?? now() + 60_000;
            if (at - v0 >= 3_600_000) {
              offset += v0 + 3_600_000 - now();
              break;
            }
            if (at > now()) offset += at - now();
            last = await engine.sync('timer');
            runs++;
          }
          hour = { runs, stats: proxy.stats(), virtualMs: now() - v0 };
        }
        proxy.resetStats();
        // Still dead a while (not after the hour: its end is when the first window opens).
        if (!withHour) {
          const until = performance.now() + options.deadMs;
          while (performance.now() < until) {
            const wait = last?.nextAttemptAt !== undefined ? Math.min(last.nextAttemptAt - now(), until - performance.now()) : until - performance.now();
            if (wait > 0) await sleep(wait);
            if (performance.now() >= until) break;
            last = await engine.sync('timer');
          }
        }
        // The windows begin (the cycle restarts in its up phase), and nothing tells the phone.
        cutConnections(proxy, wp.cut);
        proxy.setProfile(wp.profile);
        proxy.setOnline(true);
        const windowsFrom = performance.now();
        trace.from = windowsFrom;
        const { runs } = await deliver({ engine, last: last!, n: options.n, acks, now, windowsFrom, limitMs: options.limitMs });
        const stats = proxy.stats();
        engine.close();
        const up = wp.profile.upBps;
        return {
          name,
          wp,
          gzipBytes: device.gzipBytes,
          carryMs: 2 * wp.profile.rttMs + transmitMs(device.gzipBytes, up),
          delivery: {
            firstAckMs: acks.firstAt !== undefined ? acks.firstAt - windowsFrom : undefined,
            lastAckMs: acks.lastAt !== undefined ? acks.lastAt - windowsFrom : undefined,
            acked: acks.acked,
            runs,
            stats,
            arrived: countSubmissions(server.dataDir),
          },
          ...(hour && { hour }),
        };
      }),
    ),
  );
}

function code(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'core'], { encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' + uncommitted src/core changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

export async function runWindowsBench(options: WindowsBenchOptions): Promise<void> {
  console.log(`\n## Short windows, no \`online\` trigger (code ${code()})\n`);
  for (const name of options.profiles) {
    const wp = WINDOW_PROFILES[name]!;
    const p = wp.profile;
    console.log(`  ${name}: RTT ${p.rttMs} ms, up ${p.upBps / 1000} kbit/s, down ${p.downBps / 1000} kbit/s, up ${p.cycle.upMs / 1000} s / down ${p.cycle.downMs / 1000} s, ${Math.round(wp.cut * 100)}% of connections cut`);
  }
  const rows: string[][] = [];
  for (const name of options.profiles) {
    const wp = WINDOW_PROFILES[name];
    if (!wp) throw new Error(`unknown window profile ${name}; use ${Object.keys(WINDOW_PROFILES).join(', ')}`);
    console.error(`… ${name}: ${options.n} filed on a dead link, ${options.deadMs / 1000} s more dead, then windows, no online`);
    const r = await runCase(name, wp, options, false);
    const d = r.delivery;
    const carries = r.carryMs <= wp.profile.cycle.upMs;
    const k = windowIndex(d.lastAckMs, wp);
    rows.push([
      name,
      String(options.n),
      `${fmtMs(r.carryMs)} ${carries ? '(every window)' : '(no window)'}`,
      fmtMs(d.firstAckMs ?? Number.NaN),
      d.lastAckMs !== undefined ? fmtMs(d.lastAckMs) : `> ${fmtMs(options.limitMs)}`,
      windowOf(d.lastAckMs, wp),
      carries ? mark(k <= 3) : '–',
      String(d.runs),
      fmtInt(d.stats.connections),
      fmtInt(d.stats.resets),
      `${fmtBytes(d.stats.bytesUp)} / ${fmtBytes(d.stats.bytesDown)}`,
      fmtRatio(d.stats.bytesUp / r.gzipBytes),
      `${d.arrived}/${options.n} ${mark(d.arrived === options.n)}`,
    ]);
  }
  printTable(
    ['profile', 'N', 'one window carries N in', 'first ack', 'all acked at', 'in window', '≤ 3rd window', 'sync runs', 'connections', 'resets', 'bytes up / down', 'up ÷ gzip(JSON)', 'stored once'],
    rows,
  );
  console.log(
    [
      '',
      `Each case: N PPID requests filed one by one on a dead link (each filing's sync fails, as the app's notifyQueued`,
      `does), the link dead ${options.deadMs / 1000} s more, then its windows (times from the first window's start). The engine`,
      `runs only on its retry timer: no \`online\` event. "one window carries N in": 2 RTT + gzip(JSON) ÷ up. "stored once":`,
      `submission rows on the server (the id is unique; a second copy would be refused, a missing one is not there).`,
    ].join('\n'),
  );

  if (!options.hour) return;
  const wp = WINDOW_PROFILES[options.hourProfile]!;
  console.error(`… an hour with no signal (virtual clock), then ${options.hourProfile}`);
  const r = await runCase(options.hourProfile, wp, options, true);
  const h = r.hour!;
  const air = h.stats.bytesUp + h.stats.bytesDown + h.stats.connections * REFUSED_CONNECTION_BYTES;
  const perHour = (x: number) => (x * 3_600_000) / h.virtualMs;
  console.log(`\n## An hour with no signal, then ${options.hourProfile} windows (no \`online\`)\n`);
  printTable(
    ['sync runs in the hour', 'connection attempts', 'HTTP bytes up / down', `≈ air bytes (${REFUSED_CONNECTION_BYTES} B a refused connection)`, `≤ ${fmtBytes(NO_SIGNAL_BUDGET_BYTES)}/h`, 'first ack', 'all acked at', 'in window', 'stored once'],
    [
      [
        fmtInt(perHour(h.runs)),
        fmtInt(perHour(h.stats.connections)),
        `${fmtBytes(h.stats.bytesUp)} / ${fmtBytes(h.stats.bytesDown)}`,
        fmtBytes(perHour(air)),
        mark(perHour(air) <= NO_SIGNAL_BUDGET_BYTES),
        fmtMs(r.delivery.firstAckMs ?? Number.NaN),
        r.delivery.lastAckMs !== undefined ? fmtMs(r.delivery.lastAckMs) : `> ${fmtMs(options.limitMs)}`,
        windowOf(r.delivery.lastAckMs, wp),
        `${r.delivery.arrived}/${options.n} ${mark(r.delivery.arrived === options.n)}`,
      ],
    ],
  );
  console.log(
    [
      '',
      'The hour runs on the engine\'s clock (it jumps to each retry the engine schedules; the proxy refuses every connection),',
      'so it takes seconds; the windows after it run in real time, from the hour\'s end. A refused connection moves no HTTP',
      `bytes; over the air it costs a SYN and a RST (~${REFUSED_CONNECTION_BYTES} B). "connection attempts" is also the radio's wake-ups.`,
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const args = benchArgs('bench:sync (windows)', 'Short signal windows and cut connections with no `online` event (issue #18).', {
    quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
    profiles: { type: 'string' },
    n: { type: 'string', default: '20' },
    'dead-s': { type: 'string', default: '25' },
    'limit-s': { type: 'string' },
    'skip-hour': { type: 'boolean', default: false },
    seed: { type: 'string', default: '20261207' },
  });
  const started = performance.now();
  console.log(`# bench:sync windows — ${new Date().toISOString()}, Node ${process.version}, seed ${args.seed}`);
  console.log(machineLoad());
  await runWindowsBench({
    n: Number(args.n),
    seed: Number(args.seed),
    profiles: args.profiles?.split(',').map((p) => p.trim()) ?? Object.keys(WINDOW_PROFILES),
    deadMs: Number(args['dead-s']) * 1000,
    limitMs: Number(args['limit-s'] ?? (args.quick ? 150 : 240)) * 1000,
    hour: !args['skip-hour'],
    hourProfile: 'pulau-sela-8',
  });
  console.log(`\n${machineLoad()}`);
  console.log(`\nwindows took ${fmtMs(performance.now() - started)}.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main()
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => cleanupAll());
}
