// The first schema: devices, published form versions, submissions, who may pull them, and the
// ordered log of status changes that devices pull with a cursor.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function initialMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('form_versions')
        .addColumn('form_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('definition_json', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('retired_at', 'text')
        .addPrimaryKeyConstraint('form_versions_pk', ['form_id', 'version'])
        .execute();

      // The primary key on the device-made id is the idempotency guarantee (invariant 2): two
      // processes racing on the same retry can never both insert.
      await db.schema
        .createTable('submissions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('form_id', 'text', (c) => c.notNull())
        .addColumn('form_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('payload_hash', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('diterima'))
        .addColumn('answer', 'text')
        .addColumn('status_at', 'text', (c) => c.notNull())
        .addForeignKeyConstraint('submissions_form_fk', ['form_id', 'form_version'], 'form_versions', [
          'form_id',
          'version',
        ])
        .execute();
      // The officers' list shows the newest first.
      await db.schema.createIndex('submissions_received_at_idx').on('submissions').column('received_at').execute();

      let links = db.schema
        .createTable('submission_devices')
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
        .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id'))
        .addPrimaryKeyConstraint('submission_devices_pk', ['device_id', 'submission_id']);
      // A pure two-column key table: without a rowid SQLite stores it once, as the key itself.
      if (dialect === 'sqlite') links = links.modifyEnd(sql`without rowid`);
      await links.execute();

      await db.schema
        .createTable('changes')
        .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigserial', (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('submission_id', 'text', (c) => c.notNull().references('submissions.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('answer', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      // Pull walks a device's links, then each submission's changes after the cursor.
      await db.schema
        .createIndex('changes_submission_seq_idx')
        .on('changes')
        .columns(['submission_id', 'seq'])
        .execute();
    },
  };
}
