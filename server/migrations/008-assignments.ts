// The voter lists handed to the Pantarlih of each TPS (the assignment for coklit): one row per
// voter, in the order of the uploaded list. The personal data sits in one JSON column: nothing
// queries by NIK or name, and a whole TPS list is read or replaced at once.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function assignmentsMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('assignment_voters')
        .addColumn('village_code', 'text', (c) => c.notNull())
        .addColumn('tps', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('voter_json', 'text', (c) => c.notNull())
        .addColumn('uploaded_at', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('assignment_voters_pk', ['village_code', 'tps', 'position'])
        .execute();
    },
  };
}
