// Status SMS waiting for the gateway (table of migration 010). Queued in the status change's
// transaction for every number that filed the submission by SMS; claimed by a worker before
// sending, so two API processes do not both send a row at the same moment. Like SmsStore, the
// table is not in the shared Database type, so this module widens the handle with its own.
import type { Kysely, UpdateQueryBuilder, UpdateResult } from 'kysely';
import type { ServerStatus } from '../../core/protocol.ts';
import { statusSmsText } from '../../core/sms/status-text.ts';
import type { SmsNumbers } from '../crypto/sms-numbers.ts';
import type { Database } from '../db/schema.ts';
import { sendersOf } from './sms-messages.ts';
import type { StatusChange } from './status.ts';

export type OutboxState = 'pending' | 'sent' | 'failed';

type SmsOutboxTable = {
  submission_id: string;
  status: ServerStatus;
  /** The number's blind index (server/crypto/sms-numbers.ts); the number is `recipient_sealed`. */
  recipient: string;
  recipient_sealed: string | null;
  text: string;
  queued_at: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  sent_at: string | null;
};

type OutboxTables = { sms_outbox: SmsOutboxTable };

/** One status SMS: `(submissionId, status, to)` names it, for us and for the gateway. */
export interface OutboundSms {
  submissionId: string;
  status: ServerStatus;
  to: string;
  /** `to` as the row's key holds it (its blind index). */
  recipientKey: string;
  text: string;
  queuedAt: string;
  attempts: number;
  /** When it became due, as read: the claim only succeeds if nobody moved it since. */
  nextAttemptAt: string;
}

function tables(db: Kysely<Database>): Kysely<OutboxTables> {
  return db.withTables<OutboxTables>() as unknown as Kysely<OutboxTables>;
}

/**
 * Queues the SMS telling each number that filed `change.id` by SMS about its new status. Runs in
 * the status change's transaction (`withChange`), so only after a change took: practice submissions
 * take none (updateSubmissionStatus refuses them) and so queue nothing, nor do those that did not
 * come by SMS; a status queued before (the key) is not queued twice.
 */
export async function queueStatusSms(trx: Kysely<Database>, change: StatusChange): Promise<number> {
  const senders = await sendersOf(trx, change.id);
  if (senders.length === 0) return 0;
  const text = statusSmsText(change.id, change.status, change.answer);
  await tables(trx)
    .insertInto('sms_outbox')
    .values(
      senders.map((to) => ({
        submission_id: change.id,
        status: change.status,
        recipient: to.index,
        recipient_sealed: to.sealed,
        text,
        queued_at: change.at,
        state: 'pending' as const,
        attempts: 0,
        next_attempt_at: change.at,
      })),
    )
    .onConflict((oc) => oc.columns(['submission_id', 'status', 'recipient']).doNothing())
    .execute();
  return senders.length;
}

type Key = Pick<OutboundSms, 'submissionId' | 'status' | 'recipientKey'>;

export class SmsOutbox {
  private readonly db: Kysely<OutboxTables>;

  constructor(
    db: Kysely<Database>,
    private readonly numbers: Pick<SmsNumbers, 'open'>,
  ) {
    this.db = tables(db);
  }

  /** Pending messages due at `now`, oldest first. */
  async due(now: string, limit: number): Promise<OutboundSms[]> {
    const rows = await this.db
      .selectFrom('sms_outbox')
      .select(['submission_id', 'status', 'recipient', 'recipient_sealed', 'text', 'queued_at', 'attempts', 'next_attempt_at'])
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    const numbers = await Promise.all(rows.map((r) => this.numbers.open(r.recipient, r.recipient_sealed)));
    return rows.map((r, i) => ({
      submissionId: r.submission_id,
      status: r.status,
      to: numbers[i]!,
      recipientKey: r.recipient,
      text: r.text,
      queuedAt: r.queued_at,
      attempts: Number(r.attempts),
      nextAttemptAt: r.next_attempt_at,
    }));
  }

  /** When the next pending message falls due (possibly a lease running out), if any is pending. */
  async nextDueAt(): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sms_outbox')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return row?.at ?? undefined;
  }

  /**
   * Takes `sms` for sending until `leaseUntil`: true for exactly one worker. A worker that dies
   * while sending leaves the lease to run out, after which the message is due again.
   */
  async claim(sms: OutboundSms, leaseUntil: string): Promise<boolean> {
    const result = await this.whereKey(this.db.updateTable('sms_outbox').set({ next_attempt_at: leaseUntil }), sms)
      .where('state', '=', 'pending')
      .where('next_attempt_at', '=', sms.nextAttemptAt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async markSent(sms: Key, attempts: number, at: string): Promise<void> {
    await this.whereKey(this.db.updateTable('sms_outbox').set({ state: 'sent', attempts, sent_at: at, last_error: null }), sms).execute();
  }

  async markRetry(sms: Key, attempts: number, nextAttemptAt: string, error: string): Promise<void> {
    await this.whereKey(
      this.db.updateTable('sms_outbox').set({ attempts, next_attempt_at: nextAttemptAt, last_error: error }),
      sms,
    ).execute();
  }

  async markFailed(sms: Key, attempts: number, error: string): Promise<void> {
    await this.whereKey(this.db.updateTable('sms_outbox').set({ state: 'failed', attempts, last_error: error }), sms).execute();
  }

  private whereKey(query: OutboxUpdate, sms: Key): OutboxUpdate {
    return query.where('submission_id', '=', sms.submissionId).where('status', '=', sms.status).where('recipient', '=', sms.recipientKey);
  }
}

type OutboxUpdate = UpdateQueryBuilder<OutboxTables, 'sms_outbox', 'sms_outbox', UpdateResult>;
