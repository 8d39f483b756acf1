// The sync's upload phase: after the submissions' data went through, send each file still waiting
// with the tus client (a new file in its creation request, a cut one from the server's offset).
// On a link that keeps what a cut request delivered, two files are in flight at once, the second
// started a couple of round trips after the first: its bytes go while the one before waits for its
// answer, so the uplink never idles for a round trip per file (840 ms on EDGE; a cut costs nothing
// extra there, the server keeps what arrived of both). On a link seen losing cut bodies, one at a
// time (a cut would lose the pieces of both). Runs wherever the engine runs, the page or the
// service worker: fetch only. No network call inside a transaction: rows are read, then sent, then
// their new state written. On an officer's device the bytes are sealed at rest and opened just
// before their upload; without the key (locked, or the worker) the files wait.
import { uploadFile, type UploadOptions, type UploadResult } from '../lib/tus-client.ts';
import { listUploadable, markRejected, markUploaded, pruneDraftAttachments, recordUploadProgress } from '../db/attachments.ts';
import { openStoredFile } from '../db/crypto-at-rest.ts';
import type { AttachmentRow, JangkauDb } from '../db/schema.ts';
import { PESSIMISTIC_LINK, type LinkEstimate } from '../lib/link-estimate.ts';
import type { UploadTotals } from './state.ts';

/** Files in flight at once on a link that keeps cut bodies (resumed ones still asking their offset aside: one more at most). */
export const FILES_IN_FLIGHT = 2;
/**
 * The next file starts this many of the link's round trips after the one before: enough that the
 * two never wait for their answers at the same moment (the uplink would idle), far less than a
 * photo's transfer (8 s for 200 KB on EDGE).
 */
export const STAGGER_ROUND_TRIPS = 2;

export interface UploadPhaseOptions {
  db: JangkauDb;
  /** The uploads collection, e.g. `https://host/api/v1/uploads`. */
  baseUrl: string;
  /**
   * The `Authorization` a file goes under: the identity that pushed a request naming it
   * (src/sync/send-identities.ts uploadIdentity), read once per file; undefined: it waits.
   */
  getAuth: (file: AttachmentRow, db: JangkauDb) => string | undefined | Promise<string | undefined>;
  fetch?: typeof fetch;
  /** The tus client; a test may put a fake in its place. */
  upload?: (options: UploadOptions) => Promise<UploadResult>;
  now?: () => number;
  /**
   * Makes the device known to the server (src/sync/relink.ts), after an upload answered 401
   * `device_unknown`: a fresh identity with nothing queued to push, or files imported from a
   * safety copy whose data went from another phone. True when it went through. Left out, such a
   * file waits.
   */
  register?: () => Promise<boolean>;
  /** What the link has shown so far (the API client's estimate): its round trip spaces the files. */
  linkEstimate?: () => LinkEstimate | undefined;
  /** Waits `ms` (a test may put its own clock here). */
  wait?: (ms: number) => Promise<void>;
}

export type UploadPhaseResult =
  /** Every file that may go now went, or was refused (`rejected` of them). */
  | { kind: 'ok'; uploaded: number; rejected: number; bytesSent: number }
  /** The link failed; what arrived stays on the server and the next sync resumes from it. */
  | { kind: 'offline'; uploaded: number; rejected: number; bytesSent: number; error: string };

export interface UploadPhase {
  run(onProgress: (totals: UploadTotals) => void): Promise<UploadPhaseResult>;
}

/**
 * A file an earlier try left partly sent: the tus client first asks the server's offset (HEAD, or
 * a creation without a body), a round trip that carries none of its bytes.
 */
function resumes(row: AttachmentRow): boolean {
  return row.uploadUrl !== undefined || row.state === 'uploading';
}

/** Refusals that say nothing about the file: the device's credential, not yet known to the server. */
const NOT_THE_FILES_FAULT = new Set([401, 403]);
/** The uploads route's answer to a device that never pushed nor followed anything. */
const DEVICE_UNKNOWN = 'device_unknown';

export function createUploadPhase(options: UploadPhaseOptions): UploadPhase {
  const { db } = options;
  const upload = options.upload ?? uploadFile;
  const fetchFn = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const now = options.now ?? Date.now;
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function run(onProgress: (totals: UploadTotals) => void): Promise<UploadPhaseResult> {
    // Housekeeping first: photos chosen in forms and then replaced, or left by a discarded draft.
    await pruneDraftAttachments(db, now());
    const rows = await listUploadable(db);
    const result = { uploaded: 0, rejected: 0, bytesSent: 0 };
    if (rows.length === 0) return { kind: 'ok', ...result };
    const totals: UploadTotals = {
      files: rows.length,
      done: 0,
      bytes: rows.reduce((n, r) => n + r.size, 0),
      sentBytes: rows.reduce((n, r) => n + r.bytesSent, 0),
    };
    onProgress({ ...totals });
    let throughput: number | undefined;
    /** Registration is tried once per phase: a device it did not help stays refused for all files. */
    let registration: Promise<boolean> | undefined;
    /** A link seen losing cut bodies (this phase, or a file's earlier try): one file at a time. */
    let lossyLink = rows.some((r) => r.lossy === true);
    /** The link failed under a file: nothing new starts, the ones in flight end, and the phase answers offline. */
    let cut = false;
    /** A storage fault under a file: the others in flight end first, then it is thrown. */
    let fault: { error: unknown } | undefined;
    const inFlight = new Set<Promise<void>>();
    /**
     * Resumed files in flight still waiting to hear their offset: no bytes of theirs are on the
     * link yet, so they take no slot, and a new file's bytes go meanwhile (one more at most).
     */
    const asking = new Set<string>();
    /** Resolves once the file started last has been under way for the stagger. */
    let spaced: Promise<void> = Promise.resolve();
    let spacedOut = true;
    let started = 0;

    const handle = async (row: AttachmentRow, blob: Blob, auth: string): Promise<void> => {
      let current = row.bytesSent;
      const send = async () => {
        const outcome = await sendOne(row, blob, auth, throughput, (offset) => {
          asking.delete(row.sha256);
          totals.sentBytes += Math.max(0, offset - current);
          current = Math.max(current, offset);
          onProgress({ ...totals });
        });
        result.bytesSent += outcome.result.bytesSent;
        if (outcome.throughput !== undefined) throughput = outcome.throughput;
        if (outcome.result.kind !== 'rejected' && outcome.result.lossy) lossyLink = true;
        return outcome.result;
      };
      let r = await send();
      if (r.kind === 'rejected' && r.status === 401 && r.error === DEVICE_UNKNOWN && options.register) {
        // Waiting cannot help a device the server does not know: nothing else would ever make it
        // known. Make it known (once a phase, for every file refused so), then this file goes again.
        registration ??= options.register();
        if (await registration) r = await send();
      }
      if (r.kind === 'done') {
        await markUploaded(db, row.sha256, now());
        result.uploaded++;
        totals.done++;
        totals.sentBytes += Math.max(0, row.size - current);
        onProgress({ ...totals });
      } else if (r.kind === 'offline') {
        cut = true;
      } else if (NOT_THE_FILES_FAULT.has(r.status)) {
        // The credential, not the file (a device still unknown after registering, a revoked
        // token): the file waits; nothing about it is wrong.
      } else {
        await markRejected(db, row.sha256, r.error);
        result.rejected++;
      }
    };

    /** Until a file may start: a free slot, and the one started last a few round trips under way. */
    const slot = async (): Promise<void> => {
      while (!cut && fault === undefined && inFlight.size > 0) {
        const free = lossyLink ? inFlight.size < 1 : inFlight.size - asking.size < FILES_IN_FLIGHT && inFlight.size <= FILES_IN_FLIGHT;
        if (free && spacedOut) return;
        await Promise.race(free ? [...inFlight, spaced] : [...inFlight]);
      }
    };

    for (const row of rows) {
      await slot();
      if (cut || fault !== undefined) break;
      // Opened only now, one file at a time; the device locked since the list was read: it waits.
      const blob = openStoredFile(row.blob);
      if (!blob) continue;
      // Whose file it is: the request naming it waits for its filer (an officer logged out).
      const auth = await options.getAuth(row, db);
      if (auth === undefined) continue;
      const start = ++started;
      if (resumes(row)) {
        // Its first request only asks the server how far it got (no bytes): the next file need
        // not wait, its bytes (or its own question) go meanwhile. Two files cut at a window's end
        // ask together when the link is back, instead of one round trip after the other.
        spacedOut = true;
        spaced = Promise.resolve();
        asking.add(row.sha256);
      } else {
        spacedOut = false;
        const rtt = options.linkEstimate?.()?.rttMs ?? PESSIMISTIC_LINK.rttMs;
        spaced = wait(STAGGER_ROUND_TRIPS * rtt).then(() => void (spacedOut ||= start === started));
      }
      const going: Promise<void> = handle(row, blob, auth)
        .catch((error: unknown) => void (fault ??= { error }))
        .finally(() => {
          asking.delete(row.sha256);
          inFlight.delete(going);
        });
      inFlight.add(going);
    }
    while (inFlight.size > 0) await Promise.race(inFlight);
    if (fault !== undefined) throw fault.error;
    if (cut) return { kind: 'offline', ...result, error: 'upload: link failed' };
    return { kind: 'ok', ...result };
  }

  async function sendOne(
    row: AttachmentRow,
    blob: Blob,
    auth: string,
    throughputHint: number | undefined,
    progressed: (offset: number) => void,
  ): Promise<{ result: UploadResult; throughput?: number }> {
    // Progress writes are chained so they land in order and the last one wins.
    let writes: Promise<void> = Promise.resolve();
    const write = (patch: Parameters<typeof recordUploadProgress>[2]) => {
      writes = writes.then(() => recordUploadProgress(db, row.sha256, patch)).catch(() => undefined);
    };
    const started = Date.now();
    const hint = throughputHint ?? row.throughput;
    const result = await upload({
      baseUrl: options.baseUrl,
      getAuth: () => auth,
      blob,
      sha256: row.sha256,
      type: row.type,
      fetch: fetchFn,
      ...(row.uploadUrl ? { uploadUrl: row.uploadUrl } : {}),
      ...(hint ? { throughputHint: hint } : {}),
      ...(row.lossy ? { lossy: true } : {}),
      ...(row.cut ? { lastCut: row.cut } : {}),
      // A try that sent bytes before may have left part of the file without learning its URL.
      ...(row.state === 'uploading' ? { startedBefore: true } : {}),
      onCreating: () => write({}),
      onUploadUrl: (uploadUrl) => write({ uploadUrl }),
      onProgress: ({ offset }) => {
        write({ bytesSent: offset });
        progressed(offset);
      },
    });
    const elapsed = Date.now() - started;
    const throughput = result.bytesSent > 0 && elapsed > 0 ? (result.bytesSent * 1000) / elapsed : undefined;
    if (throughput !== undefined) write({ throughput });
    // What the link does with cut bodies, for the next try (judged by its first offset).
    const cut = result.kind === 'offline' ? result.cut : undefined;
    const lossy = result.kind !== 'rejected' && result.lossy === true;
    if (cut !== undefined || row.cut !== undefined || lossy) write({ cut: cut ?? null, ...(lossy ? { lossy } : {}) });
    await writes;
    return { result, ...(throughput !== undefined ? { throughput } : {}) };
  }

  return { run };
}

/**
 * The phase of each database in turn (a device that practised has two queues, src/db/practice.ts);
 * a cut link stops the rest until the next sync.
 */
export async function uploadEachQueue(
  dbs: readonly JangkauDb[],
  phaseFor: (db: JangkauDb) => UploadPhase,
  onProgress: (totals: UploadTotals) => void,
): Promise<UploadPhaseResult> {
  const total: UploadPhaseResult = { kind: 'ok', uploaded: 0, rejected: 0, bytesSent: 0 };
  for (const db of dbs) {
    const result = await phaseFor(db).run(onProgress);
    total.uploaded += result.uploaded;
    total.rejected += result.rejected;
    total.bytesSent += result.bytesSent;
    if (result.kind === 'offline') return { ...total, kind: 'offline', error: result.error };
  }
  return total;
}
