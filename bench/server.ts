// npm run bench:server — how many submissions the provincial API ingests when the islands' phones
// all come back at once. 1,000 devices, each with its own Device credential, push gzip batches of
// 10–50 realistic PPID submissions to the real server (child process) on 127.0.0.1, on SQLite, on
// PostgreSQL, and on two server processes sharing one PostgreSQL. Two phases per case:
//   1. herd: every device pushes at once and sends its next batch as soon as the previous one is
//      answered (closed loop): the most the server can ingest, and the latency at that load;
//   2. paced: the same devices offer a steady 5,000 submissions/s (open loop, each device every
//      few seconds): the latency a device sees at the budget's rate.
// It prints figures and ratios against DESIGN.md's budgets and never fails on a missed target.
//
// The coklit cases (sqlite-coklit, postgres-coklit; issue #13) run the same herd with officers'
// traffic: each device a pantarlih token scoped to one village whose voter records are loaded
// first (bench/support/voter-generator.ts, loadRecords), each submission a coklit update of one of
// them on its base version, 5 % a second, stale update of a voter the device visited in an earlier
// batch (a conflict when it says otherwise). After the drain it checks every update applied, the
// conflicts equal the expected and nothing left marked pending, and prints the coklit herd ÷ the
// PPID herd of the same dialect in the same run (target ≥ 0.80). No paced phase.
//
//   npm run bench:server -- --quick --cases sqlite,sqlite-coklit,postgres,postgres-coklit
import './support/bench-kek.ts';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { randomSecret, ulid } from '../core/ids.ts';
import { deviceAuthorization, type SubmissionEnvelope } from '../core/protocol.ts';
import { buildEnvelope } from '../src/db/outbox.ts';
import { countSubmissions } from '../tests/support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process.ts';
import { buildServer, SERVER_NODE_FLAGS, startCompiledServer } from './support/compiled-server.ts';
import { createRng, PPID, ppidAnswers, seededUlid } from './support/ppid-payloads.ts';
import { fmtBytes, fmtInt, machineLoad, fmtMs, mark, peakRss, percentile, printTable } from './support/report.ts';
import { cleanupAll, onCleanup } from './support/cleanup.ts';
import { createAccountChecked } from '../server/auth/accounts-service.ts';
import { newDeviceToken, tokenHash } from '../server/auth/tokens.ts';
import { DataKeys } from '../server/crypto/data-keys.ts';
import { loadKek } from '../server/crypto/kek.ts';
import { openPreparedDatabase } from '../server/db/prepare.ts';
import type { OpenedDatabase } from '../server/db/schema.ts';
import { issueToken } from '../server/repositories/tokens.ts';
import { loadRecords } from '../server/repositories/voter-records.ts';
import { TEST_SCRYPT } from '../tests/server/auth-fixtures.ts';
import { coklitOf, conflictsWith, OUTCOMES, recordIdsOf, STALE_SHARE, toListed } from './support/coklit-payloads.ts';
import { generateVoterList, type GeneratedVoter } from './support/voter-generator.ts';
import { benchArgs } from './support/args.ts';

// ---- Options.

const args = benchArgs('bench:server', 'The server under a herd of devices on SQLite and PostgreSQL: throughput, p99 latency and RSS (bench/README.md).', {
    quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
    cases: { type: 'string', default: 'sqlite,postgres,postgres-2' },
    devices: { type: 'string', default: '1000' },
    seconds: { type: 'string' },
    rate: { type: 'string', default: '5000' },
    /** Run the server through the TypeScript loader (as the tests do) instead of compiled, as `npm start` does. */
    tsx: { type: 'boolean', default: false },
    /** NODE_OPTIONS for the server processes (SERVER_NODE_FLAGS' heap cap is on the command line and wins over it). */
    'server-node-options': { type: 'string' },
    /** Write a V8 CPU profile of each compiled server process into this folder (open it in Chrome's DevTools). */
    'cpu-prof-dir': { type: 'string' },
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
});

type CaseName = 'sqlite' | 'postgres' | 'postgres-2' | 'sqlite-coklit' | 'postgres-coklit';
const CASES: readonly CaseName[] = ['sqlite', 'postgres', 'postgres-2', 'sqlite-coklit', 'postgres-coklit'];
const isCoklit = (name: CaseName) => name.endsWith('-coklit');
const dialectOf = (name: CaseName) => (name.startsWith('sqlite') ? 'sqlite' : 'postgres');
const cases = args.cases.split(',').map((c) => {
  const name = c.trim() as CaseName;
  if (!CASES.includes(name)) throw new Error(`unknown case ${c}; use ${CASES.join(', ')}`);
  return name;
});
const DEVICES = Number(args.devices);
/** Length of each phase's measuring window. */
const PHASE_MS = Number(args.seconds ?? (args.quick ? 6 : 15)) * 1000;
const PACED_RATE = Number(args.rate);
const BATCH_MIN = 10;
const BATCH_MAX = 50;
const MEAN_BATCH = (BATCH_MIN + BATCH_MAX) / 2;
/** Sizes the herd's pool of prepared batches; a phase that runs out ends early and says so. */
const HERD_CEILING_PER_S = 20_000;
/** The same for the coklit cases, whose voter records are loaded before the herd (about 5,000/s). */
const COKLIT_CEILING_PER_S = 15_000;
/** Voters per TPS in the generated lists (the province's mean, Pilkada 2024). */
const VOTERS_PER_TPS = 494;
/** How long in-flight requests may take to finish after a window closes. */
const DRAIN_MS = 60_000;
const REQUEST_TIMEOUT_MS = 60_000;

const TARGET = { sqlitePerS: 5000, p99Ms: 2000, rssBytes: 300 * 1024 * 1024 };



const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---- Prepared traffic. Built before any clock starts, so the load generator spends its CPU on
// sending, not on making JSON: the server gets (nearly) all of one core and the generator the other.

interface Batch {
  items: number;
  body: Buffer;
  jsonBytes: number;
  /** Coklit cases: updates in it that must open a conflict (a stale second visit that says otherwise). */
  conflicts?: number;
}

/**
 * Batches of fresh envelopes (unique ids, secrets and creation times) over a pool of varied answer
 * sets; each body is gzip-compressed like CompressionStream does it on the phone.
 */
function prepareBatches(totalItems: number, rng: () => number, answerPool: readonly Record<string, string>[], startAt: number): Batch[] {
  const batches: Batch[] = [];
  let made = 0;
  let at = startAt;
  while (made < totalItems) {
    const size = BATCH_MIN + Math.floor(rng() * (BATCH_MAX - BATCH_MIN + 1));
    const items: SubmissionEnvelope[] = [];
    for (let i = 0; i < size; i++) {
      at += 1;
      const answers = answerPool[Math.floor(rng() * answerPool.length)]!;
      items.push(buildEnvelope(PPID, seededUlid(rng, at), answers, at));
    }
    const json = JSON.stringify({ items });
    batches.push({ items: size, body: gzipSync(json), jsonBytes: Buffer.byteLength(json) });
    made += size;
  }
  return batches;
}

// ---- The load generator.

interface Target {
  host: string;
  port: number;
  agent: http.Agent;
}

interface PushOutcome {
  ok: boolean;
  accepted: number;
  status: number;
  error?: string;
  /** A 503 busy answer's Retry-After, in seconds: the device tries the same batch again after it. */
  retryAfterS?: number;
}

function push(target: Target, auth: string, batch: Batch): Promise<PushOutcome> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: target.host,
        port: target.port,
        path: '/api/v1/push',
        method: 'POST',
        agent: target.agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          authorization: auth,
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': batch.body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => resolve({ ok: false, accepted: 0, status: res.statusCode ?? 0, error: err.message }));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const retryAfterS = Number(res.headers['retry-after']);
          if (status === 503 && retryAfterS >= 1) {
            resolve({ ok: false, accepted: 0, status, retryAfterS });
            return;
          }
          if (status !== 200) {
            resolve({ ok: false, accepted: 0, status, error: `HTTP ${status}` });
            return;
          }
          try {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { results: { outcome: string }[] };
            const accepted = answer.results.filter((r) => r.outcome === 'accepted').length;
            resolve({ ok: accepted === batch.items, accepted, status, ...(accepted === batch.items ? {} : { error: 'not all accepted' }) });
          } catch {
            resolve({ ok: false, accepted: 0, status, error: 'bad JSON answer' });
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ ok: false, accepted: 0, status: 0, error: err.message }));
    req.end(batch.body);
  });
}

/**
 * Pushes a batch until it is answered other than busy: after a 503 with Retry-After the device
 * waits that long (as the engine's backoff does) and sends the same batch again.
 */
async function pushThroughBusy(target: Target, auth: string, batch: Batch, result: PhaseResult): Promise<PushOutcome> {
  for (;;) {
    const outcome = await push(target, auth, batch);
    if (outcome.retryAfterS === undefined) return outcome;
    result.busy++;
    await sleep(outcome.retryAfterS * 1000);
  }
}

interface PhaseResult {
  name: string;
  /** From the phase's start to its last answer. */
  elapsedMs: number;
  /** Submissions acknowledged ("accepted"), stragglers after the window included. */
  acceptedTotal: number;
  batches: number;
  latencies: number[];
  errors: Map<string, number>;
  /** 503 busy answers (admission control) that were waited out and sent again. */
  busy: number;
  poolExhausted: boolean;
  offeredPerS?: number;
  /** Coklit cases: conflicts the fully accepted batches must have opened. */
  expectedConflicts: number;
}

class Pool {
  private next = 0;
  constructor(private readonly batches: readonly Batch[]) {}
  take(): Batch | undefined {
    return this.batches[this.next++];
  }
}

interface Device {
  auth: string;
  target: Target;
  /** The device's own queue (a coklit officer's voters); else it takes from the phase's shared pool. */
  pool?: Pool;
}

/**
 * Every device at once, back to back; no device starts a push after `windowMs`. The rate is every
 * acknowledged submission over the time until the last answer: counting only answers inside the
 * window would drop the up to devices × batch submissions still in flight when it closes.
 */
async function herd(devices: readonly Device[], pool: Pool, windowMs: number): Promise<PhaseResult> {
  const result: PhaseResult = { name: 'herd', elapsedMs: 0, acceptedTotal: 0, batches: 0, latencies: [], errors: new Map(), busy: 0, poolExhausted: false, expectedConflicts: 0 };
  const t0 = performance.now();
  const end = t0 + windowMs;
  let last = t0;
  await Promise.all(
    devices.map(async (device) => {
      while (performance.now() < end) {
        const batch = (device.pool ?? pool).take();
        if (!batch) {
          result.poolExhausted = true;
          return;
        }
        const sent = performance.now();
        const outcome = await pushThroughBusy(device.target, device.auth, batch, result);
        const done = performance.now();
        last = Math.max(last, done);
        result.acceptedTotal += outcome.accepted;
        result.latencies.push(done - sent);
        result.batches++;
        if (outcome.ok) result.expectedConflicts += batch.conflicts ?? 0;
        if (outcome.error) {
          result.errors.set(outcome.error, (result.errors.get(outcome.error) ?? 0) + 1);
          await sleep(100);
        }
      }
    }),
  );
  result.elapsedMs = last - t0;
  return result;
}

/**
 * An offered load of `ratePerS` submissions/s: each device sends a batch every
 * devices × mean batch ÷ rate seconds, phases spread evenly. A device never has two pushes in
 * flight (the engine does not either); a late one goes as soon as the previous is answered, and its
 * latency counts from when it was due, so a server that falls behind shows it (no coordinated
 * omission).
 */
async function paced(devices: readonly Device[], pool: Pool, windowMs: number, ratePerS: number): Promise<PhaseResult> {
  const result: PhaseResult = { name: `paced ${fmtInt(ratePerS)}/s`, elapsedMs: 0, acceptedTotal: 0, batches: 0, latencies: [], errors: new Map(), busy: 0, poolExhausted: false, expectedConflicts: 0 };
  let last = performance.now();
  const periodMs = (devices.length * MEAN_BATCH * 1000) / ratePerS;
  let offered = 0;
  const t0 = performance.now();
  await Promise.all(
    devices.map(async (device, i) => {
      for (let k = 0; ; k++) {
        const due = t0 + (i / devices.length) * periodMs + k * periodMs;
        if (due >= t0 + windowMs) return;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const batch = pool.take();
        if (!batch) {
          result.poolExhausted = true;
          return;
        }
        offered += batch.items;
        const outcome = await pushThroughBusy(device.target, device.auth, batch, result);
        const done = performance.now();
        last = Math.max(last, done);
        result.acceptedTotal += outcome.accepted;
        result.latencies.push(done - due);
        result.batches++;
        if (outcome.error) result.errors.set(outcome.error, (result.errors.get(outcome.error) ?? 0) + 1);
      }
    }),
  );
  result.offeredPerS = offered / (windowMs / 1000);
  result.elapsedMs = last - t0;
  return result;
}

// ---- Server processes and their memory.

/** CPU time (user + system) a process has used, in seconds; Linux only. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields after the command name, which sits in parentheses and may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, i.e. 11 and 12 here; in clock ticks
    // (USER_HZ), which is 100 on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function currentRss(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Measures a phase's CPU use: of the servers (summed) and of this load generator, in cores. */
async function measuredCpu<T extends PhaseResult>(pids: readonly (number | undefined)[], phase: () => Promise<T>): Promise<T & { serverCores: number; loadCores: number }> {
  const wall0 = performance.now();
  const server0 = pids.reduce((sum: number, pid) => sum + cpuSeconds(pid), 0);
  const load0 = process.cpuUsage();
  const result = await phase();
  const wallS = (performance.now() - wall0) / 1000;
  const server = pids.reduce((sum: number, pid) => sum + cpuSeconds(pid), 0) - server0;
  const load = process.cpuUsage(load0);
  return { ...result, serverCores: server / wallS, loadCores: (load.user + load.system) / 1e6 / wallS };
}

/** The distinct messages of errors the server logged (pino JSON lines at level ≥ 50), counted. */
function loggedErrors(output: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) < 50) continue;
      const message = (entry.err?.message ?? entry.msg ?? 'unknown').slice(0, 120);
      out.set(message, (out.get(message) ?? 0) + 1);
    } catch {
      // Not a log line.
    }
  }
  return out;
}

// ---- The coklit cases: officers updating voter records.

const BENCH_ACTOR = { actorId: 'bench', actorRole: 'bench' };

/**
 * A device's coklit queue in gzip batches of 10–50: each of `voters` visited once, on base version
 * 1, and about STALE_SHARE more updates that visit again, on the same base version, a voter of an
 * earlier batch (each at most once): a conflict when the second outcome differs from the first.
 */
function coklitBatches(voters: readonly GeneratedVoter[], total: number, recordOf: ReadonlyMap<string, string>, rng: () => number): Batch[] {
  const batches: Batch[] = [];
  const visited: { v: GeneratedVoter; outcome: Record<string, unknown> }[] = [];
  let next = 0;
  let made = 0;
  let k = Math.floor(rng() * OUTCOMES.length);
  const record = (v: GeneratedVoter) => ({ id: recordOf.get(v.key)!, baseVersion: 1 });
  while (made < total) {
    const size = BATCH_MIN + Math.floor(rng() * (BATCH_MAX - BATCH_MIN + 1));
    const items: SubmissionEnvelope[] = [];
    const firsts: typeof visited = [];
    let conflicts = 0;
    while (items.length < size && made < total) {
      const stale = visited.length > 0 && (rng() < STALE_SHARE || next >= voters.length);
      if (stale) {
        const first = visited.splice(Math.floor(rng() * visited.length), 1)[0]!;
        const outcome = OUTCOMES[(k++ * 3) % OUTCOMES.length]!;
        if (conflictsWith(first.outcome, outcome)) conflicts++;
        items.push(coklitOf(first.v, outcome, record(first.v)));
      } else if (next < voters.length) {
        const v = voters[next++]!;
        const outcome = OUTCOMES[k++ % OUTCOMES.length]!;
        firsts.push({ v, outcome });
        items.push(coklitOf(v, outcome, record(v)));
      } else {
        break;
      }
      made++;
    }
    if (items.length === 0) break;
    visited.push(...firsts);
    const json = JSON.stringify({ items });
    batches.push({ items: items.length, body: gzipSync(json), jsonBytes: Buffer.byteLength(json), conflicts });
  }
  return batches;
}

interface CoklitPrepared {
  devices: { auth: string; pool: Pool }[];
  records: number;
  loadMs: number;
  queued: number;
}

/**
 * Loads the voter records of enough villages for the run into the server's database (as h3's bulk
 * load does; the server is up and migrated, and idle), gives each device a pantarlih account
 * scoped to one village with a token, and prepares its queue over its own share of that village.
 */
async function prepareCoklit(opened: OpenedDatabase, dataDir: string, seed: number): Promise<CoklitPrepared> {
  const perDevice = Math.ceil((COKLIT_CEILING_PER_S * (PHASE_MS / 1000)) / DEVICES);
  const fresh = Math.ceil(perDevice * (1 - STALE_SHARE));
  const voters = Math.ceil(DEVICES * fresh * 1.25);
  const list = generateVoterList({ voters, tps: Math.max(1, Math.round(voters / VOTERS_PER_TPS)), share: 0, seed });
  const byVillage = new Map<string, GeneratedVoter[]>();
  for (const v of list.voters) (byVillage.get(v.desa) ?? byVillage.set(v.desa, []).get(v.desa)!).push(v);
  const slices: GeneratedVoter[][] = [];
  for (const vs of byVillage.values()) for (let i = 0; i + fresh <= vs.length && slices.length < DEVICES; i += fresh) slices.push(vs.slice(i, i + fresh));
  if (slices.length < DEVICES) throw new Error(`only ${slices.length} device shares of ${fresh} voters in ${voters} generated`);
  const keys = await new DataKeys(opened.db, loadKek({ dataDir, warn: () => {} })).ready();
  const now = new Date().toISOString();
  const t0 = performance.now();
  const records = await loadRecords(opened.db, opened.dialect, keys, list.voters.map(toListed), BENCH_ACTOR, now);
  const loadMs = performance.now() - t0;
  const recordOf = await recordIdsOf(opened.db, list.voters);
  const rng = createRng(seed);
  const devices: CoklitPrepared['devices'] = [];
  let queued = 0;
  for (const [i, slice] of slices.entries()) {
    const created = await createAccountChecked(
      opened.db,
      opened.dialect,
      { username: `pantarlih-bench-${i}`, password: 'kata-sandi-bench-123', role: 'pantarlih', scope: slice[0]!.desa, displayName: `Pantarlih ${i}` },
      BENCH_ACTOR,
      TEST_SCRYPT,
    );
    if (!created.ok) throw new Error(`account not created: ${created.error}`);
    const token = newDeviceToken();
    await issueToken(opened.db, { id: ulid(), accountId: created.account.id, label: 'bench', tokenHash: tokenHash(token), now });
    const batches = coklitBatches(slice, perDevice, recordOf, rng);
    queued += batches.reduce((n, b) => n + b.items, 0);
    devices.push({ auth: `Bearer ${token}`, pool: new Pool(batches) });
  }
  return { devices, records, loadMs, queued };
}

interface CoklitCheck {
  /** Coklit events (an update applied, or one that said what the record already said). */
  applied: number;
  conflicts: number;
  expectedConflicts: number;
  /** Submissions still marked as owing a voter record update after the drain (must be 0). */
  pending: number;
  records: number;
  loadMs: number;
}

async function countCoklit(opened: OpenedDatabase): Promise<Pick<CoklitCheck, 'applied' | 'conflicts' | 'pending'>> {
  const db = opened.db;
  const n = (row: { n: string | number } | undefined) => Number(row?.n ?? 0);
  const applied = await db.selectFrom('voter_record_events').select((eb) => eb.fn.countAll<string | number>().as('n')).where('kind', '=', 'coklit').executeTakeFirst();
  const conflicts = await db.selectFrom('voter_conflicts').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst();
  const pending = await db.selectFrom('submissions').select((eb) => eb.fn.countAll<string | number>().as('n')).where('voter_pending', 'is not', null).executeTakeFirst();
  return { applied: n(applied), conflicts: n(conflicts), pending: n(pending) };
}

interface CaseResult {
  name: string;
  label: string;
  serverErrors: Map<string, number>;
  phases: (PhaseResult & { serverCores: number; loadCores: number })[];
  idleRss: number[];
  rss: number[];
  stored: number;
  coklit?: CoklitCheck;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runCase(name: CaseName, devicesAuth: readonly string[], herdBatches: readonly Batch[], pacedBatches: readonly Batch[]): Promise<CaseResult> {
  const url = args['database-url'];
  const schema = `bench_${ulid().toLowerCase()}`;
  const processes = name === 'postgres-2' ? 2 : 1;
  const dialect = dialectOf(name);
  const openServerDb = (dataDir: string) =>
    openPreparedDatabase(dialect === 'sqlite' ? { dataDir } : { dataDir, databaseUrl: url, schema });
  // All 1,000 devices come from 127.0.0.1: the per-address push limit and the per-network share of
  // body readers (128, for a carrier NAT; http/admission.ts) would measure themselves — with the
  // share on, 872 of the herd are turned away at the door on every round and wait 1–4 s.
  const env: NodeJS.ProcessEnv = {
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PUSH_PER_IP_PER_MINUTE: '100000000',
    PUSH_MAX_READING_PER_NETWORK: '100000',
  };
  if (args['server-node-options'] !== undefined) env.NODE_OPTIONS = args['server-node-options'];
  if (dialect !== 'sqlite') Object.assign(env, { DATABASE_URL: url, DATABASE_SCHEMA: schema });

  const releases: (() => Promise<void>)[] = [];
  if (dialect !== 'sqlite') {
    releases.push(
      onCleanup(async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      }),
    );
  }
  const servers: ServerProcess[] = [];
  try {
    // One after the other: the first migrates the fresh schema, the second finds it ready.
    for (let i = 0; i < processes; i++) {
      const server = args.tsx ? await startServerProcess({ env }) : await startCompiledServer({ env, nodeFlags: args['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof-dir']}`] : [] });
      servers.push(server);
      releases.push(
        onCleanup(async () => {
          await server.stop();
          await rm(server.dataDir, { recursive: true, force: true });
        }),
      );
    }
    const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: DEVICES }));
    const targets: Target[] = servers.map((s, i) => ({ host: '127.0.0.1', port: s.port, agent: agents[i]! }));
    let devices: Device[] = devicesAuth.map((auth, i) => ({ auth, target: targets[i % targets.length]! }));
    let prepared: CoklitPrepared | undefined;
    if (isCoklit(name)) {
      console.error(`… ${name}: loading voter records and ${DEVICES} pantarlih accounts`);
      const opened = await openServerDb(servers[0]!.dataDir);
      try {
        prepared = await prepareCoklit(opened, servers[0]!.dataDir, 2024);
      } finally {
        await opened.close();
      }
      devices = prepared.devices.map((d, i) => ({ ...d, target: targets[i % targets.length]! }));
      console.error(`… ${name}: ${fmtInt(prepared.records)} voter records loaded in ${fmtMs(prepared.loadMs)}, ${fmtInt(prepared.queued)} coklit updates queued`);
    }

    const pids = servers.map((s) => s.child.pid);
    const idleRss = pids.map(currentRss);
    console.error(`… ${name}: herd of ${devices.length} devices for ${PHASE_MS / 1000} s`);
    const herdResult = await measuredCpu(pids, () => withTimeout(herd(devices, new Pool(herdBatches), PHASE_MS), PHASE_MS + DRAIN_MS, 'herd phase'));
    const phases = [herdResult];
    if (!prepared) {
      await sleep(1000);
      console.error(`… ${name}: paced ${PACED_RATE}/s for ${PHASE_MS / 1000} s`);
      phases.push(await measuredCpu(pids, () => withTimeout(paced(devices, new Pool(pacedBatches), PHASE_MS, PACED_RATE), PHASE_MS + DRAIN_MS, 'paced phase')));
    }
    const rss = pids.map(peakRss);
    for (const agent of agents) agent.destroy();

    let coklit: CoklitCheck | undefined;
    if (prepared) {
      const opened = await openServerDb(servers[0]!.dataDir);
      try {
        coklit = { ...(await countCoklit(opened)), expectedConflicts: herdResult.expectedConflicts, records: prepared.records, loadMs: prepared.loadMs };
      } finally {
        await opened.close();
      }
    }
    let stored: number;
    if (dialect === 'sqlite') {
      stored = countSubmissions(servers[0]!.dataDir);
    } else {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(`select count(*) as n from "${schema}".submissions`);
        stored = Number(rows[0]?.n ?? 0);
      } finally {
        await client.end();
      }
    }
    const LABELS: Record<CaseName, string> = {
      sqlite: 'SQLite (WAL, synchronous=FULL)',
      postgres: 'PostgreSQL, 1 process',
      'postgres-2': 'PostgreSQL, 2 processes',
      'sqlite-coklit': 'SQLite, coklit updates',
      'postgres-coklit': 'PostgreSQL 1 process, coklit updates',
    };
    const label = LABELS[name];
    const serverErrors = new Map<string, number>();
    for (const server of servers) for (const [m, n] of loggedErrors(server.output())) serverErrors.set(m, (serverErrors.get(m) ?? 0) + n);
    return { name, label, phases, idleRss, rss, stored, serverErrors, ...(coklit ? { coklit } : {}) };
  } finally {
    for (const release of releases.reverse()) await release();
  }
}

// ---- Main.

async function main(): Promise<void> {
  const started = performance.now();
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`# bench:server — ${new Date().toISOString()}, Node ${process.version}, ${availableParallelism()} × ${cpu}${args.quick ? ', --quick' : ''}`);
  console.log(`${fmtInt(DEVICES)} devices, gzip batches of ${BATCH_MIN}–${BATCH_MAX} PPID submissions, ${PHASE_MS / 1000} s per phase, all on 127.0.0.1`);
  console.log(machineLoad());
  if (args['server-node-options'] !== undefined) console.log(`server NODE_OPTIONS: ${args['server-node-options']}`);
  if (args.tsx) {
    console.log('server: node --import tsx server/main.ts (as the tests run it)');
  } else {
    const tBuild = performance.now();
    await buildServer();
    console.log(`server: compiled JavaScript, as npm start runs it (node ${SERVER_NODE_FLAGS.join(' ')}, build/server, built in ${fmtMs(performance.now() - tBuild)})`);
  }

  const rng = createRng(20261121);
  const answerPool = Array.from({ length: 4000 }, () => ppidAnswers(rng) as Record<string, string>);
  const devicesAuth = Array.from({ length: DEVICES }, () => deviceAuthorization(ulid(), randomSecret()));
  const tGen = performance.now();
  // The same prepared batches serve every case: each case starts on an empty database.
  const herdBatches = prepareBatches(HERD_CEILING_PER_S * (PHASE_MS / 1000), rng, answerPool, Date.parse('2026-11-21T00:00:00Z'));
  const pacedBatches = prepareBatches(Math.ceil(PACED_RATE * (PHASE_MS / 1000) * 1.2) + DEVICES * BATCH_MAX, rng, answerPool, Date.parse('2026-11-22T00:00:00Z'));
  const all = [...herdBatches, ...pacedBatches];
  const items = all.reduce((s, b) => s + b.items, 0);
  const json = all.reduce((s, b) => s + b.jsonBytes, 0);
  const gz = all.reduce((s, b) => s + b.body.length, 0);
  console.log(
    `prepared ${fmtInt(items)} submissions in ${fmtInt(all.length)} batches in ${fmtMs(performance.now() - tGen)}: ` +
      `${fmtInt(json / items)} B of JSON each, ${fmtBytes(gz / all.length)} gzip per batch (÷${(json / gz).toFixed(1)})`,
  );

  const results: CaseResult[] = [];
  for (const name of cases) {
    try {
      results.push(await runCase(name, devicesAuth, herdBatches, pacedBatches));
    } catch (err) {
      // PostgreSQL missing or a case broken: say so and go on with the others.
      console.log(`\n${name}: not measured: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const rows: string[][] = [];
  for (const r of results) {
    for (const phase of r.phases) {
      const sorted = [...phase.latencies].sort((a, b) => a - b);
      const perS = phase.acceptedTotal / (phase.elapsedMs / 1000);
      const p99 = percentile(sorted, 99);
      const errors = [...phase.errors].map(([e, n]) => `${n}× ${e}`).join(', ');
      const perSMark = r.name === 'sqlite' && phase.name === 'herd' ? ` ${mark(perS >= TARGET.sqlitePerS)}` : '';
      rows.push([
        r.label,
        phase.name,
        `${fmtInt(perS)}${perSMark}`,
        phase.offeredPerS !== undefined ? fmtInt(phase.offeredPerS) : 'max',
        fmtInt(phase.batches),
        fmtMs(percentile(sorted, 50)),
        `${fmtMs(p99)} ${mark(p99 < TARGET.p99Ms)}`,
        fmtMs(sorted[sorted.length - 1] ?? Number.NaN),
        `${phase.serverCores.toFixed(2)} / ${phase.loadCores.toFixed(2)}`,
        fmtInt(phase.busy),
        [errors, phase.poolExhausted ? 'prepared batches ran out' : ''].filter(Boolean).join('; ') || '–',
      ]);
    }
  }
  console.log('\n## Ingest: 1,000 devices pushing gzip batches\n');
  printTable(['server', 'phase', 'submissions/s', 'offered/s', 'batches', 'p50', 'p99 (< 2 s)', 'max', 'CPU server / load gen', 'busy 503', 'errors'], rows);

  console.log('\n## Per case\n');
  printTable(
    ['server', 'peak RSS per process (< 300 MB)', 'RSS before load', 'stored rows', 'acknowledged'],
    results.map((r) => {
      const acknowledged = r.phases.reduce((s, p) => s + p.acceptedTotal, 0);
      return [
        r.label,
        r.rss.map((b) => `${fmtBytes(b)} ${mark(b < TARGET.rssBytes)}`).join(', '),
        r.idleRss.map(fmtBytes).join(', '),
        fmtInt(r.stored),
        `${fmtInt(acknowledged)} ${mark(acknowledged === r.stored)}`,
      ];
    }),
  );
  const coklitRuns = results.filter((r) => r.coklit);
  if (coklitRuns.length > 0) {
    console.log('\n## Coklit herd (pantarlih updating voter records, conflicts checked) ÷ PPID herd, same run\n');
    const herdPerS = (r: CaseResult) => {
      const h = r.phases.find((p) => p.name === 'herd')!;
      return h.acceptedTotal / (h.elapsedMs / 1000);
    };
    printTable(
      ['server', 'records loaded', 'coklit herd', 'PPID herd', 'coklit ÷ PPID (≥ 0.80)', 'applied', 'conflicts (expected)', 'still pending (0)'],
      coklitRuns.map((r) => {
        const c = r.coklit!;
        const ppid = results.find((p) => p.name === dialectOf(r.name as CaseName));
        const ratio = ppid ? herdPerS(r) / herdPerS(ppid) : Number.NaN;
        const accepted = r.phases[0]!.acceptedTotal;
        return [
          r.label,
          `${fmtInt(c.records)} in ${fmtMs(c.loadMs)}`,
          `${fmtInt(herdPerS(r))}/s`,
          ppid ? `${fmtInt(herdPerS(ppid))}/s` : '(not run)',
          ppid ? `${ratio.toFixed(2)} ${mark(ratio >= 0.8)}` : '–',
          `${fmtInt(c.applied)} ${mark(c.applied + c.conflicts === accepted)}`,
          `${fmtInt(c.conflicts)} (${fmtInt(c.expectedConflicts)}) ${mark(c.conflicts === c.expectedConflicts)}`,
          `${fmtInt(c.pending)} ${mark(c.pending === 0)}`,
        ];
      }),
    );
    console.log('applied: coklit events (updates applied, or saying what the record already said); applied + conflicts = acknowledged.');
  }
  for (const r of results) {
    if (r.serverErrors.size === 0) continue;
    console.log(`\n${r.label}: errors the server logged:`);
    for (const [message, n] of r.serverErrors) console.log(`  ${n}× ${message}`);
  }
  console.log(
    [
      '',
      'submissions/s: every submission acknowledged ("accepted") in the phase ÷ the time from its start to its last answer.',
      `herd: all devices push at once, back to back, starting no push after ${PHASE_MS / 1000} s; by Little's law its latency is ≈ devices ÷ batches/s,`,
      `  so the 2-second p99 is only reachable there above ${fmtInt(DEVICES / 2)} batches/s (≈ ${fmtInt((DEVICES / 2) * MEAN_BATCH)} submissions/s).`,
      `paced: ${fmtInt(PACED_RATE)} submissions/s offered, each device every ${((DEVICES * MEAN_BATCH) / PACED_RATE).toFixed(1)} s; latency from when the batch was due.`,
      'CPU: cores busy during the phase (CPU seconds ÷ wall seconds), all server processes summed / this load generator.',
      'busy 503: pushes the server turned away before reading them (admission control); the device waited Retry-After and sent',
      '  the same batch again, and its latency counts from the first try.',
      'peak RSS: VmHWM of each server process at the end of the case; RSS before load: VmRSS once healthy.',
      'stored rows = acknowledged: the database holds exactly what the devices were told is accepted.',
      'The load generator runs on the same machine and takes CPU from the server(s): figures are a floor.',
    ].join('\n'),
  );
  console.log(`\n${machineLoad()}`);
  console.log(`\nbench:server took ${fmtMs(performance.now() - started)}.`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
