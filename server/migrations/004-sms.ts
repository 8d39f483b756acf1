// The SMS channel: the parts a gateway delivered (grouped by sender and message id, so parts may
// come in any order and twice) and, once a message is complete, what became of it, so a part
// delivered again after that is answered from the record instead of ingested again.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function smsMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sms_parts')
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('part_index', 'integer', (c) => c.notNull())
        .addColumn('part_total', 'integer', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('gateway_id', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sms_parts_pk', ['sender', 'message_id', 'part_index'])
        .execute();

      await db.schema
        .createTable('sms_messages')
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('submission_id', 'text')
        .addColumn('completed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sms_messages_pk', ['sender', 'message_id'])
        .execute();
      // Status SMS look up who sent a submission.
      await db.schema.createIndex('sms_messages_submission_idx').on('sms_messages').column('submission_id').execute();
    },
  };
}
