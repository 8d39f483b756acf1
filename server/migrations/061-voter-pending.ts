// The voter record a push updates is written after the push commits (server/services/voter-ingest.ts).
// So that a lost update (the process died between, or the update failed) is found again, the
// submission carries a mark written in the push's own transaction and cleared once the update is
// done; a sweep applies what is still marked. The mark holds no personal data: for a coklit the
// record's random key and the version the officer saw, for a tanggapan DPS the word 'tanggapan'
// (the NIK it names stays sealed in the answers). One event per (submission, record) makes a second
// sweep racing the first fail in its transaction instead of judging the update against itself.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function voterPendingMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('submissions').addColumn('voter_pending', 'text').execute();
      // Only marked rows are indexed: the sweep's query costs nothing when all is applied.
      await db.schema
        .createIndex('submissions_voter_pending_idx')
        .on('submissions')
        .columns(['received_at', 'id'])
        .where(sql<boolean>`voter_pending is not null`)
        .execute();
      await db.schema.dropIndex('voter_record_events_submission').execute();
      await db.schema.createIndex('voter_record_events_submission_uq').on('voter_record_events').columns(['submission_id', 'record_id']).unique().execute();
    },
  };
}
