// An export reads a service's submissions of a period in receipt order, a page at a time (keyset
// paging on received_at, id; server/repositories/exports.ts). Without an index that starts with
// the service, both databases chose submissions_practice_idx (practice = 0 only), so every page
// read and sorted the whole table: a year's export took time quadratic in its rows (bench:export).
// With (form_id, practice, received_at, id) a page is one index range read in order, with no sort,
// that stops after the page's rows; the version and the region are checked on those rows.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function exportOrderMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('submissions_export_idx').on('submissions').columns(['form_id', 'practice', 'received_at', 'id']).execute();
    },
  };
}
