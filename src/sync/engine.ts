// The sync engine: one module, run by the page and by the service worker. It pushes the outbox in
// byte-sized batches, applies each item's answer, pulls status changes, refreshes the forms, and
// backs off after failures. Storage and network come in as arguments; no network call happens
// inside an IndexedDB transaction (invariant 7): rows are read, the transaction ends, then we send.
// When to try again is core/sync-retry.ts: a lost link is probed at a short cadence, only the
// server's answers grow the delay.
import { ulid } from '../../core/ids.ts';
import type { PushResponse, SubmissionEnvelope } from '../../core/protocol.ts';
import type { ApiClient, ApiResult } from '../lib/api-client.ts';
import { cacheForms, heldFormsTag, heldVersionsReport } from '../db/forms-cache.ts';
import { getMeta, getSyncMeta, putSyncMeta, setMeta, type SyncMeta, type SyncOutcome } from '../db/meta.ts';
import { applyPushResults, countOutbox, listQueued, recordFailedAttempt } from '../db/outbox.ts';
import { applyChanges, DEVICE_PULL, getPullCursor } from '../db/receipts.ts';
import type { JangkauDb, OutboxRow } from '../db/schema.ts';
import type { BackoffOptions } from '../../core/backoff.ts';
import { afterRun, DEFAULT_RETRY_POLICY, planRun, type RetryPolicy, type RunEnd, type RunPlan } from '../../core/sync-retry.ts';
import { PESSIMISTIC_LINK } from '../lib/link-estimate.ts';
import { DEFAULT_BATCH_LIMITS, fitBytes, nextBatchCap, planBatches } from './batching.ts';
import { isSyncMessage, SYNC_CHANNEL_NAME, SYNC_LOCK_NAME, SYNC_MESSAGES, type SyncMessage } from './messages.ts';
import { INITIAL_STATE, phaseAfter, type SyncReason, type SyncState } from './state.ts';
import type { UploadPhase, UploadPhaseResult } from './upload-phase.ts';
import { followOfficerEntries, relinkIfPending } from './relink.ts';

export type { SyncOutcome } from '../db/meta.ts';
export type { SyncPhase, SyncReason, SyncState, Progress, UploadTotals } from './state.ts';

/** What a Web Lock manager must offer; `navigator.locks` fits. */
export interface SyncLocks {
  request<T>(name: string, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/** A BroadcastChannel, or anything shaped like one. */
export interface SyncChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/**
 * The databases whose queues a sync sends, and the one whose counts the screens show. With practice
 * mode (src/db/practice.ts) a device holds two queues: both are sent, each entry as it was queued.
 */
export interface SyncQueues {
  shown: JangkauDb;
  all: readonly JangkauDb[];
}

export interface SyncEngineOptions {
  /** Forms, sync bookkeeping, pull cursor and receipts' statuses; and the queue, unless `queues` says otherwise. */
  db: JangkauDb;
  /** Read at the start of every sync and recount; left out, `db` alone. */
  queues?: () => Promise<SyncQueues>;
  api: ApiClient;
  now?: () => number;
  /**
   * The Web Lock manager that keeps page and worker from draining at once (invariant 8). Left out,
   * `navigator.locks` is used when the runtime has it; passed explicitly as undefined, no lock.
   */
  locks?: SyncLocks | undefined;
  /** In [0, 1); drives the backoff jitter. */
  random?: () => number;
  batchMaxBytes?: number;
  batchMaxItems?: number;
  /** The backoff for the server's answers; shorthand for `retry.backoff`. */
  backoff?: BackoffOptions;
  /** When to try again after each kind of failure (core/sync-retry.ts); left out, the default. */
  retry?: RetryPolicy;
  /** Changes asked for per pull request. */
  pullLimit?: number;
  /**
   * How old the cached forms may get before a sync fetches them again; 'start' and 'manual' syncs
   * always fetch. Keeps a backlog's sync within its request budget.
   */
  formsMaxAgeMs?: number;
  /**
   * Where the state is published for other contexts. Left out, a BroadcastChannel named
   * 'jangkau-sync' when the runtime has one; null for none.
   */
  channel?: SyncChannel | null;
  /** Sends the stored photos and documents after the data (upload-phase.ts); left out, none. */
  uploads?: UploadPhase;
  /**
   * Under which identity each queued row goes, read at every push: the one that filed it
   * (src/sync/send-identities.ts), since the server follows a submission for the identity that
   * pushed it; undefined while the row waits (an officer's rows sealed at rest until the PIN
   * unlocks the device, or held until an officer logs in). Left out: every row, under the api's own
   * credential.
   */
  pushAs?: () => Promise<(row: OutboxRow) => SyncIdentity | undefined>;
  /**
   * What a 401 means (src/sync/unauthorized.ts), given the key of the identity refused (undefined:
   * the api's own credential). 'renewed': a resident's device made itself a fresh identity, and
   * the push and pull run once more with it; 'login': an officer must log in again, the queue waits
   * ("Perlu masuk ulang"). Left out: 'login'.
   */
  onUnauthorized?: (refused: string | undefined) => Promise<'renewed' | 'login'>;
  /**
   * Whose status changes to pull, read at every sync: the server follows a submission for the
   * identity that pushed it, so a phone that filed requests as a resident and later as an officer
   * pulls for both, each with its own cursor. Left out: the api's own credential alone.
   */
  pullAs?: () => Promise<readonly PullIdentity[]>;
}

/** An identity the device sends or pulls as (see `pushAs`, `pullAs`). */
export interface SyncIdentity {
  /** Names it (and its pull cursor): DEVICE_PULL for the device's own credential, else e.g. the officer token's device id. */
  key: string;
  /** Its `Authorization`; left out, the api's own. */
  authorization?: string;
}

/** One identity the device pulls changes for (see `pullAs`). */
export interface PullIdentity extends SyncIdentity {
  /**
   * Pulled after the others, and a failure of it (say the device's own credential refused while an
   * officer is logged in) ends only its own pull: the sync's outcome is the main identity's.
   */
  secondary?: boolean;
}

export interface SyncReport {
  reason: SyncReason;
  outcome: SyncOutcome;
  /** Requests made: pushes, pull pages and the forms fetch. */
  requests: number;
  pushed: { items: number; bytes: number; accepted: number; duplicate: number; rejected: number; unanswered: number };
  pulled: { changes: number; applied: number };
  formsRefreshed: boolean;
  /** Files sent to the server in full, and refused by it. */
  uploaded: { files: number; rejected: number; bytes: number };
  nextAttemptAt?: number;
  /** What failed, for logs; never shown as is to the person. */
  error?: string;
  /** The key of a secondary pull identity the server refused (401) in this sync, if any. */
  secondaryRefused?: string;
}

export interface SyncEngine {
  /** Runs a sync (or joins the one about to run). Never rejects: failures are in the report. */
  sync(reason: SyncReason): Promise<SyncReport>;
  /** Calls `fn` now and on every state change; returns the unsubscribe function. */
  subscribe(fn: (state: SyncState) => void): () => void;
  getState(): SyncState;
  /** Reloads counts and the remembered outcome from storage, without touching the network. */
  refresh(): Promise<SyncState>;
  /** Stops listening to other contexts and closes the channel. */
  close(): void;
}

const DEFAULT_PULL_LIMIT = 500;
/** A push failing later than this was on its way when the link went, rather than never started. */
const CUT_AFTER_MS = 1000;
const DEFAULT_FORMS_MAX_AGE_MS = 60 * 60_000;
/** A guard against a server that keeps answering `more: true`; the next sync continues. */
const MAX_PULL_PAGES = 50;

/** `as`: for a 401, the key of the identity refused, when it was not the api's own credential. */
type Failure = Exclude<ApiResult<unknown>, { kind: 'ok' }> & { as?: string };

/** A failure met while sending or pulling as `identity`. */
function failedAs(failure: Failure, identity: SyncIdentity): Failure {
  return identity.authorization !== undefined ? { ...failure, as: identity.key } : failure;
}

function outcomeOf(failure: Failure): SyncOutcome {
  return failure.kind;
}

function describeFailure(failure: Failure): string {
  switch (failure.kind) {
    case 'offline':
      return `offline: ${failure.error}`;
    case 'auth':
      return 'auth: 401';
    case 'server_error':
      return `server_error: ${failure.status}`;
    case 'client_error':
      return `client_error: ${failure.status}`;
  }
}

function defaultLocks(): SyncLocks | undefined {
  return (globalThis as { navigator?: { locks?: SyncLocks } }).navigator?.locks;
}

function defaultChannel(): SyncChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  return new BroadcastChannel(SYNC_CHANNEL_NAME) as unknown as SyncChannel;
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db } = options;
  /** Set when a request of the running sync got any answer, or was reset under way: the link was there. */
  let answered = false;
  const api = noticingAnswers(options.api, () => {
    answered = true;
  });
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const locks = 'locks' in options ? options.locks : defaultLocks();
  const channel = options.channel === undefined ? defaultChannel() : options.channel;
  const limits = {
    maxBytes: options.batchMaxBytes ?? DEFAULT_BATCH_LIMITS.maxBytes,
    maxItems: options.batchMaxItems ?? DEFAULT_BATCH_LIMITS.maxItems,
  };
  const retry: RetryPolicy = { ...(options.retry ?? DEFAULT_RETRY_POLICY), ...(options.backoff && { backoff: options.backoff }) };
  const pullLimit = options.pullLimit ?? DEFAULT_PULL_LIMIT;
  const formsMaxAgeMs = options.formsMaxAgeMs ?? DEFAULT_FORMS_MAX_AGE_MS;
  const queues = options.queues ?? (() => Promise.resolve({ shown: db, all: [db] }));
  const countShown = async () => countOutbox((await queues()).shown);
  const source = ulid();

  let state: SyncState = INITIAL_STATE;
  const listeners = new Set<(state: SyncState) => void>();
  let running: Promise<SyncReport> | undefined;
  let followUp: Promise<SyncReport> | undefined;
  /** Whether a caller of the follow-up pressed "Kirim sekarang": then it runs whatever came before. */
  let followUpManual = false;
  /** True from taking the lock to publishing the result; not while waiting for the lock. */
  let draining = false;

  function notify(): void {
    for (const fn of listeners) {
      try {
        fn(state);
      } catch (error) {
        // A broken screen must not break the sync, nor the other listeners.
        console.error('sync listener failed', error);
      }
    }
  }

  function publish(patch: Partial<SyncState>): void {
    state = { ...state, ...patch };
    notify();
    if (channel) {
      const message: SyncMessage = { type: SYNC_MESSAGES.state, source, state };
      try {
        channel.postMessage(message);
      } catch {
        // A closed channel only means no other context is told; this one still is.
      }
    }
  }

  function onMessage(event: { data: unknown }): void {
    const message = event.data;
    if (!isSyncMessage(message) || message.source === source) return;
    // While this context drains, its own state is the truth; otherwise (also while it waits for
    // the lock) show what the other context is doing.
    if (draining) return;
    state = message.state;
    notify();
  }
  channel?.addEventListener('message', onMessage);

  function stateFrom(meta: SyncMeta, counts: { queued: number; needsFix: number }): Partial<SyncState> {
    return {
      phase: phaseAfter(meta.lastOutcome),
      lastSyncAt: meta.lastSyncAt,
      lastOutcome: meta.lastOutcome,
      nextAttemptAt: meta.nextAttemptAt,
      queued: counts.queued,
      needsFix: counts.needsFix,
    };
  }

  async function refresh(): Promise<SyncState> {
    const [meta, counts] = await Promise.all([getSyncMeta(db), countShown()]);
    publish(stateFrom(meta, counts));
    return state;
  }

  /**
   * Pushes every queued row; returns the failure that stopped it, if any. Once a push of this sync
   * was acknowledged at the full batch size, two go at a time: the next one uploads while the
   * previous one's round trip and answer complete, so a long backlog keeps the uplink busy instead
   * of idling for a round trip per batch (1.3 s on 2G). After a cut lowered the cap (a short
   * signal window), they go one at a time again, so each has the window to itself.
   */
  async function push(report: SyncReport, windowed: boolean): Promise<Failure | undefined> {
    let cap = Math.min((await getMeta(db, 'batchCap')) ?? limits.maxBytes, limits.maxBytes);
    const senderOf = options.pushAs ? await options.pushAs() : (): SyncIdentity => ({ key: DEVICE_PULL });
    // The link just came back after failing: a window may be short, so the first request carries
    // what the link is likely to move before it closes; the next ones continue at the cap.
    let first = windowed ? Math.min(cap, fitBytes(api.linkEstimate?.() ?? PESSIMISTIC_LINK)) : cap;
    // Each batch holds rows of one queue, whose answers are applied there, filed by one identity,
    // under which it goes (one request has one credential).
    const batches: { rows: OutboxRow[]; queue: JangkauDb; as: SyncIdentity }[] = [];
    const total = { items: 0, bytes: 0 };
    for (const queue of (await queues()).all) {
      const bySender = new Map<string, { as: SyncIdentity; rows: OutboxRow[] }>();
      for (const row of await listQueued(queue)) {
        const as = senderOf(row);
        if (!as) continue;
        const group = bySender.get(as.key) ?? { as, rows: [] };
        group.rows.push(row);
        bySender.set(as.key, group);
        total.items++;
        total.bytes += row.bytes;
      }
      for (const { as, rows } of bySender.values()) {
        let rest = rows;
        if (first < cap && rows.length > 0) {
          const head = planBatches(rows, { ...limits, maxBytes: first })[0] ?? [];
          batches.push({ rows: head, queue, as });
          rest = rows.slice(head.length);
          first = cap;
        }
        for (const batch of planBatches(rest, { ...limits, maxBytes: cap })) batches.push({ rows: batch, queue, as });
      }
    }
    const sent = { items: 0, bytes: 0 };
    publish({ total, sent });
    const inFlight: { batch: OutboxRow[]; queue: JangkauDb; as: SyncIdentity; started: number; answer: Promise<ApiResult<PushResponse>> }[] = [];
    let next = 0;
    let acked = 0;
    let failure: Failure | undefined;
    /** A 401 stops the batches of the identity refused only: a revoked officer's token holds no resident's request. */
    let refused: Failure | undefined;
    const refusedKeys = new Set<string>();
    const depth = () => (acked > 0 && cap >= limits.maxBytes ? 2 : 1);
    let resentAfterCut = false;
    while (inFlight.length > 0 || (failure === undefined && next < batches.length)) {
      if (failure === undefined && next < batches.length && inFlight.length < depth()) {
        const { rows: batch, queue, as } = batches[next++]!;
        if (refusedKeys.has(as.key)) continue;
        const envelopes: SubmissionEnvelope[] = batch.map((r) => r.envelope);
        report.requests++;
        const auth = as.authorization !== undefined ? { authorization: as.authorization } : {};
        // Until a push of this sync was answered, the link may still be down: a short deadline.
        inFlight.push({ batch, queue, as, started: now(), answer: api.push(envelopes, { ...auth, ...(windowed && acked === 0 && { windowed: true }) }) });
        continue;
      }
      const { batch, queue, as, started, answer } = inFlight.shift()!;
      const result = await answer;
      if (result.kind === 'auth') {
        // No fault of the items, so it does not count as their try.
        refusedKeys.add(as.key);
        refused ??= failedAs(result, as);
        continue;
      }
      if (result.kind !== 'ok') {
        await recordFailedAttempt(queue, ids(batch), describeFailure(result));
        // Cut while under way, not refused at once for want of any network: the batch was too
        // long for the window the link gave.
        const cut = result.kind === 'offline' && now() - started >= CUT_AFTER_MS;
        // Once a sync: the batch sent again at once after a cut is the same try of the same window
        // (bench/README.md, seed 3: two cuts in a window left the cap at a quarter, the next
        // window's 20 requests went in two pushes, and the second missed the window's end).
        if (cut && failure === undefined && !resentAfterCut) {
          cap = nextBatchCap(cap, 'cut', limits.maxBytes);
          await setMeta(db, 'batchCap', cap);
        }
        // Reset under way (not timed out): the link carried this connection a moment ago, so a
        // window may still be open. Once a sync, the batch goes again at once on a fresh
        // connection, rather than a probe interval later; in a down phase that costs one refused
        // connection.
        // A reset under way is also the link seen: the retry cadence stays the fast one
        // (core/sync-retry.ts), as after an answer (seed 3 on pulau-sela-8: with every push of
        // three windows cut, the slow cadence found the next windows 2–2.7 s late).
        if (cut && result.error !== 'timeout') answered = true;
        if (cut && result.error !== 'timeout' && !resentAfterCut && failure === undefined && inFlight.length === 0) {
          resentAfterCut = true;
          batches.splice(next, 0, { rows: batch, queue, as });
          continue;
        }
        // Nothing new starts; a push still under way is awaited and, if it got through, applied.
        failure ??= result;
        continue;
      }
      acked++;
      if (cap < limits.maxBytes) {
        cap = nextBatchCap(cap, 'acked', limits.maxBytes);
        await setMeta(db, 'batchCap', cap);
      }
      const applied = await applyPushResults(queue, batch, result.body.results, result.body.serverTime);
      const bytes = batch.reduce((sum, r) => sum + r.bytes, 0);
      report.pushed.items += batch.length;
      report.pushed.bytes += bytes;
      report.pushed.accepted += applied.accepted;
      report.pushed.duplicate += applied.duplicate;
      report.pushed.rejected += applied.rejected;
      report.pushed.unanswered += applied.missing;
      sent.items += batch.length;
      sent.bytes += bytes;
      publish({ sent: { ...sent } });
    }
    return failure ?? refused;
  }

  /**
   * Pulls every page of changes; returns the failure that stopped it, or the server's forms tag. The
   * first page reports the form and SOP versions the device holds (docs/sync-protocol.md): `held`
   * when the caller has just read them, else read here. `mainOnly` leaves the secondary identities out.
   */
  async function pull(
    report: SyncReport,
    known?: { held: string; mainOnly: boolean },
  ): Promise<Failure | { formsTag: string | undefined; held: string }> {
    const identities = options.pullAs ? await options.pullAs() : [{ key: DEVICE_PULL }];
    const held = known?.held ?? (await heldVersionsReport(db));
    const pulled = known?.mainOnly ? identities.filter((i) => !i.secondary) : identities;
    let formsTag: string | undefined;
    for (const identity of [...pulled].sort((a, b) => Number(a.secondary === true) - Number(b.secondary === true))) {
      const pulled = await pullFor(identity, report, held);
      if (typeof pulled === 'object') {
        // A secondary identity's refusal ends only its own pull; a 401 there is still told to
        // onUnauthorized after the round (secondaryRefused), which renews the phone's own credential
        // when the server forgot it (say restored from a backup). Without that, a shared phone whose
        // officer is logged in never renews, and the resident's answers stop.
        if (identity.secondary) {
          if (pulled.kind === 'auth') report.secondaryRefused = identity.key;
          continue;
        }
        return pulled;
      }
      formsTag ??= pulled;
    }
    return { formsTag, held };
  }

  /** Every page of one identity's changes: the forms tag, or the failure that stopped it. */
  async function pullFor(identity: PullIdentity, report: SyncReport, held: string): Promise<Failure | string | undefined> {
    let cursor = await getPullCursor(db, identity.key);
    let formsTag: string | undefined;
    const auth = identity.authorization !== undefined ? { authorization: identity.authorization } : {};
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      report.requests++;
      const result = await api.pullChanges(cursor, { limit: pullLimit, ...auth, ...(page === 0 && { held }) });
      if (result.kind !== 'ok') return failedAs(result, identity);
      const { changes, more } = result.body;
      formsTag = result.body.formsTag;
      report.pulled.changes += changes.length;
      report.pulled.applied += await applyChanges(db, changes, result.body.cursor, identity.key);
      const advanced = result.body.cursor !== cursor;
      cursor = result.body.cursor;
      if (!more || !advanced) break;
    }
    return formsTag;
  }

  /**
   * Fetches the forms when the province published or retired one. The pull's forms tag says so;
   * the forms list is the largest download of a sync (11.8 kB gzip, ~3 s on 2G), so no fetch when
   * the tag is the one of the last fetch, or the tag of what the device holds (a fresh install
   * holds the bundled catalogue, usually the very one the server offers). A server that sends no
   * tag gets the older rule: on start, by hand, or when the cache is old. A held tag that matches is
   * remembered as if fetched, so later syncs do not read every form again to compare.
   */
  async function refreshForms(report: SyncReport, reason: SyncReason, serverTag: string | undefined): Promise<Failure | undefined> {
    const [refreshedAt, knownTag] = await Promise.all([getMeta(db, 'formsRefreshedAt'), getMeta(db, 'formsTag')]);
    if (serverTag === undefined) {
      const due = reason === 'start' || reason === 'manual' || refreshedAt === undefined || now() - refreshedAt >= formsMaxAgeMs;
      if (!due) return undefined;
    } else if (serverTag === knownTag) {
      return undefined;
    } else if (serverTag === (await heldFormsTag(db))) {
      await setMeta(db, 'formsTag', serverTag);
      return undefined;
    }
    report.requests++;
    const result = await api.getForms();
    if (result.kind !== 'ok') return result;
    await cacheForms(db, result.body);
    await setMeta(db, 'formsRefreshedAt', now());
    if (serverTag !== undefined) await setMeta(db, 'formsTag', serverTag);
    report.formsRefreshed = true;
    return undefined;
  }

  async function drain(reason: SyncReason): Promise<SyncReport> {
    const report: SyncReport = {
      reason,
      outcome: 'ok',
      requests: 0,
      pushed: { items: 0, bytes: 0, accepted: 0, duplicate: 0, rejected: 0, unanswered: 0 },
      pulled: { changes: 0, applied: 0 },
      formsRefreshed: false,
      uploaded: { files: 0, rejected: 0, bytes: 0 },
    };
    let meta: SyncMeta = { failures: 0 };
    /** A busy server's Retry-After: the next try comes no sooner. */
    let retryAfterMs: number | undefined;
    answered = false;
    let plan: RunPlan = planRun(false, false, false);
    let hasWork = false;
    const startedAt = now();
    draining = true;
    try {
      meta = await getSyncMeta(db);
      const counts = await countShown();
      hasWork = counts.queued > 0;
      // The last run found no link (core/sync-retry.ts planRun): with items to send, the push
      // itself asks whether it is back, alone and sized to a short window; with none, a probe of a
      // few hundred bytes asks before the pull goes.
      plan = planRun(meta.lastOutcome === 'offline', hasWork, reason === 'manual');
      publish({ phase: 'syncing', queued: counts.queued, needsFix: counts.needsFix, uploads: undefined });
      // The pull (then a forms fetch, if its tag calls for one) goes alongside the push batches
      // instead of after them: on 2G its round trip would otherwise add ~1.5 s to every sync. It
      // cannot miss anything: what this push commits has higher seqs than the pull reads (the
      // cursor stays before them), and "diterima" is never pulled. Both stores write in their own
      // transactions, and a push answer keeps the status a pulled change set on the receipt.
      const pullAndForms = async (): Promise<Failure | undefined> => {
        const pulled = await pull(report);
        if ('kind' in pulled) return pulled;
        const refused = await refreshForms(report, reason, pulled.formsTag);
        if (refused || !report.formsRefreshed || pulled.held === '') return refused;
        const held = await heldVersionsReport(db);
        if (held === pulled.held) return undefined;
        // The fetch brought versions the pull did not report: one more pull page says so now, so
        // the KPI table "Versi formulir" does not list this device as behind until its next sync.
        // (A device that reported holding nothing is in no row of that table: nothing to correct.)
        // Only the main identity: the server keeps the report of an officer's token alone
        // (server/routes/changes.ts), so the secondary's pull would be a round trip for nothing.
        const again = await pull(report, { held, mainOnly: true });
        return 'kind' in again ? again : undefined;
      };
      /**
       * The files start as soon as every push of this sync was answered, alongside the pull and
       * forms: those mostly download, the files upload, so neither waits for the other's round
       * trips (issue 15: on pulau-flaky the pull before a resumed scan took 2–3 s of a 20 s window).
       * No file goes before its data all the same: listUploadable keeps back the files of rows
       * still queued.
       */
      let uploading: Promise<UploadPhaseResult> | undefined;
      const startUploads = (): Promise<UploadPhaseResult> | undefined =>
        options.uploads ? (uploading ??= options.uploads.run((uploads) => publish({ uploads }))) : undefined;
      const pushThenFiles = async (): Promise<Failure | undefined> => {
        const sent = report.pushed.items;
        const failed = await push(report, plan.fitFirstPush);
        // Early after a push the server answered, and with nothing queued at all (the files of an
        // earlier sync's cut, resumed when the link is back): they need not wait for the pull's
        // round trips either (issue 15, a Pantarlih's day on pulau-flaky: 1.7 s of every 20 s
        // window). Queued rows the push did not send (held back, or refused) keep the files after
        // the whole exchange, as before.
        if (failed === undefined && (report.pushed.items > sent || !hasWork)) void startUploads()?.catch(() => undefined);
        return failed;
      };
      const exchange = async (): Promise<Failure | undefined> => {
        if (plan.pushBeforePull) {
          // A window may be short: the push has its first connection and its uplink to itself, and
          // the pull goes once every push was answered (a pull cut then ends only the pull).
          return (await pushThenFiles()) ?? (await pullAndForms());
        }
        const [pushed, pulled] = await Promise.allSettled([pushThenFiles(), pullAndForms()]);
        // Both are settled before anything is reported: nothing of this sync runs after the lock.
        if (pushed.status === 'rejected') throw pushed.reason;
        if (pulled.status === 'rejected') throw pulled.reason;
        return pushed.value ?? pulled.value;
      };
      // A fresh resident identity first follows the requests sent before (src/sync/relink.ts), so
      // this very pull brings their answers; until that went through, the rest waits for it.
      // An officer's new login first follows the entries sent under the earlier token (relink.ts).
      const round = async (): Promise<Failure | undefined> =>
        (await relinkIfPending(db, api)) ?? (await followOfficerEntries(db, api)) ?? (await exchange());
      let failure: Failure | undefined;
      /** A storage fault of the push or pull (a full disk): reported, but the files still go. */
      let stored: unknown;
      try {
        if (plan.probeFirst && api.probe) {
          report.requests++;
          const probed = await api.probe();
          if (probed.kind !== 'ok') failure = probed;
        }
        failure ??= await round();
        // Once per sync: a second 401 with a fresh identity is not the server forgetting a secret.
        const refused = failure?.kind === 'auth' ? failure.as : failure === undefined ? report.secondaryRefused : undefined;
        if ((failure?.kind === 'auth' || refused !== undefined) && (await options.onUnauthorized?.(refused)) === 'renewed') {
          // Files started under the refused identity (the push was answered before the pull's
          // 401) end first; the new round starts them again under the new one.
          if (uploading) await uploading.catch(() => undefined);
          uploading = undefined;
          // The refusal is answered: a storage fault of the new round must not leave it standing,
          // or the photos (the only thing that frees a full disk) would not go.
          failure = undefined;
          failure = await round();
        }
      } catch (error) {
        stored = error;
      }
      if (failure?.kind === 'server_error') retryAfterMs = failure.retryAfterMs;
      if (failure) {
        report.outcome = outcomeOf(failure);
        report.error = describeFailure(failure);
      }
      // Files after the data (pushed above): started once the push was answered, or here. They go
      // even when storing a push or pull answer failed: on a full phone, sending the photos is the
      // only thing that frees room (their bytes are dropped once the server holds them), and a
      // failed answer left its rows where they were, so no file goes before its data
      // (listUploadable). A failed exchange starts none, but one already under way is awaited:
      // nothing of this sync runs after the lock.
      const files = failure ? uploading : startUploads();
      if (files) {
        const sent = await files;
        report.uploaded = { files: sent.uploaded, rejected: sent.rejected, bytes: sent.bytesSent };
        if (sent.kind === 'offline' && !failure) {
          report.outcome = 'offline';
          report.error = sent.error;
        }
      }
      if (stored !== undefined) throw stored;
    } catch (error) {
      // Storage failed (quota, a closed database): nothing was lost, the rows are where they were.
      report.outcome = 'failed';
      report.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }

    const at = now();
    const after = afterRun(
      { failures: meta.failures, linkDown: meta.lastOutcome === 'offline', ...optional('nextAttemptAt', meta.nextAttemptAt), ...optional('linkSeenAt', meta.linkSeenAt) },
      runEnd(report.outcome, retryAfterMs),
      { startedAt, endedAt: at, answered, hasWork },
      retry,
      random,
    );
    const next: SyncMeta = { failures: after.failures, lastOutcome: report.outcome, lastSyncAt: report.outcome === 'ok' ? at : meta.lastSyncAt };
    if (after.linkSeenAt !== undefined) next.linkSeenAt = after.linkSeenAt;
    if (after.nextAttemptAt !== undefined) {
      next.nextAttemptAt = after.nextAttemptAt;
      report.nextAttemptAt = after.nextAttemptAt;
    }
    try {
      await putSyncMeta(db, next);
      const counts = await countShown();
      publish({ ...stateFrom(next, counts) });
    } catch {
      publish({ ...stateFrom(next, { queued: state.queued, needsFix: state.needsFix }) });
    } finally {
      draining = false;
    }
    return report;
  }

  function launch(reason: SyncReason): Promise<SyncReport> {
    const run = (locks ? locks.request(SYNC_LOCK_NAME, () => drain(reason)) : drain(reason)).finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  }

  function sync(reason: SyncReason): Promise<SyncReport> {
    // Within one context: one run at a time, and at most one more queued behind it, shared by all
    // callers meanwhile, so an item queued during a run is picked up right after it. Triggers that
    // fire together (queued, visible, timer) are one run: when the run before found no link, the
    // follow-up ends with its report instead of failing again at once (its probe is scheduled),
    // unless someone pressed "Kirim sekarang".
    if (followUp) {
      if (reason === 'manual') followUpManual = true;
      return followUp;
    }
    if (running) {
      followUpManual = reason === 'manual';
      const next: Promise<SyncReport> = running.then(
        (report) => report,
        () => undefined,
      ).then((before) => {
        followUp = undefined;
        const manual = followUpManual;
        followUpManual = false;
        if (before?.outcome === 'offline' && !manual) return before;
        return launch(manual ? 'manual' : reason);
      });
      followUp = next;
      return next;
    }
    return launch(reason);
  }

  return {
    sync,
    subscribe(fn) {
      listeners.add(fn);
      fn(state);
      return () => {
        listeners.delete(fn);
      };
    },
    getState: () => state,
    refresh,
    close() {
      channel?.removeEventListener('message', onMessage);
      channel?.close();
      listeners.clear();
    },
  };
}

/** The API client, calling `onAnswer` whenever a request gets an answer (any status). */
function noticingAnswers(api: ApiClient, onAnswer: () => void): ApiClient {
  const seen = <T>(result: Promise<ApiResult<T>>): Promise<ApiResult<T>> =>
    result.then((r) => {
      if (r.kind !== 'offline') onAnswer();
      return r;
    });
  const { probe, linkEstimate } = api;
  return {
    push: (items, o) => seen(api.push(items, o)),
    pullChanges: (since, o) => seen(api.pullChanges(since, o)),
    getForms: (o) => seen(api.getForms(o)),
    follow: (items, o) => seen(api.follow(items, o)),
    ...(probe && { probe: (o) => seen(probe.call(api, o)) }),
    ...(linkEstimate && { linkEstimate: () => linkEstimate.call(api) }),
  };
}

/** What the retry policy hears of a run's outcome (core/sync-retry.ts). */
function runEnd(outcome: SyncOutcome, retryAfterMs: number | undefined): RunEnd {
  switch (outcome) {
    case 'ok':
      return { kind: 'ok' };
    case 'auth':
      return { kind: 'auth' };
    case 'offline':
      return { kind: 'link' };
    case 'server_error':
      // A 503 or 429 with Retry-After: the province is busy and said when to come back.
      return retryAfterMs !== undefined ? { kind: 'busy', retryAfterMs } : { kind: 'error' };
    case 'client_error':
    case 'failed':
      return { kind: 'error' };
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function ids(rows: readonly OutboxRow[]): string[] {
  return rows.map((r) => r.id);
}
