// Status SMS waiting for the gateway: one row per submission, status and recipient (the key is
// also what the gateway may deduplicate on), written in the status change's own transaction so a
// committed answer always has its SMS queued, and kept after sending as the record of it.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function smsOutboxMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sms_outbox')
        .addColumn('submission_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('queued_at', 'text', (c) => c.notNull())
        // pending → sent, or failed once the gateway refused it or it stayed undelivered too long.
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        // When a worker may try it next; a worker sending it pushes this forward (its lease).
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('sent_at', 'text')
        .addPrimaryKeyConstraint('sms_outbox_pk', ['submission_id', 'status', 'recipient'])
        .execute();
      await db.schema.createIndex('sms_outbox_due_idx').on('sms_outbox').columns(['state', 'next_attempt_at']).execute();
    },
  };
}
