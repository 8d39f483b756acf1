// SOP documents and the versions each officer's device holds (issue #7): the province publishes
// SOPs beside the forms, and every pull reports which form and SOP versions the device holds, so
// the KPI table "Versi formulir" can list who still works from an old one.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function deviceVersionsMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Like form_versions: a published version is kept for ever and never rewritten.
      await db.schema
        .createTable('sop_documents')
        .addColumn('sop_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('doc_json', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sop_documents_pk', ['sop_id', 'version'])
        .execute();

      // One row per device and item (a formId, or `sop:<sopId>`): the newest version it holds, and
      // when it last said so. Replaced whole on each report.
      await db.schema
        .createTable('device_versions')
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('reported_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('device_versions_pk', ['device_id', 'item_id'])
        .execute();
    },
  };
}
