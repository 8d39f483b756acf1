// Shared machinery of the chaos tests: a seeded plan of faults for each simulated phone's own
// weak link, a server process that can be SIGKILLed and restarted on the same port, a driver
// that fires the kills and link toggles while the phones sync, and the exactly-once check of what
// the server stored against what the phones queued. Not a test file: the *.test.ts files use it.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson } from '../../core/hash.ts';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { rawPayloadOpener } from '../support/test-kek.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import type { SimDevice } from '../support/sim-device.ts';
import type { RequestHead } from '../support/weak-link/http-framer.ts';
import { createPrng } from '../support/weak-link/prng.ts';
import type { WeakLinkProfile } from '../support/weak-link/profiles.ts';
import { startWeakLinkProxy, type FaultInjection, type OfflineBehaviour, type OutageWindow, type WeakLinkProxy } from '../support/weak-link/proxy.ts';
import { FAULT_KINDS, type FaultKind } from '../support/weak-link/faults.ts';

/** CHAOS_SEED=<int> replays a run's fault plan; the default keeps `npm test` reproducible. */
export function chaosSeed(fallback: number): number {
  const raw = process.env.CHAOS_SEED?.trim();
  if (!raw) return fallback;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`CHAOS_SEED must be an integer, got ${raw}`);
  return seed;
}

/** A seed for one part of the run (a phone, its link, the kill plan), derived from the run's. */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let s = seed;
  for (const part of parts) s = Math.floor(createPrng(s ^ Math.imul(part + 1, 0x9e3779b1))() * 0x7fff_ffff);
  return s;
}

/** Uniform integer in [min, max]. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A fast link with some latency: the chaos comes from faults and outages, not from bandwidth, so
 * a run of ~1000 submissions fits the test's time budget.
 */
export const ISLAND_LAN: WeakLinkProfile = Object.freeze({ name: 'island-lan', rttMs: 20, downBps: 20_000_000, upBps: 10_000_000 });

/** The phones' client timeout; a stall holds a response longer than this. */
export const CLIENT_TIMEOUT_MS = 3_000;

/** Per-request probabilities of each injected fault. */
export interface FaultMix {
  resetBeforeCommit: number;
  resetAfterCommit: number;
  serverError: number;
  /** A response held past the client's timeout: the server committed, the phone gave up. */
  stall: number;
}

const isPush = (head: RequestHead) => head.method === 'POST' && head.target.endsWith('/push');

export interface ChaosLink {
  readonly label: string;
  readonly proxy: WeakLinkProxy;
  /** Which server process this link leads to. */
  readonly server: RestartableServer;
}

/** The fault of each kind as the chaos tests inject it. */
function faultOf(kind: FaultKind): FaultInjection {
  switch (kind) {
    case 'reset-before-commit':
    case 'reset-after-commit':
      return { kind };
    case '5xx':
      return { kind, status: 503 };
    case 'stall':
      return { kind, ms: CLIENT_TIMEOUT_MS + 1_500 };
  }
}

/**
 * One phone's radio link to one server process, with the fault mix applied to every request (a
 * fault on a pull or a forms fetch also interrupts a sync). `scripted` faults hit given pushes of
 * this link for sure, so every kind happens in every run whatever the draws. `onPush` sees each
 * push as its head arrives, which is how the driver arms its kills.
 */
export async function startChaosLink(options: {
  label: string;
  server: RestartableServer;
  seed: number;
  faults: FaultMix;
  scripted?: readonly { kind: FaultKind; atPush: number }[];
  whenOffline: OfflineBehaviour;
  onPush: (link: string) => void;
}): Promise<ChaosLink> {
  const proxy = await startWeakLinkProxy({
    target: { host: '127.0.0.1', port: options.server.port },
    profile: ISLAND_LAN,
    seed: options.seed,
    whenOffline: options.whenOffline,
  });
  let pushes = 0;
  // A rule that never fires: its match is a synchronous hook on every request head (rules are
  // tried in order, so it always runs), and a rule whose match says no takes no draw from the
  // PRNG, so the fault plan stays the seed's.
  proxy.injectFault({
    kind: 'stall',
    ms: 0,
    probability: 0,
    match: (head) => {
      if (isPush(head)) {
        pushes++;
        options.onPush(options.label);
      }
      return false;
    },
  });
  for (const { kind, atPush } of options.scripted ?? []) {
    proxy.injectFault({ ...faultOf(kind), match: (head) => isPush(head) && pushes === atPush });
  }
  const f = options.faults;
  proxy.injectFault({ ...faultOf('reset-before-commit'), probability: f.resetBeforeCommit });
  proxy.injectFault({ ...faultOf('reset-after-commit'), probability: f.resetAfterCommit });
  proxy.injectFault({ ...faultOf('5xx'), probability: f.serverError });
  proxy.injectFault({ ...faultOf('stall'), probability: f.stall });
  return { label: options.label, proxy, server: options.server };
}

/** Outage windows at seeded times within the first `withinMs`. */
export function planOutages(random: () => number, count: number, withinMs: number, minMs: number, maxMs: number): OutageWindow[] {
  return Array.from({ length: count }, () => ({ startMs: between(random, 0, withinMs), durationMs: between(random, minMs, maxMs) }));
}

/** What a server incarnation's request log says about the requests it never finished. */
class RequestTracker {
  private partial = '';
  /** reqId → path of requests that came in and have not completed. */
  readonly open = new Map<string, string>();
  pushesSeen = 0;

  feed(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      let entry: { reqId?: unknown; msg?: unknown; req?: { path?: unknown } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        continue;
      }
      if (typeof entry.reqId !== 'string') continue;
      if (entry.msg === 'incoming request') {
        const path = typeof entry.req?.path === 'string' ? entry.req.path : '?';
        this.open.set(entry.reqId, path);
        if (path.endsWith('/push')) this.pushesSeen++;
      } else if (entry.msg === 'request completed') {
        this.open.delete(entry.reqId);
      }
    }
  }

  openPushes(): number {
    return [...this.open.values()].filter((p) => p.endsWith('/push')).length;
  }
}

/**
 * The real server as a child process that can be SIGKILLed and started again on the same port
 * (the proxies cannot be re-pointed) and the same data directory or database. It reads the
 * process's request log to know which pushes are in progress, so a kill can be aimed at one.
 */
export class RestartableServer {
  private current: { process: ServerProcess; tracker: RequestTracker } | undefined;
  private readonly logs: string[] = [];
  restarts = 0;
  kills = 0;
  /** For each kill: pushes the dead process had taken in and never answered. */
  readonly pushesCutByKills: number[] = [];

  constructor(
    readonly label: string,
    readonly port: number,
    readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  async start(): Promise<void> {
    if (this.current) throw new Error(`${this.label} is already running`);
    // Generous: on a loaded machine the TypeScript loader alone takes ~20 s to bring a server up.
    const process = await startServerProcess({ dataDir: this.dataDir, port: this.port, env: this.env, startTimeoutMs: 90_000 });
    const tracker = new RequestTracker();
    tracker.feed(process.output());
    process.child.stdout?.on('data', (chunk: Buffer) => tracker.feed(chunk.toString()));
    this.current = { process, tracker };
  }

  async restart(): Promise<void> {
    await this.start();
    this.restarts++;
  }

  /** Pushes this incarnation is handling right now, as far as its log has told us. */
  openPushes(): number {
    return this.current?.tracker.openPushes() ?? 0;
  }

  /** A crash: no shutdown hook runs, an open transaction is simply gone. */
  async kill(): Promise<void> {
    const victim = this.current;
    if (!victim) throw new Error(`${this.label} is not running`);
    this.current = undefined;
    await victim.process.kill('SIGKILL');
    this.kills++;
    // 'exit' can come before the last of stdout: wait for the pipe to close.
    const stdout = victim.process.child.stdout;
    if (stdout && !stdout.closed) await new Promise((resolve) => stdout.once('close', resolve));
    // The log up to the kill is complete now (the pipe is drained once the process is gone).
    const postMortem = new RequestTracker();
    postMortem.feed(victim.process.output() + '\n');
    this.pushesCutByKills.push(postMortem.openPushes());
    this.logs.push(victim.process.output());
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Everything every incarnation printed, for a failure message. */
  output(): string {
    return [...this.logs, this.current?.process.output() ?? ''].join('\n--- restart ---\n');
  }

  async stop(): Promise<void> {
    const victim = this.current;
    this.current = undefined;
    if (victim) {
      await victim.process.stop();
      this.logs.push(victim.process.output());
    }
  }
}

export interface PlannedKill {
  server: RestartableServer;
  /** Armed once this many pushes went through the links to that server... */
  atPush: number;
  /** ...then fires this long after the server's log shows a push in progress, so it lands in
   * the body's arrival, the transaction or the answer, depending on the draw. */
  delayMs: number;
  /** How long the process stays dead before it is started again. */
  downMs: number;
}

export interface PlannedToggle {
  link: ChaosLink;
  atMs: number;
  offMs: number;
}

export interface ChaosDriver {
  /** To pass to startChaosLink. */
  onPush(link: string): void;
  /** Starts the timed link toggles; kills are armed from creation. */
  start(): void;
  /** Waits for a kill in progress to finish restarting; cancels those not yet fired. */
  finish(): Promise<{ killsFired: number; togglesFired: number }>;
}

/**
 * Fires the planned kills (each: SIGKILL, a pause, restart on the same port) and the manual link
 * toggles (setOnline false, then true).
 */
export function createChaosDriver(plan: { kills: PlannedKill[]; toggles: PlannedToggle[]; links: () => readonly ChaosLink[] }): ChaosDriver {
  const pushesTo = new Map<RestartableServer, number>();
  const pending = [...plan.kills];
  // One chain per server: a second kill of a process waits for its restart, but one process's
  // restart never delays the kill of another.
  const chains = new Map<RestartableServer, Promise<void>>();
  let failure: unknown;
  let killsFired = 0;
  let togglesFired = 0;
  const timers: NodeJS.Timeout[] = [];
  let finished = false;

  function arm(kill: PlannedKill): void {
    const chain = (chains.get(kill.server) ?? Promise.resolve())
      .then(async () => {
        // Wait for the server to be inside a push (its log says it came in, not that it ended),
        // let the drawn delay pass, and fire if one is still in progress; a push that finished
        // meanwhile means waiting for the next (a few times at most, then fire regardless).
        for (let tries = 0; ; tries++) {
          while (!finished && kill.server.openPushes() === 0) await sleep(1);
          if (finished) return;
          await sleep(kill.delayMs);
          if (kill.server.openPushes() > 0 || tries >= 10) break;
        }
        await kill.server.kill();
        killsFired++;
        await sleep(kill.downMs);
        await kill.server.restart();
      })
      .catch((error: unknown) => {
        failure ??= error;
      });
    chains.set(kill.server, chain);
  }

  return {
    onPush(label) {
      if (finished) return;
      const link = plan.links().find((l) => l.label === label);
      if (!link) return;
      const n = (pushesTo.get(link.server) ?? 0) + 1;
      pushesTo.set(link.server, n);
      for (const kill of [...pending]) {
        if (kill.server === link.server && n >= kill.atPush) {
          pending.splice(pending.indexOf(kill), 1);
          arm(kill);
        }
      }
    },
    start() {
      for (const toggle of plan.toggles) {
        timers.push(
          setTimeout(() => {
            if (finished) return;
            togglesFired++;
            toggle.link.proxy.setOnline(false);
            timers.push(setTimeout(() => toggle.link.proxy.setOnline(true), toggle.offMs));
          }, toggle.atMs),
        );
      }
    },
    async finish() {
      finished = true;
      await Promise.all(chains.values());
      for (const t of timers) clearTimeout(t);
      for (const toggle of plan.toggles) toggle.link.proxy.setOnline(true);
      if (failure) throw failure;
      return { killsFired, togglesFired };
    },
  };
}

/** Lifts every fault and outage, for the final settling sync. */
export function calmLinks(links: readonly ChaosLink[]): void {
  for (const { proxy } of links) {
    proxy.clearFaults();
    proxy.scheduleOutages([]);
    proxy.setOnline(true);
  }
}

/**
 * After the storm, one calm sync per phone pulls the statuses and must find nothing left to
 * push. A keep-alive socket that died with a killed server can still fail the first try, so a
 * phone gets a few; returns each phone's last outcome and the items it pushed meanwhile.
 */
export async function settle(devices: readonly SimDevice[]): Promise<[string, number][]> {
  return Promise.all(
    devices.map(async (device): Promise<[string, number]> => {
      let pushed = 0;
      let outcome = 'none';
      for (let attempt = 0; attempt < 5 && outcome !== 'ok'; attempt++) {
        if (attempt > 0) await sleep(200);
        const report = await device.sync('manual');
        pushed += report.pushed.items;
        outcome = report.outcome;
      }
      return [outcome, pushed];
    }),
  );
}

export interface LinkTotals {
  requests: number;
  resets: number;
  connections: number;
  bytesUp: number;
  faults: Record<FaultKind, number>;
}

export function linkTotals(links: readonly ChaosLink[]): LinkTotals {
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  const t: LinkTotals = { requests: 0, resets: 0, connections: 0, bytesUp: 0, faults };
  for (const { proxy } of links) {
    const s = proxy.stats();
    t.requests += s.requests;
    t.resets += s.resets;
    t.connections += s.connections;
    t.bytesUp += s.bytesUp;
    for (const k of FAULT_KINDS) t.faults[k] += s.faults[k];
  }
  return t;
}

// ---- The exactly-once check ---------------------------------------------------------------

/** A submissions row as the server stored it (column names of server/db/schema.ts). */
export interface StoredRow {
  id: string;
  form_id: string;
  form_version: number;
  created_at: string;
  received_at: string;
  payload_json: string;
  device_id: string;
}

export interface ServerHoldings {
  rows: StoredRow[];
  /** count(*) and count(distinct id) of the submissions table. */
  total: number;
  distinct: number;
  /** submission id → number of 'changes' rows (the pull log). */
  changesPerSubmission: Map<string, number>;
  /** submission id → device ids linked to it (who may pull its status). */
  linksPerSubmission: Map<string, string[]>;
}

export interface Queued {
  envelope: SubmissionEnvelope;
  device: string;
  deviceId: string;
}

/** Up to `max` examples per kind of problem, so a failure message stays readable. */
class Problems {
  readonly list: string[] = [];
  private readonly perKind = new Map<string, number>();
  add(kind: string, detail: string, max = 5): void {
    const n = (this.perKind.get(kind) ?? 0) + 1;
    this.perKind.set(kind, n);
    if (n <= max) this.list.push(`${kind}: ${detail}`);
  }
  summary(): string[] {
    const more = [...this.perKind].filter(([, n]) => n > 5).map(([k, n]) => `${k}: ${n} in all`);
    return [...this.list, ...more];
  }
}

/** Submissions the office answered before the calm sync: id → the status and text given. */
export type Answered = ReadonlyMap<string, { status: 'diproses' | 'selesai' | 'ditolak'; text: string }>;

/**
 * The office answers one submission of each of the first `count` phones (through the CLI, as an
 * officer does), so the calm sync has answers to pull.
 */
export async function answerSome(
  queued: ReadonlyMap<string, Queued>,
  count: number,
  answer: (id: string, status: 'selesai', text: string) => Promise<unknown>,
): Promise<Answered> {
  const answered = new Map<string, { status: 'selesai'; text: string }>();
  const phones = new Set<string>();
  for (const [id, q] of queued) {
    if (phones.size >= count) break;
    if (phones.has(q.device)) continue;
    phones.add(q.device);
    const text = `Jawaban untuk ${q.device}.`;
    await answer(id, 'selesai', text);
    answered.set(id, { status: 'selesai', text });
  }
  return answered;
}

/** What the server's SQLite file holds, the sealed payloads opened with the test KEK. */
export function readSqliteHoldings(dataDir: string): ServerHoldings {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT id, form_id, form_version, created_at, received_at, payload_json, device_id FROM submissions')
      .all() as StoredRow[];
    const open = rawPayloadOpener(db.prepare('SELECT id, wrapped FROM data_keys').all() as { id: string; wrapped: string | null }[]);
    for (const row of rows) row.payload_json = open(row.id, row.payload_json);
    const { total, distinct } = db.prepare('SELECT count(*) AS total, count(DISTINCT id) AS "distinct" FROM submissions').get() as {
      total: number;
      distinct: number;
    };
    const changes = db.prepare('SELECT submission_id AS id, count(*) AS n FROM changes GROUP BY submission_id').all() as { id: string; n: number }[];
    const links = db.prepare('SELECT submission_id AS id, device_id FROM submission_devices').all() as { id: string; device_id: string }[];
    const linksPerSubmission = new Map<string, string[]>();
    for (const l of links) linksPerSubmission.set(l.id, [...(linksPerSubmission.get(l.id) ?? []), l.device_id]);
    return { rows, total, distinct, changesPerSubmission: new Map(changes.map((c) => [c.id, c.n])), linksPerSubmission };
  } finally {
    db.close();
  }
}

/**
 * Every queued submission is on the server exactly once, byte for byte what the phone queued,
 * delivered by its own phone, with exactly one 'diterima' entry in the change log (and one more
 * for each answer); nothing else is there. Returns the problems found (empty when all holds).
 */
export function checkServerHoldings(queued: ReadonlyMap<string, Queued>, held: ServerHoldings, answered: Answered = new Map()): string[] {
  const p = new Problems();
  if (held.total !== held.distinct) p.add('duplicate rows', `${held.total} rows for ${held.distinct} ids`);
  const seen = new Map<string, number>();
  for (const row of held.rows) seen.set(row.id, (seen.get(row.id) ?? 0) + 1);
  for (const [id, n] of seen) if (n > 1) p.add('stored more than once', `${id} ×${n}`);
  for (const id of queued.keys()) if (!seen.has(id)) p.add('missing', id);
  for (const row of held.rows) {
    const q = queued.get(row.id);
    if (!q) {
      p.add('extra row', row.id);
      continue;
    }
    const e = q.envelope;
    if (row.payload_json !== canonicalJson(e.data)) p.add('payload differs', `${row.id} stored ${row.payload_json.slice(0, 80)}…`);
    else if (canonicalJson(JSON.parse(row.payload_json)) !== canonicalJson(e.data)) p.add('payload does not round-trip', row.id);
    if (row.form_id !== e.formId || Number(row.form_version) !== e.formVersion) {
      p.add('form differs', `${row.id} ${row.form_id}@${row.form_version} vs ${e.formId}@${e.formVersion}`);
    }
    if (row.created_at !== e.createdAt) p.add('createdAt differs', `${row.id} ${row.created_at} vs ${e.createdAt}`);
    if (row.device_id !== q.deviceId) p.add('wrong device', `${row.id} from ${row.device_id}, queued on ${q.device}`);
  }
  for (const id of queued.keys()) {
    const changes = held.changesPerSubmission.get(id) ?? 0;
    const expected = answered.has(id) ? 2 : 1;
    if (seen.has(id) && changes !== expected) p.add(`change log entries ≠ ${expected}`, `${id} has ${changes}`);
    const links = held.linksPerSubmission.get(id) ?? [];
    const q = queued.get(id);
    if (seen.has(id) && (links.length !== 1 || links[0] !== q?.deviceId)) p.add('device links', `${id}: ${links.join(',')}`);
  }
  for (const id of held.changesPerSubmission.keys()) if (!queued.has(id)) p.add('change for unknown id', id);
  return p.summary();
}

/**
 * Every phone shows every item it queued as sent, with the server's original receipt time (a
 * duplicate answer carries the first acknowledgement's); the office's answers were pulled, and
 * nothing else was: the "diterima" the push answer told it never comes back down. Its outbox is
 * empty.
 */
export async function checkDevices(
  devices: readonly SimDevice[],
  queued: ReadonlyMap<string, Queued>,
  held: ServerHoldings,
  answered: Answered = new Map(),
): Promise<string[]> {
  const p = new Problems();
  const receivedAt = new Map(held.rows.map((r) => [r.id, r.received_at]));
  for (const device of devices) {
    const outbox = await device.outboxRows();
    if (outbox.length > 0) p.add('outbox not empty', `${device.name}: ${outbox.length} rows, e.g. ${outbox[0]?.state} ${outbox[0]?.lastError ?? ''}`);
    const receipts = await device.receipts();
    const mine = [...queued.values()].filter((q) => q.device === device.name);
    if (receipts.length !== mine.length) p.add('receipt count', `${device.name}: ${receipts.length} receipts for ${mine.length} queued`);
    const byId = new Map(receipts.map((r) => [r.id, r]));
    for (const q of mine) {
      const r = byId.get(q.envelope.id);
      if (!r) {
        p.add('receipt missing', `${device.name} ${q.envelope.id}`);
        continue;
      }
      if (r.state !== 'sent') p.add('not shown as sent', `${device.name} ${r.id} is ${r.state}`);
      if (r.receivedAt !== receivedAt.get(r.id)) p.add('receivedAt differs', `${device.name} ${r.id}: ${r.receivedAt} vs server ${receivedAt.get(r.id)}`);
      const answer = answered.get(r.id);
      if (answer) {
        if (r.status !== answer.status || r.answer !== answer.text) {
          p.add('answer not pulled', `${device.name} ${r.id}: ${r.status ?? '(none)'} ${r.answer ?? ''}`);
        }
      } else if (r.status !== undefined) {
        p.add('pulled what the push answer said', `${device.name} ${r.id}: ${r.status}`);
      }
    }
  }
  return p.summary();
}

export async function queuedOn(devices: readonly SimDevice[], perDevice: readonly SubmissionEnvelope[][]): Promise<Map<string, Queued>> {
  const queued = new Map<string, Queued>();
  for (const [i, device] of devices.entries()) {
    const deviceId = await device.deviceId();
    for (const envelope of perDevice[i] ?? []) {
      if (queued.has(envelope.id)) throw new Error(`two devices made the same id ${envelope.id}`);
      queued.set(envelope.id, { envelope, device: device.name, deviceId });
    }
  }
  return queued;
}

export interface RunFigures {
  label: string;
  seed: number;
  submissions: number;
  stored: number;
  devices: readonly SimDevice[];
  links: readonly ChaosLink[];
  servers: readonly RestartableServer[];
  outageWindows: number;
  toggles: number;
  elapsedMs: number;
}

/** The figures of a run, printed so a reader of the log sees how hard the run shook things. */
export function printFigures(f: RunFigures): void {
  const link = linkTotals(f.links);
  const engine = { syncs: 0, requests: 0, accepted: 0, duplicate: 0, outcomes: {} as Record<string, number> };
  for (const d of f.devices) {
    const t = d.totals();
    engine.syncs += t.syncs;
    engine.requests += t.requests;
    engine.accepted += t.accepted;
    engine.duplicate += t.duplicate;
    for (const [k, n] of Object.entries(t.outcomes)) engine.outcomes[k] = (engine.outcomes[k] ?? 0) + n;
  }
  const lines = [
    `[chaos ${f.label}] seed ${f.seed} (replay: CHAOS_SEED=${f.seed})`,
    `  submissions queued ${f.submissions} on ${f.devices.length} devices; stored ${f.stored}`,
    `  requests through the links ${link.requests} (engine counted ${engine.requests}), connections ${link.connections}, bytes up ${link.bytesUp}`,
    `  faults injected: ${FAULT_KINDS.map((k) => `${k} ${link.faults[k]}`).join(', ')}`,
    `  resets by the links ${link.resets}; outage windows ${f.outageWindows}; manual offline toggles ${f.toggles}`,
    `  server kills (SIGKILL) ${f.servers.map((s) => `${s.label} ${s.kills}`).join(', ')}; restarts ${f.servers.map((s) => `${s.label} ${s.restarts}`).join(', ')}; pushes cut by each kill ${f.servers.map((s) => `${s.label} [${s.pushesCutByKills.join(', ')}]`).join(', ')}`,
    `  sync runs ${engine.syncs} (${Object.entries(engine.outcomes).map(([k, n]) => `${k} ${n}`).join(', ')}); items answered accepted ${engine.accepted}, duplicate ${engine.duplicate}`,
    `  elapsed ${(f.elapsedMs / 1000).toFixed(1)} s`,
  ];
  console.log(lines.join('\n'));
}
