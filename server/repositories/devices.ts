// Devices identify themselves with an id and a secret they made; the first push binds the id to
// the secret's hash, later requests must present the same secret.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { sameHash, secretHash } from '../services/hashing.ts';

export type DeviceCheck = 'ok' | 'unknown' | 'mismatch';

export interface DeviceCredentials {
  deviceId: string;
  secret: string;
}

/** Read-only check, for requests that must not create anything (pull). */
export async function verifyDevice(db: Kysely<Database>, creds: DeviceCredentials): Promise<DeviceCheck> {
  const row = await db.selectFrom('devices').select('secret_hash').where('id', '=', creds.deviceId).executeTakeFirst();
  if (!row) return 'unknown';
  return sameHash(row.secret_hash, secretHash(creds.secret)) ? 'ok' : 'mismatch';
}

/** Registers an unknown device, then checks the secret and notes that the device was seen. */
export async function registerOrVerifyDevice(
  db: Kysely<Database>,
  creds: DeviceCredentials,
  now: string,
): Promise<Exclude<DeviceCheck, 'unknown'>> {
  const hash = secretHash(creds.secret);
  // Two first pushes of one device may race; the primary key lets exactly one insert win.
  await db
    .insertInto('devices')
    .values({ id: creds.deviceId, secret_hash: hash, created_at: now, last_seen_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('devices').select(['secret_hash', 'last_seen_at']).where('id', '=', creds.deviceId).executeTakeFirst();
  if (!row || !sameHash(row.secret_hash, hash)) return 'mismatch';
  if (row.last_seen_at !== now) {
    await db.updateTable('devices').set({ last_seen_at: now }).where('id', '=', creds.deviceId).execute();
  }
  return 'ok';
}
