// Attachments: which files (by sha256) each submission refers to, and which files have arrived
// complete and verified. A submission is complete when every file it refers to has arrived; that is
// derived by a query, so the order in which data and files arrive does not matter.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function attachmentsMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // One row per file field of a submission ('foto', 'anggota[1].pasFoto'); the same file in two
      // fields is two rows with one sha256.
      let refs = db.schema
        .createTable('submission_attachments')
        .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id'))
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('submission_attachments_pk', ['submission_id', 'field']);
      if (dialect === 'sqlite') refs = refs.modifyEnd(sql`without rowid`);
      await refs.execute();
      // An arrival finds the submissions waiting for it.
      await db.schema.createIndex('submission_attachments_sha256_idx').on('submission_attachments').column('sha256').execute();

      // A file here is on disk, complete, of its declared type and with the sha256 it is named by.
      await db.schema
        .createTable('attachment_arrivals')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('arrived_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
