// The officer state the shell reads on every start: is an officer logged in, is a PIN set, is the
// device unlocked. Small on purpose (it is on the resident's first-load path); unlocking, locking
// and the screens load lazily (lock-control.ts). A device with no PIN and no session: 'none'.
import { create } from 'zustand';
import { db, readMetaAtOpen, selectWorkDb } from '../db/open-db.ts';
import type { MetaKey } from '../db/meta.ts';
import { requireAtRestCodec } from '../db/crypto-at-rest.ts';
import { holdOfficerRowsUntilLogin } from './send-gate.ts';
import { PIN_LOCK_KEY, SESSION_KEY, sessionFromRow, type LoadedSession, type OfficerSession } from './session.ts';

const PRACTICE_MODE: MetaKey = 'practiceMode';

export type LockState = 'loading' | 'none' | 'needs_pin' | 'locked' | 'unlocked';

export interface OfficerState {
  lock: LockState;
  /** The session without its token. */
  session: Omit<OfficerSession, 'token'> | undefined;
  /**
   * Practice mode (latihan): drafts, queue, receipts and files are the practice database's
   * (src/db/practice.ts). Read with the lock, so no screen shows before the mode is known.
   */
  practice: boolean;
}

export const useOfficer = create<OfficerState>(() => ({ lock: 'loading', session: undefined, practice: false }));

export function publicSession(session: LoadedSession | undefined): OfficerState['session'] {
  if (!session) return undefined;
  const { token: _token, ...rest } = session;
  return rest;
}

/** Reads the session and the PIN lock; at start and after login or logout. */
export async function loadOfficerState(): Promise<void> {
  performance.mark('jangkau:lock-read');
  // One transaction for the three rows, at start the database's opening one: on a slow phone each
  // transaction's answer waits its turn on the busy main thread while the shell loads
  // (bench:slow-phone).
  const [sessionRow, pin, practiceRow] = await readMetaAtOpen([SESSION_KEY, PIN_LOCK_KEY, PRACTICE_MODE]);
  const session = sessionFromRow(sessionRow?.value);
  const practice = practiceRow?.value as boolean | undefined;
  selectWorkDb(practice === true);
  const hasPin = pin !== undefined;
  requireAtRestCodec(hasPin);
  holdOfficerRowsUntilLogin(hasPin && !session);
  const unlocked = useOfficer.getState().lock === 'unlocked';
  const lock: LockState = hasPin ? (unlocked ? 'unlocked' : 'locked') : session ? 'needs_pin' : 'none';
  useOfficer.setState({ lock, session: publicSession(session), practice: practice === true });
  performance.mark('jangkau:lock-state');
}

async function wipedElsewhere(): Promise<void> {
  if ((await db.meta.get(PIN_LOCK_KEY)) !== undefined) return;
  await (await import('./lock-control.ts')).onTokenRefused();
}

let early: Promise<void> | undefined;

/**
 * Starts reading the officer state before React DOM is loaded (src/main.tsx), so opening the
 * database and reading the lock overlap loading React DOM and the shell; startOfficer takes this read
 * instead of starting its own. Also what a screen's early reads wait for (the database they read
 * depends on practice mode).
 */
export function readOfficerStateEarly(): Promise<void> {
  early ??= loadOfficerState();
  return early;
}

/** At start: read the state, and mark the session when a sync meets a refused token (401). */
export function startOfficer(onSyncPhase: (listener: (phase: string | undefined) => void) => () => void): () => void {
  // The page's early read, taken once; a later start (a remount) reads again.
  const read = early ?? loadOfficerState();
  early = undefined;
  void read.catch(() => undefined);
  let last: string | undefined;
  return onSyncPhase((phase) => {
    // On entering the phase only: after a new login the old 'auth_required' lingers until the
    // next sync ends, and must not mark the new session.
    const entered = phase === 'auth_required' && last !== phase;
    const ended = last === 'syncing' && phase !== 'syncing';
    last = phase;
    const { session, lock } = useOfficer.getState();
    if (entered && session && !session.needsRelogin) void import('./lock-control.ts').then((m) => m.onTokenRefused());
    // A locked phone's sync (here or in the service worker) may have heard an admin's revocation
    // and erased the officer's data (src/sync/wipe-signal.ts): the screens follow once the PIN lock
    // is gone. One read per sync, on an officer's phone only.
    else if (ended && (lock === 'locked' || lock === 'unlocked')) void wipedElsewhere();
  });
}
