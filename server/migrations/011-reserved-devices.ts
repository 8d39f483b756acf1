// Devices the server reserves (invariant 12). Until now every `devices` row could be opened by the
// `Device <id>.<secret>` scheme: an officer's token row (its secret hash was the token's hash, so a
// revoked token kept working that way) and the SMS and QR hand-off channels' rows (made on first
// use, so a stranger pushing first under their published ids took them over). Each row now says
// whose it is; officer and channel rows keep no secret hash, and the channel rows exist from here
// on, before anyone can ask for them.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

/** server/crypto/channel-device.ts's ids, spelled out: a migration must not change with the code. */
const CHANNEL_IDS = ['00000000000000000000000SMS', '0000000000000000000000HAND'] as const;

export function reservedDevicesMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('devices').addColumn('kind', 'text', (c) => c.notNull().defaultTo('phone')).execute();
      await sql`update devices set kind = 'officer', secret_hash = '' where id in (select id from device_tokens)`.execute(db);
      const now = new Date().toISOString();
      for (const id of CHANNEL_IDS) {
        // A row made by an earlier first use (the server's, or a squatter's) becomes the channel's;
        // what was stored under it stays, and its secret, whoever held it, opens nothing any more.
        await sql`update devices set kind = 'channel', secret_hash = '' where id = ${id}`.execute(db);
        await sql`insert into devices (id, secret_hash, created_at, last_seen_at, kind)
                  values (${id}, '', ${now}, ${now}, 'channel') on conflict (id) do nothing`.execute(db);
      }
    },
  };
}
