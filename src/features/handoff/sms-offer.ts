// When a queued request's screen offers "Kirim lewat SMS": only without files (a photo cannot
// travel by SMS), only with no data signal now, and only once the phone has been without a
// successful sync for a long while; a short gap is better waited out (SMS costs the resident).
export const SMS_AFTER_OFFLINE_MS = 6 * 60 * 60_000;

export interface SmsOfferInput {
  online: boolean;
  /** When a sync last completed (ms since the epoch), if ever. */
  lastSyncAt: number | undefined;
  /** When the request was queued (ms since the epoch). */
  queuedAt: number;
  hasFiles: boolean;
  now: number;
}

export function offersSms({ online, lastSyncAt, queuedAt, hasFiles, now }: SmsOfferInput): boolean {
  if (hasFiles || online) return false;
  // Never synced since it was queued: count from the queueing.
  return now - (lastSyncAt ?? queuedAt) >= SMS_AFTER_OFFLINE_MS;
}
