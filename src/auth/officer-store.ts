// The officer state the shell reads on every start: is an officer logged in, is a PIN set, is the
// device unlocked. Small on purpose (it is on the resident's first-load path); the screens, the
// cipher and the PIN code load lazily. A device with no PIN and no session is a resident's: 'none'.
import { create } from 'zustand';
import { db } from '../db/open-db.ts';
import { requireAtRestCipher, setAtRestCipher, type AtRestCipher } from '../db/crypto-at-rest.ts';
import { holdQueueUntilLogin } from './officer-auth.ts';
import { getSession, markNeedsRelogin, type OfficerSession } from './session.ts';

const PIN_LOCK_KEY = 'officerPinLock';
/** Locks the app after this long without a touch or a key press. */
export const IDLE_LOCK_MS = 5 * 60_000;

export type LockState = 'loading' | 'none' | 'needs_pin' | 'locked' | 'unlocked';

interface OfficerStore {
  lock: LockState;
  session: Omit<OfficerSession, 'token'> | undefined;
}

export const useOfficer = create<OfficerStore>(() => ({ lock: 'loading', session: undefined }));

let idleTimer: ReturnType<typeof setTimeout> | undefined;
const ACTIVITY = ['pointerdown', 'keydown', 'touchstart'] as const;

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

function publicSession(session: OfficerSession | undefined): OfficerStore['session'] {
  if (!session) return undefined;
  const { token: _token, ...rest } = session;
  return rest;
}

/** Reads the session and the PIN lock; called once at start and after login or logout. */
export async function loadOfficerState(): Promise<void> {
  const [session, pin] = await Promise.all([getSession(db), db.meta.get(PIN_LOCK_KEY)]);
  const hasPin = pin !== undefined;
  requireAtRestCipher(hasPin);
  holdQueueUntilLogin(hasPin && !session);
  const current = useOfficer.getState().lock;
  let lock: LockState;
  if (hasPin) lock = current === 'unlocked' ? 'unlocked' : 'locked';
  else lock = session ? 'needs_pin' : 'none';
  useOfficer.setState({ lock, session: publicSession(session) });
}

/** After a correct PIN (or a new one): the cipher opens the officer's rows until the next lock. */
export function unlockWith(cipher: AtRestCipher): void {
  setAtRestCipher(cipher);
  requireAtRestCipher(true);
  useOfficer.setState({ lock: 'unlocked' });
  watchIdle(true);
}

export function lockNow(): void {
  if (useOfficer.getState().lock !== 'unlocked') return;
  watchIdle(false);
  // The lock screen replaces the open screen first, whose last autosave still needs the key.
  useOfficer.setState({ lock: 'locked' });
  setTimeout(() => {
    if (useOfficer.getState().lock === 'locked') setAtRestCipher(undefined);
  }, 1000);
}

/** The server refused the device token (revoked): keep everything, ask for a new login. */
export async function onTokenRefused(): Promise<void> {
  await markNeedsRelogin(db);
  const session = await getSession(db);
  useOfficer.setState({ session: publicSession(session) });
}

/** At start: read the state, and mark the session when a sync meets a refused token. */
export function startOfficer(onSyncState: (listener: (phase: string | undefined) => void) => () => void): () => void {
  void loadOfficerState();
  return onSyncState((phase) => {
    if (phase === 'auth_required' && useOfficer.getState().session && !useOfficer.getState().session?.needsRelogin) void onTokenRefused();
  });
}
