// One SMS from the gateway: keep its parts, and when its message is complete reassemble, check,
// open and ingest it through the same push ingestion as a phone's push, exactly once. Storage
// and ingestion are passed in, so this reads as the channel's rules.
import type { ItemResult, SubmissionEnvelope } from '../../core/protocol.ts';
import type { PackFieldsOf } from '../../core/sealed/envelope-codec.ts';
import type { UnsealingKey } from '../../core/sealed/seal.ts';
import { openSealedEnvelope } from '../../core/sealed/sealed-envelope.ts';
import { assembleSms, parseSmsText, type SmsPart } from '../../core/sms/sms-codec.ts';
import { statusSmsText } from '../../core/sms/status-text.ts';
import type { SmsRecord, SmsStore } from '../repositories/sms-messages.ts';

export interface InboundSms {
  from: string;
  text: string;
  /** The gateway's id for this SMS. */
  id: string;
  receivedAt: string;
}

export type InboundAnswer =
  | { outcome: 'ignored'; reason: 'not_jangkau' }
  | { outcome: 'malformed'; reason: 'malformed_part' | 'mixed_messages' }
  | { outcome: 'stored'; received: number; total: number }
  | { outcome: 'accepted' | 'duplicate'; submissionId: string; reply: string }
  | { outcome: 'refused'; reason: string; reply: string };

export interface SmsInboundDeps {
  store: Pick<SmsStore, 'addParts' | 'partsOf' | 'recordOf' | 'record'>;
  keys: readonly UnsealingKey[];
  /** The field names of a published form version (answers may be packed by them). */
  packFieldsOf: PackFieldsOf;
  /** Push ingestion of one envelope, as the SMS channel's device. */
  push(envelope: SubmissionEnvelope): Promise<ItemResult>;
  now(): Date;
}

/** What the sender is told when their message could not be used. */
export const REFUSED_REPLY =
  'KPU Babel: pesan Jangkau Anda tidak dapat dibaca utuh dan tidak diproses. Silakan kirim ulang dari aplikasi Jangkau.';

function answerFor(record: SmsRecord): InboundAnswer {
  if (record.outcome === 'refused' || record.submissionId === null) {
    return { outcome: 'refused', reason: record.reason ?? 'refused', reply: REFUSED_REPLY };
  }
  return { outcome: record.outcome, submissionId: record.submissionId, reply: statusSmsText(record.submissionId, 'diterima') };
}

async function judge(deps: SmsInboundDeps, parts: readonly SmsPart[]): Promise<SmsRecord> {
  const assembled = await assembleSms(parts);
  if (!assembled.ok) return { outcome: 'refused', reason: assembled.reason, submissionId: null };
  const opened = await openSealedEnvelope(deps.keys, assembled.sealed, deps.packFieldsOf);
  if (!opened.ok) return { outcome: 'refused', reason: opened.reason, submissionId: null };
  const result = await deps.push(opened.envelope);
  if (result.outcome === 'rejected') return { outcome: 'refused', reason: result.reason ?? 'rejected', submissionId: null };
  return { outcome: result.outcome, reason: null, submissionId: result.id };
}

export async function processInboundSms(deps: SmsInboundDeps, sms: InboundSms): Promise<InboundAnswer> {
  const parsed = parseSmsText(sms.text);
  if (!parsed.ok) {
    return parsed.reason === 'not_jangkau' ? { outcome: 'ignored', reason: 'not_jangkau' } : { outcome: 'malformed', reason: 'malformed_part' };
  }
  const messageId = parsed.parts[0]!.messageId;
  if (parsed.parts.some((p) => p.messageId !== messageId)) return { outcome: 'malformed', reason: 'mixed_messages' };

  const done = await deps.store.recordOf(sms.from, messageId);
  if (done) return answerFor(done);

  const at = deps.now().toISOString();
  await deps.store.addParts(sms.from, sms.id, parsed.parts, at);
  const parts = await deps.store.partsOf(sms.from, messageId);
  const total = parsed.parts[0]!.total;
  const distinct = new Set(parts.map((p) => p.index)).size;
  if (parts.every((p) => p.total === total) && distinct < total) return { outcome: 'stored', received: distinct, total };

  // Two deliveries completing one message at once both get here; ingestion keeps the submission
  // once (its id is the key) and the first record stands for both.
  return answerFor(await deps.store.record(sms.from, messageId, await judge(deps, parts), at));
}
