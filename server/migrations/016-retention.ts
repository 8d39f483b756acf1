// Retention and data subjects' rights (UU 27/2022): a keyed blind index of the NIKs each
// submission holds (so a NIK is found without reading, or later decrypting, every payload), the
// data subjects' requests with their received time and 3×24 h due time, and a small key/value
// table for one-off jobs such as indexing the submissions stored before this migration.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function retentionMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let subjects = db.schema
        .createTable('submission_subjects')
        .addColumn('nik_index', 'text', (c) => c.notNull())
        .addColumn('submission_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('submission_subjects_pk', ['nik_index', 'submission_id']);
      if (dialect === 'sqlite') subjects = subjects.modifyEnd(sql`without rowid`);
      await subjects.execute();
      await db.schema.createIndex('submission_subjects_submission_idx').on('submission_subjects').column('submission_id').execute();

      await db.schema
        .createTable('subject_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('nik_index', 'text', (c) => c.notNull())
        .addColumn('region_code', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('answered_at', 'text')
        .addColumn('outcome', 'text')
        .execute();
      await db.schema.createIndex('subject_requests_open_idx').on('subject_requests').columns(['answered_at', 'due_at']).execute();

      await db.schema
        .createTable('server_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      // Submissions stored so far have no index rows yet; the server indexes them once at start
      // (it holds the index key, a migration does not).
      await sql`insert into server_meta (key, value) values ('subject_index_backfill', 'pending')`.execute(db);
    },
  };
}
