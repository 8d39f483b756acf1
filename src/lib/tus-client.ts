// A tus 1.0 client over fetch only, so the service worker can run it as well as the page (no
// XMLHttpRequest there). One call moves one file as far as the link allows and answers with a
// value: done, offline (call again later with the returned uploadUrl) or rejected (the server
// refused the file; retrying will not help). An upload the server lost (404/410) is created again,
// and a malformed answer is a server fault: neither ever rejects a file. Contract: docs/attachments.md.
//
// Resuming must not cost time in the common case: a new file goes in its creation POST
// (creation-with-upload), the rest of a cut one in one PATCH from the server's offset; link-sized
// pieces only once the link was seen losing what a cut request delivered (upload-chunks.ts).
import {
  createHeaders,
  createWithBodyHeaders,
  cutLostBytes,
  headHeaders,
  nextThroughput,
  patchHeaders,
  pieceBytes,
  readOffset,
  SLOWEST_BYTES_PER_SECOND,
  surelySent,
  type CutBody,
} from './upload-chunks.ts';

export type { CutBody } from './upload-chunks.ts';

/**
 * `lossy`: this link was seen throwing away what a cut request delivered; pass it to the next
 * calls. `cut` (offline only): a body request the link cut whose fate is not known yet; pass it as
 * `lastCut` to the next call, whose first answer about the offset tells.
 */
export type UploadResult =
  | { kind: 'done'; uploadUrl: string; bytesSent: number; lossy?: true }
  | { kind: 'offline'; uploadUrl?: string; bytesSent: number; cut?: CutBody; lossy?: true }
  | { kind: 'rejected'; status: number; error: string; bytesSent: number };

export interface UploadProgress {
  /** Bytes the server has acknowledged. */
  offset: number;
  total: number;
}

export interface UploadOptions {
  /** The uploads collection, e.g. `https://host/api/v1/uploads`. */
  baseUrl: string;
  /** The `Authorization` value; asked before each request so a renewed token is picked up. */
  getAuth: () => string | Promise<string>;
  blob: Blob;
  /** Lowercase hex sha256 of the blob: the upload's id on the server. */
  sha256: string;
  type: string;
  fetch: typeof fetch;
  /** Where an earlier call left this upload; saves the POST. */
  uploadUrl?: string;
  /**
   * A fixed size for each request's body. By default the whole rest of the file, or link-sized
   * pieces (from the throughput seen so far) on a lossy link.
   */
  chunkBytes?: number;
  /** An earlier call saw this link lose the part of a body a cut interrupted (its result's `lossy`). */
  lossy?: boolean;
  /** An earlier call's cut body request (its result's `cut`), judged by this call's first offset. */
  lastCut?: CutBody;
  /**
   * An earlier call may have left part of this file on the server without learning its URL (a
   * creation cut mid-body): create without a body, so the server answers where it stands instead
   * of the whole file crossing the link again for nothing.
   */
  startedBefore?: boolean;
  /** Called just before a creation that carries bytes leaves, so the caller can note `startedBefore`. */
  onCreating?: () => void;
  /** Throughput (bytes/s) known from earlier uploads on this link. */
  throughputHint?: number;
  signal?: AbortSignal;
  onProgress?: (progress: UploadProgress) => void;
  /** Called as soon as the server names the upload, so the caller can keep it across restarts. */
  onUploadUrl?: (url: string) => void;
  /** A request that shows no answer for this long is given up (links can hang, not only cut). */
  requestTimeoutMs?: number;
  /** How many failed requests in a row before answering offline. */
  maxFailures?: number;
}

type Step =
  | { kind: 'ok'; response: Response }
  | { kind: 'network' };

async function errorCode(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // tus answers plain text for its own protocol errors
  }
  return text.trim().slice(0, 200) || `http_${response.status}`;
}

/** Statuses that say "not now" rather than "never". */
function isTransient(status: number): boolean {
  return status >= 500 || status === 408 || status === 423 || status === 429;
}

export async function uploadFile(options: UploadOptions): Promise<UploadResult> {
  const { blob, sha256, type, signal } = options;
  const total = blob.size;
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const maxFailures = options.maxFailures ?? 3;
  let uploadUrl = options.uploadUrl;
  let offset: number | undefined;
  let throughput = options.throughputHint;
  let bytesSent = 0;
  let failures = 0;
  let lossy = options.lossy === true;
  /** A cut body request waiting for the server's next offset to tell whether the link kept it. */
  let pendingCut = options.lastCut;
  /** Whether the server may already hold part of the file: then a creation carries no body. */
  let mayExist = options.startedBefore === true || uploadUrl !== undefined;

  const send = async (url: string, init: RequestInit, extraMs = 0): Promise<Step> => {
    // AbortSignal.timeout/any are missing on part of the browser floor (Chromium 80, Safari 15.4).
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs + extraMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return { kind: 'ok', response: await options.fetch(url, { ...init, signal: controller.signal }) };
    } catch {
      return { kind: 'network' };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };
  const flags = () => (lossy ? { lossy: true as const } : {});
  const offline = (): UploadResult => ({
    kind: 'offline',
    ...(uploadUrl !== undefined ? { uploadUrl } : {}),
    bytesSent,
    ...(pendingCut ? { cut: pendingCut } : {}),
    ...flags(),
  });
  const rejected = async (response: Response): Promise<UploadResult> => ({
    kind: 'rejected',
    status: response.status,
    error: await errorCode(response),
    bytesSent,
  });
  const named = (location: string | null): boolean => {
    if (location === null) return false;
    uploadUrl = new URL(location, options.baseUrl).toString();
    options.onUploadUrl?.(uploadUrl);
    return true;
  };
  /** The server said how far it got: judge a pending cut by it. */
  const learned = (at: number): void => {
    if (pendingCut && cutLostBytes(pendingCut, at)) lossy = true;
    pendingCut = undefined;
  };
  const nextPiece = (from: number) => pieceBytes(total - from, { lossy, ...(options.chunkBytes ? { fixed: options.chunkBytes } : {}), ...(throughput ? { throughput } : {}) });
  /** A body takes its time on a slow link: allow twice its expected transfer time on top. */
  const bodyMs = (bytes: number) => (bytes / (throughput ?? SLOWEST_BYTES_PER_SECOND)) * 2000;
  /** A body request got no answer: the server may hold part of it; the next offset tells. */
  const cutOff = (from: number, bytes: number, started: number): void => {
    failures += 1;
    pendingCut = { from, sentBytes: surelySent(bytes, Date.now() - started, throughput) };
    offset = undefined;
  };

  while (failures < maxFailures) {
    if (signal?.aborted) return offline();
    const auth = await options.getAuth();

    if (offset === undefined && uploadUrl !== undefined) {
      // Resume: the server's offset is the only truth about what arrived.
      const step = await send(uploadUrl, { method: 'HEAD', headers: headHeaders(auth) });
      if (step.kind === 'network') return offline();
      const res = step.response;
      if (res.status === 404 || res.status === 410) {
        // Expired or never finished on a server that was reset: start over with a POST.
        uploadUrl = undefined;
        pendingCut = undefined;
        // Nothing of it is there, so the new creation may carry the bytes.
        mayExist = false;
        continue;
      }
      if (isTransient(res.status)) return offline();
      if (!res.ok) return rejected(res);
      offset = readOffset(res.headers.get('upload-offset'));
      // A 2xx that does not say how far is a server (or proxy) fault, not the file's: later.
      if (offset === undefined) return offline();
      learned(offset);
    } else if (offset === undefined) {
      // A new file carries its first piece in the creation itself (one round trip less); a file
      // that may be partly there asks first, and the answer (200 + offset) says where to go on.
      const body = mayExist ? 0 : nextPiece(0);
      const started = Date.now();
      if (body > 0) {
        mayExist = true;
        options.onCreating?.();
        bytesSent += body;
      }
      const step = await send(
        options.baseUrl,
        body > 0
          ? { method: 'POST', headers: createWithBodyHeaders(auth, total, sha256, type), body: blob.slice(0, body) }
          : { method: 'POST', headers: createHeaders(auth, total, sha256, type) },
        bodyMs(body),
      );
      if (step.kind === 'network') {
        if (body === 0) return offline();
        cutOff(0, body, started);
        continue;
      }
      const res = step.response;
      // 201: created; 200: this sha256 is already there, Upload-Offset says how far. A refusal's
      // body names the reason (a creation that carried the whole file is checked like a PATCH).
      if (res.status !== 201 && res.status !== 200) {
        if (!isTransient(res.status)) return rejected(res);
        await res.body?.cancel();
        return offline();
      }
      await res.body?.cancel();
      // Created but not named: a server fault; the next call's POST finds the upload by its sha256.
      if (!named(res.headers.get('location'))) return offline();
      offset = readOffset(res.headers.get('upload-offset')) ?? 0;
      if (body > 0 && res.status === 201 && offset > 0) throughput = nextThroughput(throughput, offset, Date.now() - started);
      learned(offset);
      failures = 0;
    }

    options.onProgress?.({ offset, total });
    if (offset >= total && uploadUrl !== undefined) return { kind: 'done', uploadUrl, bytesSent, ...flags() };
    if (uploadUrl === undefined) continue;

    const from = offset;
    const end = from + nextPiece(from);
    const started = Date.now();
    bytesSent += end - from;
    const step = await send(uploadUrl, { method: 'PATCH', headers: patchHeaders(auth, from), body: blob.slice(from, end) }, bodyMs(end - from));
    if (step.kind === 'network') {
      cutOff(from, end - from, started);
      continue;
    }
    const res = step.response;
    if (res.status === 204 || res.status === 200) {
      await res.body?.cancel();
      const next = readOffset(res.headers.get('upload-offset'));
      if (next === undefined || next < from) {
        // A malformed answer is the server's fault, not the file's: ask HEAD where it stands.
        failures += 1;
        offset = undefined;
        continue;
      }
      throughput = nextThroughput(throughput, next - from, Date.now() - started);
      offset = next;
      failures = 0;
      continue;
    }
    if (res.status === 404 || res.status === 410) {
      // The upload expired (or the server was reset) between two requests: create it again. Counted
      // as a failure, so a server that keeps losing it ends in "offline", not a loop.
      await res.body?.cancel();
      failures += 1;
      uploadUrl = undefined;
      offset = undefined;
      pendingCut = undefined;
      mayExist = false;
      continue;
    }
    if (res.status === 409 || isTransient(res.status) || res.status === 400) {
      // 409: offsets disagree; 400 may be our own cut-off body. Both: ask HEAD and go on.
      await res.body?.cancel();
      failures += 1;
      offset = undefined;
      continue;
    }
    return rejected(res);
  }
  return offline();
}
