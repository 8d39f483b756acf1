// Cutting the queue into push requests. Sized by bytes so one request fits a short signal window
// (a few seconds of a 2G uplink); capped in items so the server's per-request work stays bounded.
import { MAX_ITEMS_PER_PUSH, MAX_PUSH_BYTES } from '../../core/protocol.ts';
import type { LinkEstimate } from '../lib/link-estimate.ts';

export interface BatchLimits {
  /** Upper bound on a request body's JSON size in bytes (before gzip). */
  maxBytes: number;
  maxItems: number;
}

/**
 * 128 KiB of JSON is ~25–35 KiB after gzip: about 8 s on "pulau-2g", under 2 s on "pulau-edge",
 * and it holds ~100 PPID requests, so a typical backlog leaves in one request.
 */
export const DEFAULT_BATCH_LIMITS: BatchLimits = Object.freeze({ maxBytes: 128 * 1024, maxItems: 200 });

/** The smallest cap a cut can bring a batch to: one or two long requests, ~5 s of 2G uplink. */
export const MIN_BATCH_BYTES = 16 * 1024;

/**
 * The byte cap for the next push. A push cut on the way (reset or timeout) halves it, down to
 * MIN_BATCH_BYTES, so a batch that cannot cross a short signal window is not resent whole for
 * ever; an acknowledged push doubles it back towards the configured maximum.
 */
export function nextBatchCap(cap: number, pushed: 'acked' | 'cut', maxBytes: number): number {
  if (pushed === 'cut') return Math.max(MIN_BATCH_BYTES, Math.floor(cap / 2));
  return Math.min(maxBytes, cap * 2);
}

/**
 * The signal window the first request after a lost link plans for (issue #18): no probe goes
 * first, the push itself finds out whether the link is back, so the push has the window from the
 * moment the retry timer fires: an 8-second window, found up to ~1.5 s after it opened (the fast
 * probe cadence), leaves 6.5 s for the push's connection, its round trip and its bytes.
 */
export const FIT_WINDOW_MS = 6_500;
/** The first push after a lost link carries at least this (one or two PPID requests). */
export const MIN_FIT_BYTES = 4 * 1024;
/**
 * Queued JSON shrinks at least this much in the push's gzip. Measured on PPID requests: 5.5× for
 * a batch of 5, ~10× for 20 (the field names repeat); 4 leaves room for free text.
 */
export const GZIP_SHRINK = 4;

/**
 * The JSON bytes the first push after a lost link may carry: what the link, as estimated, moves
 * in FIT_WINDOW_MS after the fixed cost of one small exchange, never below MIN_FIT_BYTES. One
 * round trip, not two: the estimate's round trip is measured on whole small exchanges, and after
 * a lost link every one of them opened a fresh connection, so it holds the connection's setup
 * already (bench/sync-windows.ts BENCH_TRACE=1: a HEAD on a fresh connection 3.1 s where the
 * link's round trip is 1.4 s). A push that fits is acknowledged item by item, and the next push
 * continues where it ended, so a cut loses only the request under way.
 */
export function fitBytes(link: LinkEstimate, windowMs: number = FIT_WINDOW_MS): number {
  const moves = Math.max(0, windowMs - link.rttMs) * link.bytesPerMs * GZIP_SHRINK;
  return Number.isFinite(moves) ? Math.max(MIN_FIT_BYTES, Math.floor(moves)) : MIN_FIT_BYTES;
}

/** `{"items":[` and `]}` around the items. */
const BODY_OVERHEAD = 12;

/**
 * Splits rows, in order, into batches whose body (`{"items":[...]}`) stays within maxBytes and
 * maxItems. A single row larger than maxBytes goes alone rather than never. Never reorders, never
 * drops: concatenating the batches gives back the input.
 */
export function planBatches<T extends { bytes: number }>(rows: readonly T[], limits: BatchLimits = DEFAULT_BATCH_LIMITS): T[][] {
  const maxItems = Math.max(1, Math.min(Math.floor(limits.maxItems), MAX_ITEMS_PER_PUSH));
  const maxBytes = Math.min(limits.maxBytes, MAX_PUSH_BYTES);
  const batches: T[][] = [];
  let current: T[] = [];
  let size = BODY_OVERHEAD;
  for (const row of rows) {
    // One comma before every item but the first.
    if (current.length > 0 && (current.length >= maxItems || size + 1 + row.bytes > maxBytes)) {
      batches.push(current);
      current = [];
      size = BODY_OVERHEAD;
    }
    size += (current.length > 0 ? 1 : 0) + row.bytes;
    current.push(row);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
