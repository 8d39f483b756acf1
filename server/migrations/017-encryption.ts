// Encryption at rest (server/crypto/data-keys.ts): the wrapped data keys, and the clear columns
// the coklit KPI counts by now that the answers they were read from are ciphertext. The rows
// already stored are encrypted at start (server/repositories/encrypt-stored.ts), not here: a migration
// runs without the key-encryption key, which never sits beside the database.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function encryptionMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('data_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // What the key locks: 'sub:<formId>:<YYYY-MM>', 'voters:<village>', 'secret:<purpose>'.
        .addColumn('scope', 'text', (c) => c.notNull().unique())
        .addColumn('kek_id', 'text', (c) => c.notNull())
        // The key wrapped by the KEK (base64); null once shredded.
        .addColumn('wrapped', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('shredded_at', 'text')
        .execute();
      // Village, TPS and outcome of a coklit record (no personal data alone), and its voter as a
      // keyed hash of the NIK (or the record id without one): what coklitCounts groups and counts.
      for (const column of ['kpi_village', 'kpi_tps', 'kpi_outcome', 'kpi_voter']) {
        await db.schema.alterTable('submissions').addColumn(column, 'text').execute();
      }
    },
  };
}
