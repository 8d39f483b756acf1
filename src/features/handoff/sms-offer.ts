// When a queued request's screen offers "Kirim lewat SMS": only without files (a photo cannot
// travel by SMS), only with no data signal now, and only once the phone has been without a
// successful sync for a long while; a short gap is better waited out (SMS costs the resident).
// Where the engine has no Background Sync (Safari, Firefox), the phone cannot send once Jangkau is
// closed, so waiting it out needs the person anyway: there SMS is offered as soon as there is no
// signal, beside "Buka Jangkau lagi saat ada sinyal".
export const SMS_AFTER_OFFLINE_MS = 6 * 60 * 60_000;

export interface SmsOfferInput {
  online: boolean;
  /** When a sync last completed (ms since the epoch), if ever. */
  lastSyncAt: number | undefined;
  /** When the request was queued (ms since the epoch). */
  queuedAt: number;
  hasFiles: boolean;
  now: number;
  /** The worker can send while the app is closed (false in Safari and Firefox); true if omitted. */
  backgroundSync?: boolean;
}

export function offersSms({ online, lastSyncAt, queuedAt, hasFiles, now, backgroundSync = true }: SmsOfferInput): boolean {
  if (hasFiles || online) return false;
  if (!backgroundSync) return true;
  // Never synced since it was queued: count from the queueing.
  return now - (lastSyncAt ?? queuedAt) >= SMS_AFTER_OFFLINE_MS;
}
