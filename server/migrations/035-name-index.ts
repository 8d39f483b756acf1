// The inbox's search by the requester's name (issue #14): a keyed blind index of the words of each
// submission's names (server/crypto/subject-index.ts nameWords), beside the NIK's (migration 016),
// so a name is found by an indexed lookup instead of opening every sealed payload. Only HMACs are
// stored. Submissions stored before this migration are indexed once at start-up by the server,
// which holds the key (a migration does not); docs/security.md weighs what the index gives away.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function nameIndexMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      let names = db.schema
        .createTable('submission_names')
        .addColumn('word_index', 'text', (c) => c.notNull())
        .addColumn('submission_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('submission_names_pk', ['word_index', 'submission_id']);
      if (dialect === 'sqlite') names = names.modifyEnd(sql`without rowid`);
      await names.execute();
      await db.schema.createIndex('submission_names_submission_idx').on('submission_names').column('submission_id').execute();
      await sql`insert into server_meta (key, value) values ('name_index_backfill', 'pending')`.execute(db);
    },
  };
}
