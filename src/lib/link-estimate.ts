// How long to wait for an answer, from what the link has shown so far. A fixed timeout is wrong
// both ways on the islands: too short and a 30 KB batch on 2G never finishes; too long and a
// dead connection holds the sync lock through the whole of a short signal window.

export interface LinkEstimate {
  /** Round trip of a small exchange, ms. */
  rttMs: number;
  /** Bytes per ms the link carried in bulk (32 kbit/s = 4 bytes/ms). */
  bytesPerMs: number;
}

/** Before anything is observed, assume the weakest named profile (pulau-2g: 1.3 s, 32 kbit/s). */
export const PESSIMISTIC_LINK: LinkEstimate = Object.freeze({ rttMs: 1300, bytesPerMs: 4 });

export const TIMEOUT_LIMITS = Object.freeze({ minMs: 10_000, maxMs: 10 * 60_000, safety: 3, slackMs: 5_000 });

/** Below this size an exchange measures the round trip rather than the bandwidth. */
const SMALL_EXCHANGE_BYTES = 4096;
/** Weight of a new sample in the moving averages. */
const ALPHA = 0.3;

/** Time allowed for an exchange that sends `bytesUp` and expects about `bytesDown` back. */
export function timeoutFor(link: LinkEstimate, bytesUp: number, bytesDown: number): number {
  const expected = 2 * link.rttMs + (bytesUp + bytesDown) / link.bytesPerMs;
  const ms = TIMEOUT_LIMITS.safety * expected + TIMEOUT_LIMITS.slackMs;
  return Math.round(Math.min(TIMEOUT_LIMITS.maxMs, Math.max(TIMEOUT_LIMITS.minMs, ms)));
}

/**
 * The time allowed for the first push after a lost link (issue #18): a window may be short, and
 * when the link is still down without refusing (SYNs lost), a push waiting out the full timeoutFor
 * (10 s at least) would hold the sync lock past the next window's start. Four round trips plus a
 * second (a probe's deadline) and twice the bytes' time; never more than timeoutFor, never below 3 s.
 */
export function windowTimeoutFor(link: LinkEstimate, bytesUp: number, bytesDown: number): number {
  const ms = 4 * link.rttMs + 1_000 + (2 * (bytesUp + bytesDown)) / link.bytesPerMs;
  const bounded = Number.isFinite(ms) ? Math.max(3_000, ms) : Number.POSITIVE_INFINITY;
  return Math.round(Math.min(timeoutFor(link, bytesUp, bytesDown), bounded));
}

/** Folds one completed exchange into the estimate. */
export function observe(link: LinkEstimate, bytes: number, elapsedMs: number): LinkEstimate {
  const ms = Math.max(1, elapsedMs);
  if (bytes < SMALL_EXCHANGE_BYTES) {
    return { ...link, rttMs: link.rttMs + ALPHA * (ms - link.rttMs) };
  }
  // Time beyond one round trip went to moving bytes; never credit less than a quarter of it.
  const transferMs = Math.max(ms - link.rttMs, ms / 4);
  const sample = bytes / transferMs;
  return { ...link, bytesPerMs: link.bytesPerMs + ALPHA * (sample - link.bytesPerMs) };
}

/** A timeout fired: the link is slower than we thought, so the next wait is twice as long. */
export function slowDown(link: LinkEstimate): LinkEstimate {
  return { rttMs: link.rttMs * 2, bytesPerMs: link.bytesPerMs / 2 };
}
