// A tus 1.0 client over fetch only, so the service worker can run it as well as the page (no
// XMLHttpRequest there). One call moves one file as far as the link allows and answers with a
// value: done, offline (call again later with the returned uploadUrl) or rejected (the server
// refused the file; retrying will not help). An upload the server lost (404/410) is created again,
// and a malformed answer is a server fault: neither ever rejects a file. Contract: docs/attachments.md.
import { chunkBytesFor, createHeaders, headHeaders, nextThroughput, patchHeaders, readOffset } from './upload-chunks.ts';

export type UploadResult =
  | { kind: 'done'; uploadUrl: string; bytesSent: number }
  | { kind: 'offline'; uploadUrl?: string; bytesSent: number }
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
  /** A fixed chunk size; by default sized from the throughput seen so far. */
  chunkBytes?: number;
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

/** 32 kbit/s minus overhead: the slowest link the islands have. */
const SLOWEST_BYTES_PER_SECOND = 3_000;

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
  const offline = (): UploadResult => ({ kind: 'offline', uploadUrl, bytesSent });
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
        continue;
      }
      if (isTransient(res.status)) return offline();
      if (!res.ok) return rejected(res);
      offset = readOffset(res.headers.get('upload-offset'));
      // A 2xx that does not say how far is a server (or proxy) fault, not the file's: later.
      if (offset === undefined) return offline();
    } else if (offset === undefined) {
      const step = await send(options.baseUrl, { method: 'POST', headers: createHeaders(auth, total, sha256, type) });
      if (step.kind === 'network') return offline();
      const res = step.response;
      await res.body?.cancel();
      if (isTransient(res.status)) return offline();
      // 201: created; 200: this sha256 is already there, Upload-Offset says how far.
      if (res.status !== 201 && res.status !== 200) return rejected(res);
      // Created but not named: a server fault; the next call's POST finds the upload by its sha256.
      if (!named(res.headers.get('location'))) return offline();
      offset = readOffset(res.headers.get('upload-offset')) ?? 0;
    }

    options.onProgress?.({ offset, total });
    if (offset >= total && uploadUrl !== undefined) return { kind: 'done', uploadUrl, bytesSent };
    if (uploadUrl === undefined) continue;

    const size = options.chunkBytes ?? chunkBytesFor(throughput);
    const end = Math.min(total, offset + size);
    const started = Date.now();
    bytesSent += end - offset;
    const step = await send(
      uploadUrl,
      { method: 'PATCH', headers: patchHeaders(auth, offset), body: blob.slice(offset, end) },
      // A body takes its time on a slow link: allow twice its expected transfer time on top.
      ((end - offset) / (throughput ?? SLOWEST_BYTES_PER_SECOND)) * 2000,
    );
    if (step.kind === 'network') {
      // The server may hold part of the chunk; ask it rather than guess.
      failures += 1;
      offset = undefined;
      continue;
    }
    const res = step.response;
    if (res.status === 204 || res.status === 200) {
      await res.body?.cancel();
      const next = readOffset(res.headers.get('upload-offset'));
      if (next === undefined || next < offset) {
        // A malformed answer is the server's fault, not the file's: ask HEAD where it stands.
        failures += 1;
        offset = undefined;
        continue;
      }
      throughput = nextThroughput(throughput, next - offset, Date.now() - started);
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
