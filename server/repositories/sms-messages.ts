// Storage for the SMS channel (tables of migration 004). The tables are not in the shared
// Database type, so this module widens the handle with its own two.
import type { Kysely } from 'kysely';
import type { SmsPart } from '../../core/sms/sms-codec.ts';
import type { Database } from '../db/schema.ts';

export type SmsOutcome = 'accepted' | 'duplicate' | 'refused';

type SmsPartsTable = {
  sender: string;
  message_id: string;
  part_index: number;
  part_total: number;
  payload: string;
  gateway_id: string;
  received_at: string;
};

type SmsMessagesTable = {
  sender: string;
  message_id: string;
  outcome: SmsOutcome;
  reason: string | null;
  submission_id: string | null;
  completed_at: string;
};

type SmsTables = {
  sms_parts: SmsPartsTable;
  sms_messages: SmsMessagesTable;
};

export interface SmsRecord {
  outcome: SmsOutcome;
  reason: string | null;
  submissionId: string | null;
}

export class SmsStore {
  private readonly db: Kysely<SmsTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<SmsTables>() as unknown as Kysely<SmsTables>;
  }

  /** Keeps parts not seen before; a part delivered again changes nothing. */
  async addParts(sender: string, gatewayId: string, parts: readonly SmsPart[], receivedAt: string): Promise<void> {
    if (parts.length === 0) return;
    await this.db
      .insertInto('sms_parts')
      .values(
        parts.map((p) => ({
          sender,
          message_id: p.messageId,
          part_index: p.index,
          part_total: p.total,
          payload: p.payload,
          gateway_id: gatewayId,
          received_at: receivedAt,
        })),
      )
      .onConflict((oc) => oc.columns(['sender', 'message_id', 'part_index']).doNothing())
      .execute();
  }

  async partsOf(sender: string, messageId: string): Promise<SmsPart[]> {
    const rows = await this.db
      .selectFrom('sms_parts')
      .select(['message_id', 'part_index', 'part_total', 'payload'])
      .where('sender', '=', sender)
      .where('message_id', '=', messageId)
      .orderBy('part_index')
      .execute();
    return rows.map((r) => ({ messageId: r.message_id, index: Number(r.part_index), total: Number(r.part_total), payload: r.payload }));
  }

  async recordOf(sender: string, messageId: string): Promise<SmsRecord | undefined> {
    const row = await this.db
      .selectFrom('sms_messages')
      .select(['outcome', 'reason', 'submission_id'])
      .where('sender', '=', sender)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row ? { outcome: row.outcome, reason: row.reason, submissionId: row.submission_id } : undefined;
  }

  /** Records what became of a complete message; the first record stands, and is returned. */
  async record(sender: string, messageId: string, record: SmsRecord, at: string): Promise<SmsRecord> {
    await this.db
      .insertInto('sms_messages')
      .values({
        sender,
        message_id: messageId,
        outcome: record.outcome,
        reason: record.reason,
        submission_id: record.submissionId,
        completed_at: at,
      })
      .onConflict((oc) => oc.columns(['sender', 'message_id']).doNothing())
      .execute();
    return (await this.recordOf(sender, messageId)) ?? record;
  }

  /** The numbers that sent a submission by SMS, for status answers by SMS. */
  async sendersOf(submissionId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('sms_messages')
      .select('sender')
      .distinct()
      .where('submission_id', '=', submissionId)
      .where('outcome', '!=', 'refused')
      .execute();
    return rows.map((r) => r.sender);
  }
}
