// Devices and the credentials that act as them. A phone makes its own id and secret; its first
// push binds the id to the secret's hash, later requests must present the same secret. An
// officer's device is its token's row, opened only through a live token (server/auth/officer.ts);
// the channels' rows are the server's own. A credential opens only a row of its own kind, so no
// secret, revoked token or published id lets a request from outside act as a reserved device.
import type { Kysely } from 'kysely';
import type { Database, DeviceKind } from '../db/schema.ts';
import { sameHash, secretHash } from '../services/hashing.ts';

export type DeviceCheck = 'ok' | 'unknown' | 'mismatch' | 'reserved';

/**
 * `phone`: `Authorization: Device <id>.<secret>` as sent; `officer`: the device of a token that
 * server/auth/officer.ts found live on this request; `channel`: the server itself (SMS, QR hand-off).
 */
export type DeviceCredentials =
  | { kind: 'phone'; deviceId: string; secret: string }
  | { kind: 'officer'; deviceId: string }
  | { kind: 'channel'; deviceId: string };

/** Whether `row` may be acted as with `creds`: same kind, and for a phone the same secret. */
function judge(row: { secret_hash: string; kind: DeviceKind }, creds: DeviceCredentials): Exclude<DeviceCheck, 'unknown'> {
  if (row.kind !== creds.kind) return creds.kind === 'phone' ? 'reserved' : 'mismatch';
  if (creds.kind !== 'phone') return 'ok';
  return sameHash(row.secret_hash, secretHash(creds.secret)) ? 'ok' : 'mismatch';
}

/** The kind of the row with this id, if there is one (the request hook's check of reserved ids). */
export async function deviceKind(db: Kysely<Database>, deviceId: string): Promise<DeviceKind | undefined> {
  return (await db.selectFrom('devices').select('kind').where('id', '=', deviceId).executeTakeFirst())?.kind;
}

/** Read-only check, for requests that must not create anything (pull). */
export async function verifyDevice(db: Kysely<Database>, creds: DeviceCredentials): Promise<DeviceCheck> {
  const row = await db.selectFrom('devices').select(['secret_hash', 'kind']).where('id', '=', creds.deviceId).executeTakeFirst();
  return row ? judge(row, creds) : 'unknown';
}

/** Registers an unknown device, then checks the credentials and notes that the device was seen. */
export async function registerOrVerifyDevice(db: Kysely<Database>, creds: DeviceCredentials, now: string): Promise<Exclude<DeviceCheck, 'unknown'>> {
  // Two first pushes of one device may race; the primary key lets exactly one insert win. Officer
  // and channel rows are made at login and by migration 011; one missing is made of its own kind.
  await db
    .insertInto('devices')
    .values({ id: creds.deviceId, secret_hash: creds.kind === 'phone' ? secretHash(creds.secret) : '', kind: creds.kind, created_at: now, last_seen_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('devices').select(['secret_hash', 'kind', 'last_seen_at']).where('id', '=', creds.deviceId).executeTakeFirst();
  const check = row ? judge(row, creds) : 'mismatch';
  if (check !== 'ok') return check;
  if (row!.last_seen_at !== now) {
    await db.updateTable('devices').set({ last_seen_at: now }).where('id', '=', creds.deviceId).execute();
  }
  return 'ok';
}
