// What a 401 means for this device, for the sync engine's `onUnauthorized`.
//
// A resident has no account: the device made its own id and secret, and the server bound them on
// the first push. A 401 then means the server no longer knows that secret (it was restored from a
// backup older than the device's first push, and someone else's secret got bound to the id, or
// the device row was lost with a changed secret). No login can fix that, so the device makes
// itself a fresh identity and sends its queue again. Nothing is lost or doubled: each submission
// keeps its id and its own secret, so the server answers what it already holds as a duplicate
// and links it to the new device, and stores what it lacks once. The requests sent before (no
// longer queued) are linked to the new identity by their secrets (src/sync/relink.ts), so their
// answers keep coming.
//
// An officer's device sends an officer's device token instead; a 401 there means the token was
// revoked or expired, which only a new login fixes: the queue waits ("Perlu masuk ulang"). Unless an
// admin revoked it (a lost or stolen phone) or disabled the account: then the phone erases the
// officer's data and keeps the resident's own requests (src/auth/revocation.ts, wipe.ts).
import { randomSecret, ulid } from '../../core/ids.ts';
import { settleRefusedToken } from '../auth/revocation.ts';
import { getDeviceIdentity, storeRenewal } from '../db/device-identity.ts';
import type { DeviceIdentity } from '../db/meta.ts';
import { DEVICE_PULL } from '../db/receipts.ts';
import type { JangkauDb } from '../db/schema.ts';

export type UnauthorizedVerdict = 'renewed' | 'login';

/**
 * Replaces the device identity with a fresh one, unless another context already did since
 * `refused` was read (then that newer identity stays). Returns the identity now in force.
 */
export async function renewDeviceIdentity(db: JangkauDb, refused?: DeviceIdentity): Promise<DeviceIdentity> {
  // A full disk keeps the fresh identity in memory until there is room (device-identity.ts).
  return storeRenewal(db, { deviceId: ulid(), deviceSecret: randomSecret() }, refused?.deviceId);
}

/**
 * The engine's `onUnauthorized` for the device, given the key of the identity refused
 * (send-identities.ts): the phone's own credential renews itself, whoever is logged in (a shared
 * phone's resident requests go under it); an officer's token refused means a new login, after the
 * officer's data is erased if the server says an admin revoked the token (`settle`). Not told which
 * (the api's own credential): an officer logged in (`isOfficer`) must log in again, otherwise the
 * resident's device renews its identity.
 */
export function onUnauthorizedFor(
  db: JangkauDb,
  isOfficer: () => Promise<boolean>,
  settle: (db: JangkauDb) => Promise<unknown> = settleRefusedToken,
): (refused?: string) => Promise<UnauthorizedVerdict> {
  return async (refused) => {
    const own = refused === undefined ? !(await isOfficer()) : refused === DEVICE_PULL;
    if (!own) {
      // 'login' even after a wipe: the screens learn of it from the sync's phase (officer-store.ts),
      // and the next sync sends the resident's rows under the device's own credential.
      await settle(db);
      return 'login';
    }
    await renewDeviceIdentity(db, await getDeviceIdentity(db));
    return 'renewed';
  };
}
