// Storage for the SMS channel (tables of migration 004). The tables are not in the shared
// Database type, so this module widens the handle with its own two. The sender's number is stored
// as its keyed blind index (the key the gateway's retries are matched on) and sealed beside it
// (server/crypto/sms-numbers.ts); callers pass and get the number itself.
import type { Kysely } from 'kysely';
import type { SmsPart } from '../../core/sms/sms-codec.ts';
import type { SmsNumbers } from '../crypto/sms-numbers.ts';
import type { Database } from '../db/schema.ts';

export type SmsOutcome = 'accepted' | 'duplicate' | 'refused';

type SmsPartsTable = {
  /** The number's blind index. */
  sender: string;
  sender_sealed: string | null;
  message_id: string;
  part_index: number;
  part_total: number;
  payload: string;
  gateway_id: string;
  received_at: string;
};

type SmsMessagesTable = {
  /** The number's blind index. */
  sender: string;
  sender_sealed: string | null;
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

/** A sender's number as stored: its blind index and the number sealed (null on a row from before). */
export interface StoredNumber {
  index: string;
  sealed: string | null;
}

export class SmsStore {
  private readonly db: Kysely<SmsTables>;

  constructor(
    db: Kysely<Database>,
    private readonly numbers: Pick<SmsNumbers, 'indexOf' | 'seal'>,
  ) {
    this.db = db.withTables<SmsTables>() as unknown as Kysely<SmsTables>;
  }

  /** Keeps parts not seen before; a part delivered again changes nothing. */
  async addParts(from: string, gatewayId: string, parts: readonly SmsPart[], receivedAt: string): Promise<void> {
    if (parts.length === 0) return;
    const sender = this.numbers.indexOf(from);
    const sealed = this.numbers.seal(from);
    await this.db
      .insertInto('sms_parts')
      .values(
        parts.map((p) => ({
          sender,
          sender_sealed: sealed,
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

  async partsOf(from: string, messageId: string): Promise<SmsPart[]> {
    const rows = await this.db
      .selectFrom('sms_parts')
      .select(['message_id', 'part_index', 'part_total', 'payload'])
      .where('sender', '=', this.numbers.indexOf(from))
      .where('message_id', '=', messageId)
      .orderBy('part_index')
      .execute();
    return rows.map((r) => ({ messageId: r.message_id, index: Number(r.part_index), total: Number(r.part_total), payload: r.payload }));
  }

  async recordOf(from: string, messageId: string): Promise<SmsRecord | undefined> {
    const row = await this.db
      .selectFrom('sms_messages')
      .select(['outcome', 'reason', 'submission_id'])
      .where('sender', '=', this.numbers.indexOf(from))
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return row ? { outcome: row.outcome, reason: row.reason, submissionId: row.submission_id } : undefined;
  }

  /** Records what became of a complete message; the first record stands, and is returned. */
  async record(from: string, messageId: string, record: SmsRecord, at: string): Promise<SmsRecord> {
    await this.db
      .insertInto('sms_messages')
      .values({
        sender: this.numbers.indexOf(from),
        sender_sealed: this.numbers.seal(from),
        message_id: messageId,
        outcome: record.outcome,
        reason: record.reason,
        submission_id: record.submissionId,
        completed_at: at,
      })
      .onConflict((oc) => oc.columns(['sender', 'message_id']).doNothing())
      .execute();
    return (await this.recordOf(from, messageId)) ?? record;
  }
}

/**
 * The numbers that sent a submission by SMS, as stored (status answers by SMS copy them to the
 * outbox without opening them). Needs no key.
 */
export async function sendersOf(db: Kysely<Database>, submissionId: string): Promise<StoredNumber[]> {
  const rows = await db
    .selectFrom('sms_messages')
    .select(['sender', 'sender_sealed'])
    .distinct()
    .where('submission_id', '=', submissionId)
    .where('outcome', '!=', 'refused')
    .execute();
  return rows.map((r) => ({ index: r.sender, sealed: r.sender_sealed }));
}
