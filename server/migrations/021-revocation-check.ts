// The locked phone's wipe signal (issue #12 finding 4): at login the phone gives a random
// revocation check, and the token row keeps its hash. A locked phone cannot send its token (sealed
// under the device key) but sends the check with every sync request under its own credential; the
// server answers `x-jangkau-wipe: officer` once the token was revoked with a wiping reason
// (server/auth/wipe-signal.ts). Null for tokens of logins without one (an older app): no such signal.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function revocationCheckMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('device_tokens').addColumn('revocation_check_hash', 'text').execute();
    },
  };
}
