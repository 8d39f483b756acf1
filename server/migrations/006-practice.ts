// Practice mode (latihan): a submission an officer files while training is stored like any other
// but flagged, so KPIs, inboxes and exports leave it out (server/repositories/kpi.ts,
// realSubmissionsOnly) while regency operators can still count each officer's practice per form.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function practiceMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // 0 = real, 1 = practice; an integer reads the same on both dialects.
      await db.schema
        .alterTable('submissions')
        .addColumn('practice', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // The KPI index stays covering: the practice flag is read from it, not from the table.
      await db.schema.dropIndex('submissions_kpi_idx').execute();
      await db.schema
        .createIndex('submissions_kpi_idx')
        .on('submissions')
        .columns(['received_at', 'region_code', 'form_id', 'created_at', 'due_on', 'id', 'practice'])
        .execute();
      // Training progress: practice per officer and form.
      await db.schema.createIndex('submissions_practice_idx').on('submissions').columns(['practice', 'account_id', 'form_id']).execute();
    },
  };
}
