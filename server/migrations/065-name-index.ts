// The inbox's search by the requester's name (issue #14): a keyed blind index of the words of each
// submission's names (server/crypto/subject-index.ts nameWords), beside the NIK's (migration 016),
// so a name is found by a lookup in a narrow table of HMACs instead of opening every sealed payload.
// Submissions stored before this migration are indexed once at start-up by the server, which holds
// the key (a migration does not). The layout follows the NIK index's (migrations 016 and 018): on
// SQLite keyed by submission first, so a group commit of pushes appends to the table's last pages
// instead of dirtying random ones, and a search reads the narrow table through; on PostgreSQL keyed
// by the word, with an index by submission for erasure. docs/security.md weighs what the index
// gives away.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function nameIndexMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const names = db.schema
        .createTable('submission_names')
        .addColumn('word_index', 'text', (c) => c.notNull())
        .addColumn('submission_id', 'text', (c) => c.notNull());
      if (dialect === 'sqlite') {
        await names.addPrimaryKeyConstraint('submission_names_pk', ['submission_id', 'word_index']).modifyEnd(sql`without rowid`).execute();
      } else {
        await names.addPrimaryKeyConstraint('submission_names_pk', ['word_index', 'submission_id']).execute();
        await db.schema.createIndex('submission_names_submission_idx').on('submission_names').column('submission_id').execute();
      }
      await sql`insert into server_meta (key, value) values ('name_index_backfill', 'pending')`.execute(db);
    },
  };
}
