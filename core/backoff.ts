// When to try again after a failure: a phone's sync (src/sync/engine.ts) and the server's status
// SMS to the gateway (server/services/sms-outbound.ts). Full jitter (a uniform delay up to an
// exponentially growing ceiling) spreads the retries of many phones that lost the same tower, so
// they do not all hit the province at once when it comes back. The sync has no limit on tries.

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({ baseMs: 2000, capMs: 5 * 60_000 });

/** The ceiling for a given attempt (0 for the first retry): min(cap, base·2^attempt). */
export function backoffCeiling(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const n = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  // 2 ** 1100 is Infinity, which min() turns into the cap: no overflow for any attempt count.
  return Math.max(0, Math.min(options.capMs, options.baseMs * 2 ** n));
}

/** A whole number of ms, uniform in [0, ceiling]. `random` returns values in [0, 1). */
export function nextDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.floor(backoffCeiling(attempt, options));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.min(ceiling, Math.floor(unit * (ceiling + 1)));
}
