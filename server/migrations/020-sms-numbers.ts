// Residents' phone numbers in the SMS tables encrypted at rest (#12 finding 5): beside each key
// column that held a number (`sms_parts.sender`, `sms_messages.sender`, `sms_outbox.recipient`),
// which from now on holds the number's keyed blind index, a column with the number sealed under a
// data key (server/crypto/sms-numbers.ts). A migration holds no key: the rows stored before are
// converted when a server starts (server/repositories/encrypt-stored.ts), like the answers were.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DialectName } from '../db/schema.ts';

export function smsNumbersMigration(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('sms_parts').addColumn('sender_sealed', 'text').execute();
      await db.schema.alterTable('sms_messages').addColumn('sender_sealed', 'text').execute();
      await db.schema.alterTable('sms_outbox').addColumn('recipient_sealed', 'text').execute();
    },
  };
}
