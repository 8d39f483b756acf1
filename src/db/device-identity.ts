// The device's own credential for the provincial API. A resident's device makes it itself on first
// use; the server binds the id to the secret's hash the first time it sees them.
import { ulid, randomSecret } from '../../core/ids.ts';
import { deviceAuthorization } from '../../core/protocol.ts';
import { META_KEYS, type DeviceIdentity } from './meta.ts';
import type { JangkauDb } from './schema.ts';

/**
 * Returns the device identity, creating and persisting it on first call. Read and create happen in
 * one readwrite transaction, which IndexedDB runs one at a time per store, so two tabs (or a tab and
 * the worker) starting together still end up with a single identity.
 */
export async function getDeviceIdentity(db: JangkauDb): Promise<DeviceIdentity> {
  return db.transaction('rw', db.meta, async () => {
    const row = await db.meta.get(META_KEYS.device);
    const existing = row?.value as DeviceIdentity | undefined;
    if (existing?.deviceId && existing.deviceSecret) return existing;
    const identity: DeviceIdentity = { deviceId: ulid(), deviceSecret: randomSecret() };
    await db.meta.put({ key: META_KEYS.device, value: identity });
    return identity;
  });
}

/** An `Authorization` header source for the API client: `Device <id>.<secret>`. */
export function deviceAuth(db: JangkauDb): () => Promise<string> {
  return async () => {
    const { deviceId, deviceSecret } = await getDeviceIdentity(db);
    return deviceAuthorization(deviceId, deviceSecret);
  };
}
