// What the sync engine sends as the device's credential, and which queued rows it may send now.
// An officer's device sends its device token (`Bearer`), so officer forms are accepted for the
// officer's region; a resident's device keeps its own `Device` credential.
import { deviceAuth } from '../db/device-identity.ts';
import { isSealedObject } from '../db/crypto-at-rest.ts';
import type { JangkauDb, OutboxRow } from '../db/schema.ts';
import { getSession } from './session.ts';

export function officerOrDeviceAuth(db: JangkauDb): () => Promise<string> {
  const device = deviceAuth(db);
  return async () => {
    const session = await getSession(db);
    // A refused token is still sent: the server answers 401 and the queue waits for a new login,
    // where a resident's credential would get the officer forms refused for good.
    return session ? `Bearer ${session.token}` : device();
  };
}

let holdOfficerRows = false;

/** Set while a PIN protects this device but no officer is logged in: the queue waits for a login. */
export function holdQueueUntilLogin(on: boolean): void {
  holdOfficerRows = on;
}

/**
 * Whether the engine may send a queued row now. A row still sealed was read without the device
 * key (the service worker, or a locked page): it waits until the officer unlocks the app.
 */
export function maySendRow(row: OutboxRow): boolean {
  return !holdOfficerRows && !isSealedObject(row.envelope.data);
}
