// Unlocking and locking an officer's device, the inactivity lock, and a refused token. Loaded
// with the officer screens, not on the resident's first load.
import { db } from '../db/open-db.ts';
import { setAtRestCodec, setLockedCodec, requireAtRestCodec, type AtRestCodec } from '../db/crypto-at-rest.ts';
import { loadOfficerState, useOfficer } from './officer-store.ts';
import { settleRefusedToken, type RefusedTokenOutcome } from './revocation.ts';
import { PIN_LOCK_KEY } from './session.ts';

/** Locks the app after this long without a touch or a key press. */
export const IDLE_LOCK_MS = 5 * 60_000;
const ACTIVITY = ['pointerdown', 'keydown', 'touchstart'] as const;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

function onActivity(): void {
  if (idleTimer !== undefined) clearTimeout(idleTimer);
  idleTimer = setTimeout(lockNow, IDLE_LOCK_MS);
}

function watchIdle(on: boolean): void {
  for (const type of ACTIVITY) {
    if (on) window.addEventListener(type, onActivity, { passive: true });
    else window.removeEventListener(type, onActivity);
  }
  if (on) onActivity();
  else if (idleTimer !== undefined) clearTimeout(idleTimer);
}

/** After a correct PIN (or a new one): the codec opens the officer's rows until the next lock. */
export function unlockWith(codec: AtRestCodec): void {
  setAtRestCodec(codec);
  requireAtRestCodec(true);
  useOfficer.setState({ lock: 'unlocked' });
  watchIdle(true);
}

export function lockNow(): void {
  if (useOfficer.getState().lock !== 'unlocked') return;
  watchIdle(false);
  // The lock screen replaces the open screen first, whose last autosave still needs the key.
  useOfficer.setState({ lock: 'locked' });
  setTimeout(() => {
    if (useOfficer.getState().lock === 'locked') setAtRestCodec(undefined);
  }, 1000);
}

/**
 * The server refused the device token: keep everything and ask for a new login, or, when an admin
 * revoked it (the wipe signal), erase the officer's data (revocation.ts). Then the screens follow.
 */
export async function onTokenRefused(): Promise<RefusedTokenOutcome> {
  const outcome = await settleRefusedToken(db);
  // Wiped here or by the sync (in the service worker, too): this page's key goes with the lock.
  if ((await db.meta.get(PIN_LOCK_KEY)) === undefined) {
    watchIdle(false);
    setAtRestCodec(undefined);
    // Nor may this page seal what it writes next to the public half of a key that is gone.
    setLockedCodec(undefined);
  }
  await loadOfficerState();
  return outcome;
}
