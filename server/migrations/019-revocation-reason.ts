// Why a device token was revoked (issue #12 finding 4): an admin's revocation of a lost phone, or
// the account disabled, tells the phone to erase the officer's data at its next contact; a logout,
// a password change (which revokes the officer's other phones) or a reset does not, since those
// phones may hold unsent work. Tokens revoked before this migration keep a null reason: no wipe.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function revocationReasonMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('device_tokens').addColumn('revoked_reason', 'text').execute();
    },
  };
}
