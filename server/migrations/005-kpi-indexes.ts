// What the KPI dashboard reads fast: a covering index over a period's submissions (the first
// paint scans one index range instead of the table), the status history looked up per request
// without touching the change log's rows, and the TPS
// assignments (voters on each Pantarlih's list) that coklit coverage is measured against.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function kpiIndexesMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Period range first: every KPI query is "received in [from, to)", then filtered by region.
      // The other columns are what the queries read, so neither dialect visits the table.
      await db.schema
        .createIndex('submissions_kpi_idx')
        .on('submissions')
        .columns(['received_at', 'region_code', 'form_id', 'created_at', 'due_on', 'id'])
        .execute();
      // First response and completion of a request: the earliest change of a kind, read from the index.
      await db.schema.createIndex('changes_submission_status_at_idx').on('changes').columns(['submission_id', 'status', 'at']).execute();

      await db.schema
        .createTable('tps_assignments')
        .addColumn('village_code', 'text', (c) => c.notNull())
        .addColumn('tps', 'text', (c) => c.notNull())
        .addColumn('voters', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('tps_assignments_pk', ['village_code', 'tps'])
        .execute();
    },
  };
}
