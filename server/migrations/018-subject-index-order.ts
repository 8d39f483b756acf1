// The NIK blind index (016) on SQLite, keyed by submission first. Its values are keyed HMACs, so
// rows keyed by them land on random pages: every group commit of a ferry's worth of pushes dirtied
// most of the table's pages and wrote each whole into the WAL before its fsync (bench:server,
// SQLite herd: the commit took 50 µs per submission instead of 25). Keyed by the submission id
// (a ULID, in filing order) the new rows fill the table's last pages. A lookup by NIK, which only a
// data-subject request or an erasure makes, then reads the narrow table through (0.10–0.14 s for a
// million index rows on the 2-core machine). PostgreSQL keeps 016's layout: its heap takes rows in arrival
// order anyway, and its WAL logs the index entries, not whole pages, between checkpoints.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function subjectIndexOrderMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'sqlite') return;
      await db.schema
        .createTable('submission_subjects_by_submission')
        .addColumn('nik_index', 'text', (c) => c.notNull())
        .addColumn('submission_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('submission_subjects_by_submission_pk', ['submission_id', 'nik_index'])
        .modifyEnd(sql`without rowid`)
        .execute();
      await sql`insert into submission_subjects_by_submission (nik_index, submission_id) select nik_index, submission_id from submission_subjects`.execute(db);
      await db.schema.dropTable('submission_subjects').execute();
      await db.schema.alterTable('submission_subjects_by_submission').renameTo('submission_subjects').execute();
    },
  };
}
