// A device follows requests filed earlier by proving their per-submission secrets, without their
// answers: what a resident's phone does after making itself a fresh identity (src/sync/relink.ts),
// since the requests it sent before stay linked to the old device id and the phone no longer holds
// their answers to push them again. The same right a duplicate push grants (submissions.ts).
import type { Kysely } from 'kysely';
import type { Database, DialectName } from '../db/schema.ts';
import { sameHash, secretHash } from '../services/hashing.ts';
import { appendChanges, restatedStatuses } from './change-log.ts';
import { inChunks } from './chunks.ts';
import { registerOrVerifyDevice, verifyDevice, type DeviceCredentials } from './devices.ts';

const ROWS_PER_STATEMENT = 500;

export type FollowResult = { ok: true; following: string[] } | { ok: false; error: 'device_auth' };

/**
 * Checks the device, then links it to each submission whose secret it proves, in one transaction;
 * an unknown device is registered only when it proves at least one. A newly linked submission's current status is restated in the change log (read
 * under the log's lock), so the device pulls it even from a cursor past the original changes.
 */
export async function followSubmissions(
  db: Kysely<Database>,
  dialect: DialectName,
  device: DeviceCredentials,
  items: readonly { id: string; secret: string }[],
  now: string,
): Promise<FollowResult> {
  const claimed = new Map<string, string[]>();
  for (const item of items) claimed.set(item.id, [...(claimed.get(item.id) ?? []), secretHash(item.secret)]);
  // In id order, like a push: two transactions then take row locks in the same order.
  const ids = [...claimed.keys()].sort();
  return db.transaction().execute(async (trx): Promise<FollowResult> => {
    if ((await verifyDevice(trx, device)) === 'mismatch') return { ok: false, error: 'device_auth' };
    let proven: string[] = [];
    for (const chunk of inChunks(ids, ROWS_PER_STATEMENT)) {
      const rows = await trx.selectFrom('submissions').select(['id', 'secret_hash']).where('id', 'in', chunk).execute();
      for (const row of rows) if (claimed.get(row.id)?.some((hash) => sameHash(row.secret_hash, hash))) proven.push(row.id);
    }
    // An officer's token follows only what a token of the same account pushed: a new login's token
    // takes over the officer's own entries (the old token's device row is gone with the logout),
    // never another officer's whose receipts sit on the same shared phone (#11, seed 20261203).
    if (device.kind === 'officer' && proven.length > 0) proven = await pushedBySameAccount(trx, device.deviceId, proven);
    // Like a push that stores nothing, a follow that proves nothing registers no device: a made-up
    // id must not become a known device (#12 finding 1).
    if (proven.length === 0) return { ok: true, following: [] };
    if ((await registerOrVerifyDevice(trx, device, now)) !== 'ok') return { ok: false, error: 'device_auth' };
    const linked: string[] = [];
    for (const chunk of inChunks(proven.sort(), ROWS_PER_STATEMENT)) {
      const rows = await trx
        .insertInto('submission_devices')
        .values(chunk.map((submissionId) => ({ device_id: device.deviceId, submission_id: submissionId })))
        .onConflict((oc) => oc.columns(['device_id', 'submission_id']).doNothing())
        .returning('submission_id')
        .execute();
      for (const row of rows) linked.push(row.submission_id);
    }
    await appendChanges(trx, dialect, await restatedStatuses(trx, dialect, linked));
    return { ok: true, following: proven };
  });
}

/** Of `ids`, those linked to a device token of the account that owns token `tokenId`. */
async function pushedBySameAccount(trx: Kysely<Database>, tokenId: string, ids: readonly string[]): Promise<string[]> {
  const own: string[] = [];
  for (const chunk of inChunks([...ids], ROWS_PER_STATEMENT)) {
    const rows = await trx
      .selectFrom('submission_devices as sd')
      .innerJoin('device_tokens as pushed', 'pushed.id', 'sd.device_id')
      .innerJoin('device_tokens as me', 'me.account_id', 'pushed.account_id')
      .where('me.id', '=', tokenId)
      .where('sd.submission_id', 'in', chunk)
      .select('sd.submission_id')
      .distinct()
      .execute();
    for (const row of rows) own.push(row.submission_id);
  }
  return own;
}
