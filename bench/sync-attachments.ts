// The attachment case of `npm run bench:sync` (issue 5, "Done when" 6; issue 15): a phone's
// backlog of N PPID requests where every 10th carries a 200 KB photo, over pulau-2g, pulau-edge
// and pulau-flaky, and a Pantarlih's day (100 requests, 10 photos of 250 KB). Three ways of moving
// it, measured side by side in the same run, each with its own server, proxy and phone, all
// starting when the link's cycle starts:
//
// - this project's: the real sync engine with its upload phase (src/sync/upload-phase.ts), the
//   photos being the phone's files of every 10th request: the data in batches, then each photo with
//   the tus client (a new photo in its creation POST, the rest of a cut one in one PATCH from the
//   server's offset), two in flight; and (a variant) the photos marked lossy: link-sized pieces, one
//   at a time, as on a link that loses cut bodies (before issue 15, the default);
// - the baseline: the same data push, then one POST per photo carrying the whole file, started
//   again from zero after a cut (what a form handler without resume forces).
//
// Against both: the physical lower bound of the link for the same payload. It reports; it never
// fails a target. Run alone: node --import tsx bench/sync-attachments.ts [--quick] [--n 50]
// [--profiles pulau-edge,pulau-flaky] [--day] [--day-only] [--methods tus,whole file].
import 'fake-indexeddb/auto';
import './support/bench-kek.ts';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { SyncReport } from '../src/sync/engine.ts';
import { deviceAuth } from '../src/db/device-identity.ts';
import { createUploadPhase } from '../src/sync/upload-phase.ts';
import { openDatabase } from '../server/db/open.ts';
import { complaintWithPhoto } from '../tests/server/upload-fixtures.ts';
import { storedFile } from '../tests/support/test-kek.ts';
import { countSubmissions } from '../tests/support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process.ts';
import { lowerBoundMs, PROFILES, type ProfileName, type WeakLinkProfile } from '../tests/support/weak-link/profiles.ts';
import { startWeakLinkProxy, type WeakLinkProxy, type WeakLinkStats } from '../tests/support/weak-link/proxy.ts';
import { cleanupAll, onCleanup } from './support/cleanup.ts';
import { deviceWithQueue, engineFor, queuedCount, type Device } from './support/device.ts';
import { photoBytes, sha256Hex } from './support/photo-bytes.ts';
import { createRng, ppidAnswers } from './support/ppid-payloads.ts';
import { fmtBytes, fmtInt, fmtMs, fmtRatio, machineLoad, printTable } from './support/report.ts';
import { startWholeFileFront, WHOLE_FILE_PATH, type WholeFileFront } from './support/whole-file-front.ts';

export const ATTACHMENT_PROFILES: readonly ProfileName[] = ['pulau-2g', 'pulau-edge', 'pulau-flaky'];
export const PHOTO_BYTES = 200 * 1024;
/** A Pantarlih's day: 100 requests, a 250 KB photo with every 10th (on the profiles it fits in the limit). */
export const DAY = { n: 100, photoBytes: 250 * 1000, profiles: ['pulau-edge', 'pulau-flaky'] as readonly ProfileName[], limitMs: 600_000 };
/** Every 10th submission carries a photo. */
const PHOTO_EVERY = 10;
/** A method that has not finished by then is reported as such, so a run stays bounded. */
const METHOD_LIMIT_MS = 420_000;

export interface AttachmentBenchOptions {
  /** Submissions in the backlog; N ÷ 10 photos. */
  n: number;
  seed: number;
  profiles: readonly ProfileName[];
  /** Also the day's backlog (DAY) on its profiles. */
  day?: boolean;
  /** Leave out the N-request backlog (and the scan): only the day's (`--day-only`). */
  dayOnly?: boolean;
  /** The methods to run (`--methods tus,whole file`); all three by default. */
  methods?: readonly Method[];
}

interface Photo {
  bytes: Buffer;
  sha256: string;
}

type Method = 'tus' | 'tus, pieces' | 'whole file';

interface MethodRun {
  method: Method;
  elapsedMs: number;
  /** When the push answer acknowledging the last item arrived. */
  dataAckedMs: number | undefined;
  photosDone: number;
  /** Photos the server holds byte-identical (tus) or the receiver kept whole (baseline). */
  photosVerified: number;
  dataArrived: number;
  /** Photo bytes handed to fetch, cut attempts included. */
  photoBytesSent: number;
  /** Upload attempts cut off (tus: calls answered offline; baseline: POSTs that failed). */
  cuts: number;
  stats: WeakLinkStats;
  finished: boolean;
  gzipBytes: number;
}

const DEBUG = process.env.BENCH_DEBUG === '1';
const METHODS: readonly Method[] = ['tus', 'tus, pieces', 'whole file'];
const METHOD_LABEL: Record<Method, string> = {
  tus: "engine + tus, the app's default (resumes)",
  'tus, pieces': 'engine + tus, link-sized pieces (resumes)',
  'whole file': 'engine + whole file (restarts: baseline)',
};
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function scoped<T>(make: () => Promise<T>, close: (t: T) => Promise<void>, fn: (t: T) => Promise<unknown>): Promise<void> {
  const thing = await make();
  const release = onCleanup(() => close(thing));
  try {
    await fn(thing);
  } finally {
    await release();
  }
}

/**
 * The phone's retry rule, the same for both methods: after a failure, go again as soon as the
 * link is back (the app's `online` trigger), or after a short pause if it never went away.
 */
async function untilLinkBack(proxy: WeakLinkProxy, deadline: number): Promise<boolean> {
  if (proxy.stats().online) {
    await sleep(500);
    return performance.now() < deadline;
  }
  while (!proxy.stats().online) {
    if (performance.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Pushes the backlog's data with the real engine until the outbox is empty. Answers when it was acknowledged. */
async function pushData(device: Device, proxy: WeakLinkProxy, t0: number, deadline: number): Promise<number | undefined> {
  const { engine } = engineFor(device, proxy.url, { random: createRng(7) });
  try {
    for (;;) {
      const report: SyncReport = await engine.sync('manual');
      if ((await queuedCount(device)) === 0) return performance.now() - t0;
      if (report.outcome === 'auth' || report.outcome === 'failed') throw new Error(`sync failed: ${report.error ?? report.outcome}`);
      if (!(await untilLinkBack(proxy, deadline))) return undefined;
    }
  } finally {
    engine.close();
  }
}

/**
 * The server takes an upload only of a file that a stored submission of the device names. The
 * benchmark's requests are PPID ones, a form without a photo field, so one complaint per photo
 * (the bundled form with a photo field) names them: pushed straight to the server before the
 * clock starts, so the measured link carries the same bytes as before.
 */
async function namePhotos(server: ServerProcess, getAuth: () => Promise<string>, photos: readonly Photo[]): Promise<void> {
  if (photos.length === 0) return;
  const items = photos.map((photo) => complaintWithPhoto({ sha256: photo.sha256, type: 'image/jpeg', size: photo.bytes.length }));
  const res = await fetch(`${server.url}/api/v1/push`, {
    method: 'POST',
    headers: { authorization: await getAuth(), 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  const answer = (await res.json()) as { results?: { outcome: string }[] };
  if (!res.ok || !answer.results?.every((r) => r.outcome === 'accepted')) throw new Error(`naming the photos: ${res.status} ${JSON.stringify(answer)}`);
}

/**
 * How many photos the server holds whole: finished files are stored sealed (encryption at rest),
 * so each is opened with the bench's KEK and its sha256 checked.
 */
async function heldByServer(dataDir: string, photos: readonly Photo[]): Promise<number> {
  const opened = await openDatabase({ dataDir });
  try {
    let held = 0;
    for (const p of photos) {
      const plain = await storedFile(opened.db, join(dataDir, 'uploads'), p.sha256).catch(() => undefined);
      if (plain && sha256Hex(plain) === p.sha256) held++;
    }
    return held;
  } finally {
    await opened.close();
  }
}

/** A loaded machine (load 30 on 2 cores seen) takes more than the default 30 s to start a tsx server. */
const SERVER_START_MS = 120_000;
/** Servers start one at a time (three tsx processes at once on a busy 2-core machine miss the health deadline). */
let serverStarts: Promise<unknown> = Promise.resolve();
function startServerInTurn(): Promise<ServerProcess> {
  const start = serverStarts.then(async () => {
    try {
      return await startServerProcess({ env: { LOG_LEVEL: 'warn' }, startTimeoutMs: SERVER_START_MS });
    } catch {
      // Once more: a start can miss its deadline while other suites load the machine.
      return startServerProcess({ env: { LOG_LEVEL: 'warn' }, startTimeoutMs: SERVER_START_MS });
    }
  });
  serverStarts = start.catch(() => undefined);
  return start;
}

/** Resolves once `count` callers have arrived: the runs' links (and their cycles) start together. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    arrived++;
    if (arrived >= count) open();
    return opened;
  };
}

interface Moved {
  dataAckedMs: number | undefined;
  photosDone: number;
  photoBytesSent: number;
  cuts: number;
}

/** A fetch that notes when the last push was answered, and (BENCH_DEBUG=1) prints each request. */
function tracingFetch(label: string, t0: number): { fetch: typeof fetch; lastPushAt: () => number | undefined } {
  let lastPushAt: number | undefined;
  const s = (at: number) => ((at - t0) / 1000).toFixed(1);
  return {
    lastPushAt: () => lastPushAt,
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      const started = performance.now();
      try {
        const res = await globalThis.fetch(input, init);
        if (url.pathname.endsWith('/push') && res.ok) lastPushAt = performance.now();
        if (DEBUG) {
          // For uploads: how many bytes the request carried and the server's offset after it (what a cut kept).
          const body = init?.body instanceof Blob ? ` body ${init.body.size}` : '';
          const offset = res.headers.get('upload-offset');
          console.error(`[${label}] ${method} ${url.pathname.split('/').slice(-2).join('/').slice(0, 40)} ${s(started)}–${s(performance.now())} s ${res.status}${body}${offset !== null ? ` offset ${offset}` : ''}`);
        }
        return res;
      } catch (error) {
        if (DEBUG) console.error(`[${label}] ${method} ${url.pathname.split('/').slice(-2).join('/').slice(0, 40)} ${s(started)}–${s(performance.now())} s cut${init?.body instanceof Blob ? ` body ${init.body.size}` : ''}`);
        throw error;
      }
    },
  };
}

/**
 * The app's way: the real sync engine with its upload phase (src/sync/upload-phase.ts), called
 * again until the queue is empty and every photo is held. The photos are the device's files of
 * every 10th request (its `refs`), so each may go only once that request's push was answered. The
 * variant marks them `lossy`, as after a cut on a link that loses cut bodies.
 */
async function engineRun(
  method: Method,
  profile: ProfileName,
  device: Device,
  proxy: WeakLinkProxy,
  photos: readonly Photo[],
  getAuth: () => Promise<string>,
  t0: number,
  deadline: number,
): Promise<Moved> {
  const ids = (await device.db.outbox.orderBy('queuedAt').primaryKeys()) as string[];
  await device.db.attachments.bulkAdd(
    photos.map((photo, k) => ({
      sha256: photo.sha256,
      type: 'image/jpeg',
      size: photo.bytes.length,
      blob: new Blob([new Uint8Array(photo.bytes)], { type: 'image/jpeg' }),
      state: 'waiting' as const,
      refs: [ids[Math.min(ids.length - 1, (k + 1) * PHOTO_EVERY - 1)]!],
      bytesSent: 0,
      createdAt: k,
      ...(method === 'tus, pieces' ? { lossy: true } : {}),
    })),
  );
  const trace = tracingFetch(`${method} ${profile}`, t0);
  const { engine } = engineFor(device, proxy.url, {
    random: createRng(7),
    fetch: trace.fetch,
    uploads: (api) =>
      createUploadPhase({
        db: device.db,
        baseUrl: `${proxy.url}/api/v1/uploads`,
        getAuth: () => getAuth(),
        fetch: trace.fetch,
        linkEstimate: () => api.linkEstimate?.(),
      }),
  });
  const held = () => device.db.attachments.where('state').equals('done').count();
  let photoBytesSent = 0;
  let cuts = 0;
  try {
    for (;;) {
      const report: SyncReport = await engine.sync('manual');
      photoBytesSent += report.uploaded.bytes;
      if ((await queuedCount(device)) === 0 && (await held()) === photos.length) break;
      if (report.outcome === 'auth' || report.outcome === 'failed') throw new Error(`sync failed: ${report.error ?? report.outcome}`);
      if (report.uploaded.rejected > 0) throw new Error('a photo was refused');
      cuts++;
      if (!(await untilLinkBack(proxy, deadline))) break;
    }
  } finally {
    engine.close();
  }
  const acked = (await queuedCount(device)) === 0 ? trace.lastPushAt() : undefined;
  return { dataAckedMs: acked === undefined ? undefined : acked - t0, photosDone: await held(), photoBytesSent, cuts };
}

/** The baseline: the engine pushes the data, then one POST per photo with the whole file, from zero after a cut. */
async function wholeFileRun(
  device: Device,
  proxy: WeakLinkProxy,
  photos: readonly Photo[],
  getAuth: () => Promise<string>,
  t0: number,
  deadline: number,
): Promise<Moved> {
  const dataAckedMs = await pushData(device, proxy, t0, deadline);
  let photosDone = 0;
  let photoBytesSent = 0;
  let cuts = 0;
  for (const photo of photos) {
    if (dataAckedMs === undefined) break;
    let done = false;
    while (!done && performance.now() < deadline) {
      const started = performance.now();
      try {
        photoBytesSent += photo.bytes.length;
        const res = await fetch(`${proxy.url}${WHOLE_FILE_PATH}`, {
          method: 'POST',
          headers: { authorization: await getAuth(), 'content-type': 'image/jpeg', 'x-sha256': photo.sha256 },
          body: new Uint8Array(photo.bytes),
          signal: AbortSignal.timeout(60_000),
        });
        await res.arrayBuffer();
        if (res.status === 201) done = true;
        else cuts++;
      } catch {
        cuts++;
      }
      if (DEBUG) console.error(`[whole file] photo ${photosDone + 1}: ${((started - t0) / 1000).toFixed(1)}–${((performance.now() - t0) / 1000).toFixed(1)} s ${done ? 'held' : 'cut'}`);
      if (!done && !(await untilLinkBack(proxy, deadline))) break;
    }
    if (!done) break;
    photosDone++;
  }
  return { dataAckedMs, photosDone, photoBytesSent, cuts };
}

async function runMethod(
  method: Method,
  profile: ProfileName,
  n: number,
  seed: number,
  photos: readonly Photo[],
  ready: () => Promise<void>,
  limitMs = METHOD_LIMIT_MS,
): Promise<MethodRun> {
  let result: MethodRun | undefined;
  const rng = createRng(seed);
  const answers = Array.from({ length: n }, () => ppidAnswers(rng));
  const serverScope = (fn: (s: ServerProcess) => Promise<unknown>) =>
    scoped(
      startServerInTurn,
      async (s) => {
        await s.stop();
        await rm(s.dataDir, { recursive: true, force: true });
      },
      fn,
    );
  await serverScope((server) =>
    scoped(
      () => deviceWithQueue(answers, createRng(seed + 1)),
      (d) => d.close(),
      (device) =>
        // The baseline's link ends at the whole-file receiver, which passes everything else on.
        scoped(
          (): Promise<WholeFileFront | undefined> => (method === 'whole file' ? startWholeFileFront({ host: '127.0.0.1', port: server.port }) : Promise.resolve(undefined)),
          async (f) => f?.close(),
          (front) =>
            scoped(
              async () => {
                await ready();
                return startWeakLinkProxy({ target: { host: '127.0.0.1', port: front?.port ?? server.port }, profile });
              },
              (p) => p.close(),
              async (proxy) => {
                const getAuth = deviceAuth(device.db);
                await namePhotos(server, getAuth, photos);
                const t0 = performance.now();
                const deadline = t0 + limitMs;
                const moved =
                  method === 'whole file'
                    ? await wholeFileRun(device, proxy, photos, getAuth, t0, deadline)
                    : await engineRun(method, profile, device, proxy, photos, getAuth, t0, deadline);
                const { dataAckedMs, photosDone, photoBytesSent, cuts } = moved;
                const elapsedMs = performance.now() - t0;
                const stats = proxy.stats();
                const photosVerified = front
                  ? photos.filter((p) => front.received.get(p.sha256) === p.bytes.length).length
                  : await heldByServer(server.dataDir, photos);
                result = {
                  method,
                  elapsedMs,
                  dataAckedMs,
                  photosDone,
                  photosVerified,
                  // Less the complaints that name the photos (namePhotos): the queue's requests only.
                  dataArrived: countSubmissions(server.dataDir) - photos.length,
                  photoBytesSent,
                  cuts,
                  stats,
                  finished: dataAckedMs !== undefined && photosDone === photos.length,
                  gzipBytes: device.gzipBytes,
                };
              },
            ),
        ),
    ),
  );
  if (!result) throw new Error(`${method} on ${profile}: no result`);
  return result;
}

/** `ms` of transmission laid over an up/down cycle that starts up: the wall time it needs. */
export function acrossOutages(ms: number, cycle: { upMs: number; downMs: number } | undefined): number {
  if (!cycle || ms <= 0) return ms;
  const fullWindows = Math.floor(ms / cycle.upMs);
  const rest = ms - fullWindows * cycle.upMs;
  return rest === 0 ? fullWindows * (cycle.upMs + cycle.downMs) - cycle.downMs : fullWindows * (cycle.upMs + cycle.downMs) + rest;
}

function profileLine(p: WeakLinkProfile): string {
  const cycle = p.cycle ? `, up ${p.cycle.upMs / 1000} s / down ${p.cycle.downMs / 1000} s` : '';
  return `${p.name}: RTT ${p.rttMs} ms, up ${p.upBps / 1000} kbit/s, down ${p.downBps / 1000} kbit/s${cycle}`;
}

/** A scan larger than one signal window can carry: where restarting from zero never finishes. */
export const LARGE_FILE_BYTES = 600 * 1024;
/** Four windows of pulau-flaky (the first is partly spent on starting up and the data push). */
const LARGE_FILE_LIMIT_MS = 200_000;

async function largeFileCase(profile: ProfileName, seed: number): Promise<string[][]> {
  const bytes = photoBytes(createRng(seed + 11), LARGE_FILE_BYTES);
  const file: Photo = { bytes, sha256: sha256Hex(bytes) };
  const methods = METHODS;
  const ready = barrier(methods.length);
  // One submission, so the device exists on the server (uploads need its credentials).
  const runs = await Promise.all(methods.map((m) => runMethod(m, profile, 1, seed + 12, [file], ready, LARGE_FILE_LIMIT_MS)));
  const p = PROFILES[profile];
  const bound = acrossOutages(lowerBoundMs(p, { requests: 1, bytesUp: (runs[0]?.gzipBytes ?? 0) + LARGE_FILE_BYTES, bytesDown: 0 }), p.cycle);
  return [
    ...runs.map((run) => [
      METHOD_LABEL[run.method],
      run.finished ? fmtMs(run.elapsedMs) : `not held after ${fmtMs(run.elapsedMs)} ✗`,
      `${run.photosVerified}/1`,
      fmtInt(run.stats.requests),
      fmtBytes(run.stats.bytesUp),
      fmtRatio(run.photoBytesSent / LARGE_FILE_BYTES),
      String(run.cuts),
    ]),
    ['lower bound', fmtMs(bound), '–', '1', fmtBytes(LARGE_FILE_BYTES), '1.00×', '–'],
  ];
}

export async function runAttachmentBench(options: AttachmentBenchOptions): Promise<void> {
  const profiles = options.profiles.filter((p) => ATTACHMENT_PROFILES.includes(p));
  const methods = options.methods ?? METHODS;
  if (!options.dayOnly) await backlogCase(options.n, PHOTO_BYTES, profiles, options.seed, METHOD_LIMIT_MS, true, methods);
  const dayProfiles = options.profiles.filter((p) => DAY.profiles.includes(p));
  if (options.day || options.dayOnly) await backlogCase(DAY.n, DAY.photoBytes, dayProfiles, options.seed, DAY.limitMs, false, methods);
}

/** A backlog of `n` requests, a photo of `photoSize` with every 10th, on each profile; with the scan case on a flaky one. */
async function backlogCase(
  n: number,
  photoSize: number,
  profiles: readonly ProfileName[],
  seed: number,
  limitMs: number,
  withScan: boolean,
  methods: readonly Method[],
): Promise<void> {
  if (profiles.length === 0) return;
  const options = { n, seed };
  const rng = createRng(options.seed + 9);
  const photos: Photo[] = [];
  for (let i = 1; i <= options.n; i++) {
    if (i % PHOTO_EVERY !== 0) continue;
    const bytes = photoBytes(rng, photoSize);
    photos.push({ bytes, sha256: sha256Hex(bytes) });
  }
  const photoTotal = photos.reduce((sum, p) => sum + p.bytes.length, 0);
  console.log(`\n## Attachments: ${options.n} queued PPID requests, every ${PHOTO_EVERY}th with a ${fmtBytes(photoSize)} photo (${photos.length} photos, ${fmtBytes(photoTotal)})\n`);
  for (const p of profiles) console.log(`  ${profileLine(PROFILES[p])}`);
  console.log('  The three methods run at the same time, each with its own server, link and phone; each link\'s cycle starts with its run.\n');

  const rows: string[][] = [];
  const summary: string[][] = [];
  const largeRows: string[][] = [];
  for (const profile of profiles) {
    const p = PROFILES[profile];
    console.error(`… attachments on ${profile}: tus (default, pieces) and the whole-file baseline, ${options.n} queued, ${photos.length} photos`);
    const ready = barrier(methods.length);
    // On the flaky link, the large-file case runs alongside (its own servers and links).
    const large = p.cycle && withScan ? largeFileCase(profile, options.seed) : Promise.resolve(undefined);
    const runs = await Promise.all(methods.map((m) => runMethod(m, profile, options.n, options.seed, photos, ready, limitMs)));
    const byMethod = (m: Method) => runs.find((r) => r.method === m);
    const [tus, pieces, whole] = [byMethod('tus'), byMethod('tus, pieces'), byMethod('whole file')];
    const largeRuns = await large;
    if (largeRuns) largeRows.push(...largeRuns);
    const payload = runs[0]!.gzipBytes + photoTotal;
    const bound = lowerBoundMs(p, { requests: 1, bytesUp: payload, bytesDown: 0 });
    const boundCycle = acrossOutages(bound, p.cycle);
    for (const run of runs) {
      rows.push([
        profile,
        METHOD_LABEL[run.method],
        run.finished ? fmtMs(run.elapsedMs) : `> ${fmtMs(run.elapsedMs)} ✗`,
        fmtMs(run.dataAckedMs ?? Number.NaN),
        `${run.photosVerified}/${photos.length}`,
        fmtInt(run.stats.requests),
        fmtBytes(run.stats.bytesUp),
        fmtBytes(run.stats.bytesDown),
        fmtRatio(run.stats.bytesUp / payload),
        fmtRatio(run.photoBytesSent / photoTotal),
        String(run.cuts),
        String(run.stats.resets),
        fmtRatio(run.elapsedMs / boundCycle),
      ]);
    }
    rows.push([
      profile,
      'lower bound',
      fmtMs(boundCycle),
      '–',
      '–',
      '1',
      fmtBytes(payload),
      '0 B',
      '1.00×',
      '1.00×',
      '–',
      '–',
      '1.00×',
    ]);
    /** A ratio of two runs' figures, or – where a method was left out (`--methods`). */
    const ratio = (a: MethodRun | undefined, b: MethodRun | undefined, f: (r: MethodRun) => number) => (a && b ? fmtRatio(f(a) / f(b)) : '–');
    const toBound = (r: MethodRun | undefined) => (r ? fmtRatio(r.elapsedMs / boundCycle) : '–');
    summary.push([
      profile,
      `${ratio(whole, tus, (r) => r.elapsedMs)} · ${ratio(whole, pieces, (r) => r.elapsedMs)}`,
      `${ratio(whole, tus, (r) => r.stats.bytesUp)} · ${ratio(whole, pieces, (r) => r.stats.bytesUp)}`,
      `${toBound(tus)} · ${toBound(pieces)} · ${toBound(whole)}`,
      [tus, pieces, whole].map((r) => (r ? `${r.dataArrived}/${options.n}` : '–')).join(' · '),
    ]);
  }
  printTable(
    ['profile', 'method', 'time', 'data acked at', 'photos held', 'requests', 'bytes up', 'bytes down', 'up ÷ payload', 'photo bytes sent ÷ photos', 'cut attempts', 'link resets', 'time ÷ bound'],
    rows,
  );
  console.log('');
  printTable(
    ['profile', 'baseline ÷ tus: time (default · pieces)', 'baseline ÷ tus: bytes up (default · pieces)', 'time ÷ bound (default · pieces · baseline)', 'data arrived (same order)'],
    summary,
  );
  console.log(
    [
      '',
      'time: first sync call → the last photo held by the receiver (the data push first, then the photos).',
      'data acked at: when the push answer acknowledging the last submission arrived: the text is safe before any photo moves.',
      'photos held: tus — files in the server\'s upload store whose sha256 matches; baseline — files the receiver got whole.',
      'requests, bytes: what crossed the proxy, HTTP heads and cut attempts included.',
      'payload: gzip(JSON of the N envelopes) + the photos\' bytes (JPEG data does not compress).',
      'photo bytes sent ÷ photos: bytes handed to fetch for photos ÷ the photos\' size (tus: a cut costs at most the chunk in flight;',
      '  baseline: a cut costs everything sent of that photo).',
      'lower bound: lowerBoundMs(profile, { requests: 1, bytesUp: payload }) = 1 RTT + payload ÷ up rate; on pulau-flaky',
      '  laid over the 20 s up / 40 s down cycle (transmission only while the link is up).',
      'tus, the app\'s default: the engine\'s upload phase: a new photo in its creation POST (creation-with-upload), the rest',
      '  of a cut one in one PATCH from the server\'s offset; two photos in flight, the next two round trips after the one before.',
      'tus, link-sized pieces: the same, the photos marked lossy (a link that loses cut bodies): ~6 s pieces, one file at a time.',
      'All methods retry the same way: as soon as the link is back (the app\'s `online` trigger), else after 0.5 s.',
    ].join('\n'),
  );
  if (largeRows.length > 0) {
    console.log(`\n### One ${fmtBytes(LARGE_FILE_BYTES)} scan on pulau-flaky: more than one 20 s window carries (limit ${fmtMs(LARGE_FILE_LIMIT_MS)}: four windows)\n`);
    printTable(['method', 'time', 'held', 'requests', 'bytes up', 'file bytes sent ÷ file', 'cut attempts'], largeRows);
    console.log('\nRestarting from zero never gets a file through when it needs longer than the link stays up; resuming does.');
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
      n: { type: 'string' },
      profiles: { type: 'string' },
      seed: { type: 'string', default: '20261120' },
      day: { type: 'boolean', default: false },
      'day-only': { type: 'boolean', default: false },
      methods: { type: 'string' },
    },
  });
  const methods = values.methods?.split(',').map((m) => {
    const name = m.trim();
    if (!(METHODS as readonly string[]).includes(name)) throw new Error(`unknown method ${name}; use ${METHODS.join(', ')}`);
    return name as Method;
  });
  const n = Number(values.n ?? (values.quick ? 30 : 50));
  if (!Number.isInteger(n) || n < PHOTO_EVERY) throw new Error(`--n must be an integer ≥ ${PHOTO_EVERY}`);
  const profiles = (values.profiles?.split(',').map((s) => s.trim()) ?? ATTACHMENT_PROFILES) as ProfileName[];
  const started = performance.now();
  console.log(`# bench:sync attachments — ${new Date().toISOString()}, Node ${process.version}, seed ${values.seed}`);
  console.log(machineLoad());
  await runAttachmentBench({ n, seed: Number(values.seed), profiles, day: values.day, dayOnly: values['day-only'], ...(methods ? { methods } : {}) });
  console.log(`\n${machineLoad()}`);
  console.log(`\nattachments took ${fmtMs(performance.now() - started)}.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main()
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => cleanupAll());
}
