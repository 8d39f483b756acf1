// The device's own credential for the provincial API. A resident's device makes it itself on first
// use; the server binds the id to the secret's hash the first time it sees them.
import { ulid, randomSecret } from '../../core/ids.ts';
import { deviceAuthorization } from '../../core/protocol.ts';
import { isQuotaError } from './errors.ts';
import { META_KEYS, type DeviceIdentity } from './meta.ts';
import type { JangkauDb } from './schema.ts';

/**
 * A renewed identity a full disk would not store (issue #11, found by the model's long run): it is
 * used from memory for this context, so the phone can still push and send its photos, which frees
 * room, and it is stored by the first read that can write it. `replaces` is the refused identity's
 * id; `relink`, whether the requests sent before still wait to be followed (src/sync/relink.ts).
 */
interface HeldRenewal {
  identity: DeviceIdentity;
  replaces: string | undefined;
  relink: boolean;
}
const held = new WeakMap<JangkauDb, HeldRenewal>();

/**
 * Returns the device identity, creating and persisting it on first call. Read and create happen in
 * one readwrite transaction, which IndexedDB runs one at a time per store, so two tabs (or a tab and
 * the worker) starting together still end up with a single identity.
 */
export async function getDeviceIdentity(db: JangkauDb): Promise<DeviceIdentity> {
  const renewal = held.get(db);
  if (renewal) return storeRenewal(db, renewal.identity, renewal.replaces, renewal.relink);
  return db.transaction('rw', db.meta, async () => {
    const row = await db.meta.get(META_KEYS.device);
    const existing = row?.value as DeviceIdentity | undefined;
    if (existing?.deviceId && existing.deviceSecret) return existing;
    const identity: DeviceIdentity = { deviceId: ulid(), deviceSecret: randomSecret() };
    await db.meta.put({ key: META_KEYS.device, value: identity });
    return identity;
  });
}

/**
 * Puts `fresh` in force in place of the identity `replaces` names, with the relink mark in the same
 * transaction (the new identity is never in force without its relink to do), unless another context
 * renewed since (then that newer identity stays, and follows whatever this one sent). On a full disk
 * it is held in memory instead. Returns the identity now in force.
 */
export async function storeRenewal(db: JangkauDb, fresh: DeviceIdentity, replaces: string | undefined, relink = true): Promise<DeviceIdentity> {
  const before = held.get(db);
  // A second renewal in this context while the first waits for room: it replaces what the first did.
  if (before && before.identity.deviceId !== fresh.deviceId) {
    if (replaces !== undefined && before.identity.deviceId !== replaces) return before.identity;
    replaces = before.replaces;
  }
  try {
    const inForce = await db.transaction('rw', db.meta, async () => {
      const current = (await db.meta.get(META_KEYS.device))?.value as DeviceIdentity | undefined;
      const newer = current !== undefined && replaces !== undefined && current.deviceId !== replaces;
      if (!newer) await db.meta.put({ key: META_KEYS.device, value: fresh });
      // The newer identity follows what the held one sent; a fresh one, what was sent before it.
      if (newer ? before !== undefined : relink) await db.meta.put({ key: META_KEYS.relinkPending, value: true });
      return newer ? current : fresh;
    });
    held.delete(db);
    return inForce;
  } catch (error) {
    if (!isQuotaError(error)) throw error;
    held.set(db, { identity: fresh, replaces, relink: relink || (before?.relink ?? false) });
    return fresh;
  }
}

/** Whether a renewal held in memory still has its requests sent before to follow. */
export function heldRelinkPending(db: JangkauDb): boolean {
  return held.get(db)?.relink === true;
}

/** The held renewal's relink went through. */
export function heldRelinkDone(db: JangkauDb): void {
  const renewal = held.get(db);
  if (renewal) renewal.relink = false;
}

/** An `Authorization` header source for the API client: `Device <id>.<secret>`. */
export function deviceAuth(db: JangkauDb): () => Promise<string> {
  return async () => {
    const { deviceId, deviceSecret } = await getDeviceIdentity(db);
    return deviceAuthorization(deviceId, deviceSecret);
  };
}
