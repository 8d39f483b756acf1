// Whose status changes a phone pulls. The server follows a submission for the identity that pushed
// it: the phone's own credential for what a resident filed, the officer's device token for what was
// sent while an officer was logged in. A shared phone holds both kinds, so while an officer is logged
// in it pulls for the token first and then for its own credential, each with its own cursor: the
// resident's requests keep getting their answers, during the login and after the logout.
import { deviceAuth } from '../db/device-identity.ts';
import { DEVICE_PULL } from '../db/receipts.ts';
import type { JangkauDb } from '../db/schema.ts';
import { getSession } from '../auth/session.ts';
import type { PullIdentity } from './engine.ts';

export async function pullIdentities(db: JangkauDb): Promise<PullIdentity[]> {
  const own: PullIdentity = { key: DEVICE_PULL, authorization: await deviceAuth(db)() };
  const session = await getSession(db);
  // A locked officer's phone cannot open the token (sealed under the device key): it pulls for its
  // own credential only until the unlock.
  if (!session?.token) return [own];
  return [
    { key: `officer:${session.deviceId}`, authorization: `Bearer ${session.token}` },
    { ...own, secondary: true },
  ];
}
