// The officer's session on this device: the device token the server issued at login (never the
// password) and the account it belongs to. Kept in the `meta` store so the service worker's sync
// sends it too. The token is revocable by an admin; the personal data it could reach on the
// server stays behind role × region checks there.
import type { JangkauDb } from '../db/schema.ts';

export const SESSION_KEY = 'officerSession';
/** The wrapped device key (device-key.ts); while it exists, a PIN guards this device. */
export const PIN_LOCK_KEY = 'officerPinLock';

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

export async function getSession(db: JangkauDb): Promise<OfficerSession | undefined> {
  const value = (await db.meta.get(SESSION_KEY))?.value as OfficerSession | undefined;
  return value?.token ? value : undefined;
}

export async function saveSession(db: JangkauDb, session: OfficerSession): Promise<void> {
  await db.meta.put({ key: SESSION_KEY, value: session });
}

export async function markNeedsRelogin(db: JangkauDb): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const session = await getSession(db);
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
