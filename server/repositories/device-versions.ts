// The versions of forms and SOPs each officer's device holds, as its pulls report them
// (core/forms/held-versions.ts), and the rows of the KPI table "Versi formulir".
import type { Kysely } from 'kysely';
import type { HeldVersion } from '../../core/forms/held-versions.ts';
import type { Database } from '../db/schema.ts';

/**
 * Replaces what the device reported before. An unchanged report (the usual case: a pull every few
 * minutes) costs one update of its rows' time instead of a delete and inserts.
 */
export async function recordHeldVersions(db: Kysely<Database>, deviceId: string, held: readonly HeldVersion[], now: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('device_versions').select(['item_id', 'version']).where('device_id', '=', deviceId).execute();
    const was = new Map(before.map((r) => [r.item_id, Number(r.version)]));
    const unchanged = was.size === held.length && held.every((h) => was.get(h.item) === h.version);
    if (unchanged) {
      if (held.length > 0) await trx.updateTable('device_versions').set({ reported_at: now }).where('device_id', '=', deviceId).execute();
      return;
    }
    await trx.deleteFrom('device_versions').where('device_id', '=', deviceId).execute();
    if (held.length === 0) return;
    // A second process recording the same device at once may have inserted meanwhile.
    await trx
      .insertInto('device_versions')
      .values(held.map((h) => ({ device_id: deviceId, item_id: h.item, version: h.version, reported_at: now })))
      .onConflict((oc) =>
        oc.columns(['device_id', 'item_id']).doUpdateSet((eb) => ({ version: eb.ref('excluded.version'), reported_at: eb.ref('excluded.reported_at') })),
      )
      .execute();
  });
}

/** A device's report joined with the officer it belongs to. */
export interface HeldVersionRow {
  deviceId: string;
  deviceLabel: string;
  accountId: string;
  username: string;
  displayName: string;
  officerScope: string;
  item: string;
  version: number;
  reportedAt: string;
}

/**
 * The reports of the officers' devices whose account's region lies in `scope` (a regency operator
 * sees the officers of their regency). Revoked devices and disabled accounts are left out: they no
 * longer work from any version.
 */
export async function heldVersionRows(db: Kysely<Database>, scope: string): Promise<HeldVersionRow[]> {
  const rows = await db
    .selectFrom('device_versions')
    .innerJoin('device_tokens', 'device_tokens.id', 'device_versions.device_id')
    .innerJoin('accounts', 'accounts.id', 'device_tokens.account_id')
    .select([
      'device_versions.device_id',
      'device_tokens.label',
      'accounts.id as account_id',
      'accounts.username',
      'accounts.display_name',
      'accounts.scope',
      'device_versions.item_id',
      'device_versions.version',
      'device_versions.reported_at',
    ])
    .where('device_tokens.revoked_at', 'is', null)
    .where('accounts.disabled_at', 'is', null)
    .where((eb) => eb.or([eb('accounts.scope', '=', scope), eb('accounts.scope', 'like', `${scope}.%`)]))
    .orderBy('accounts.scope')
    .orderBy('accounts.username')
    .orderBy('device_versions.device_id')
    .orderBy('device_versions.item_id')
    .execute();
  return rows.map((r) => ({
    deviceId: r.device_id,
    deviceLabel: r.label,
    accountId: r.account_id,
    username: r.username,
    displayName: r.display_name,
    officerScope: r.scope,
    item: r.item_id,
    version: Number(r.version),
    reportedAt: r.reported_at,
  }));
}
