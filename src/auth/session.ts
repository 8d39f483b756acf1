// The officer's session on this device: the device token the server issued at login (never the
// password) and the account it belongs to. Kept in the `meta` store so the service worker's sync
// sends it too. The token is revocable by an admin; the personal data it could reach on the
// server stays behind role × region checks there.
import { isSealedText, openRecord, sealRecord } from '../db/crypto-at-rest.ts';
import type { JangkauDb } from '../db/schema.ts';

export const SESSION_KEY = 'officerSession';
/** The wrapped device key (device-key.ts); while it exists, a PIN guards this device. */
export const PIN_LOCK_KEY = 'officerPinLock';
/**
 * The random revocation check given at login, with its token's id, kept in the clear: a locked
 * phone sends it to hear that an admin revoked the token (src/sync/wipe-signal.ts).
 */
export const REVOCATION_CHECK_KEY = 'officerRevocationCheck';

export interface OfficerAccount {
  id: string;
  username: string;
  role: string;
  scope: string;
  displayName: string;
}

export interface OfficerSession {
  token: string;
  /** The server's id for this device's token (also the device id its pushes are filed under). */
  deviceId: string;
  account: OfficerAccount;
  loggedInAt: number;
  /** The server refused the token (revoked, or the account disabled): log in again. */
  needsRelogin?: boolean;
}

/**
 * The session as read: its token is undefined while the device is locked (it is stored sealed
 * under the device key on a device with a PIN, so only the unlocked app can send it; a locked
 * phone's sync waits for the unlock, as its sealed queue does).
 */
export type LoadedSession = Omit<OfficerSession, 'token'> & { token: string | undefined };

/** The cipher's name for the session record (src/auth/at-rest-codec.ts seals its token). */
const SESSION_RECORD = 'officerSession';

async function storedSession(db: JangkauDb): Promise<OfficerSession | undefined> {
  return storedValue((await db.meta.get(SESSION_KEY))?.value);
}

function storedValue(value: unknown): OfficerSession | undefined {
  const session = value as OfficerSession | undefined;
  return session?.token ? session : undefined;
}

/** The session from its `meta` row's value, as getSession gives it (for a read of several rows at once). */
export function sessionFromRow(value: unknown): LoadedSession | undefined {
  const stored = storedValue(value);
  if (!stored) return undefined;
  const opened = openRecord(SESSION_RECORD, stored);
  return isSealedText(opened.token) ? { ...opened, token: undefined } : opened;
}

export async function getSession(db: JangkauDb): Promise<LoadedSession | undefined> {
  return sessionFromRow((await db.meta.get(SESSION_KEY))?.value);
}

/** Stores the session, its token sealed under the device key once a PIN exists. */
export async function saveSession(db: JangkauDb, session: OfficerSession): Promise<void> {
  await db.meta.put({ key: SESSION_KEY, value: sealRecord(SESSION_RECORD, session) });
}

/** Seals a token stored before the PIN was set (or by an older version of the app). */
export async function sealStoredSession(db: JangkauDb): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const stored = await storedSession(db);
    if (stored) await db.meta.put({ key: SESSION_KEY, value: sealRecord(SESSION_RECORD, stored) });
  });
}

export async function markNeedsRelogin(db: JangkauDb): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    // The stored record, token as stored (sealed): never written back opened.
    const session = await storedSession(db);
    if (session && !session.needsRelogin) await db.meta.put({ key: SESSION_KEY, value: { ...session, needsRelogin: true } });
  });
}

/**
 * Forgets the token, and the downloaded voter lists with it: others' personal data stays on a
 * device only while an officer who may hold it is logged in. Drafts, the queue and the PIN lock
 * stay: logging out deletes no work.
 */
export async function clearSession(db: JangkauDb): Promise<void> {
  await db.transaction('rw', db.meta, db.assignment, async () => {
    await db.meta.delete(SESSION_KEY);
    await db.assignment.clear();
  });
}
