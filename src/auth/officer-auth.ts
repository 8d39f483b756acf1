// What the sync engine sends as the device's credential. An officer's device sends its device
// token (`Bearer`), so officer forms are accepted for the officer's region; a resident's device
// keeps its own `Device` credential.
import { DeviceLockedError } from '../db/crypto-at-rest.ts';
import { deviceAuth } from '../db/device-identity.ts';
import type { JangkauDb } from '../db/schema.ts';
import { getSession } from './session.ts';

export function officerOrDeviceAuth(db: JangkauDb): () => Promise<string> {
  const device = deviceAuth(db);
  return async () => {
    const session = await getSession(db);
    // A refused token is still sent: the server answers 401 and the queue waits for a new login,
    // where a resident's credential would get the officer forms refused for good. A locked device
    // cannot open its token (it is sealed under the device key): nothing goes as the officer until
    // the unlock (the queue's rows are held then too, send-gate.ts).
    if (!session) return device();
    if (session.token === undefined) throw new DeviceLockedError();
    return `Bearer ${session.token}`;
  };
}
