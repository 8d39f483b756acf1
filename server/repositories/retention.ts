// Removing submissions for good: for the retention purge and for a data subject's erasure. One
// function deletes a submission with everything that names it (its change-log rows, device
// links, file references, NIK index rows, SMS rows and the numbers in them), inside the caller's
// transaction; files on disk are the caller's to unlink after the commit, and only those no
// remaining submission refers to. Audit rows are never touched (they hold no personal data and
// are append-only).
import type { Kysely, Transaction } from 'kysely';
import type { ServerStatus } from '../../core/protocol.ts';
import type { Database } from '../db/schema.ts';
import { inChunks } from './chunks.ts';

const CHUNK = 200;

export interface DeletedCounts {
  submissions: number;
  changes: number;
  deviceLinks: number;
  attachmentRefs: number;
  subjectIndexRows: number;
  smsMessages: number;
  smsParts: number;
  smsOutbox: number;
}

export function noDeletions(): DeletedCounts {
  return { submissions: 0, changes: 0, deviceLinks: 0, attachmentRefs: 0, subjectIndexRows: 0, smsMessages: 0, smsParts: 0, smsOutbox: 0 };
}

export function addCounts(a: DeletedCounts, b: DeletedCounts): DeletedCounts {
  const out = { ...a };
  for (const key of Object.keys(b) as (keyof DeletedCounts)[]) out[key] += b[key];
  return out;
}

const affected = (result: { numDeletedRows: bigint }[]): number => result.reduce((n, r) => n + Number(r.numDeletedRows), 0);

export interface Deletion {
  counts: DeletedCounts;
  /** Files (sha256) the deleted submissions referred to and nothing left refers to: unlink them after commit. */
  freedFiles: string[];
}

/** Deletes the submissions `ids` and every row that names them. */
export async function deleteSubmissions(trx: Transaction<Database>, ids: readonly string[]): Promise<Deletion> {
  let counts = noDeletions();
  const touchedFiles = new Set<string>();
  for (const chunk of inChunks([...new Set(ids)], CHUNK)) {
    const refs = await trx.selectFrom('submission_attachments').select('sha256').where('submission_id', 'in', chunk).execute();
    const answers = await trx.selectFrom('submissions').select('answer_document').where('id', 'in', chunk).where('answer_document', 'is not', null).execute();
    for (const r of refs) touchedFiles.add(r.sha256);
    for (const r of answers) if (r.answer_document) touchedFiles.add(r.answer_document);

    // The SMS that carried a submission name its sender; its parts hold the same number and text.
    const messages = await trx.selectFrom('sms_messages').select(['sender', 'message_id']).where('submission_id', 'in', chunk).execute();
    let smsParts = 0;
    for (const m of messages) {
      smsParts += affected(await trx.deleteFrom('sms_parts').where('sender', '=', m.sender).where('message_id', '=', m.message_id).execute());
    }
    // Earlier versions and the office's notes go with the request (not counted apart: they are the request's).
    await trx.deleteFrom('submission_versions').where('submission_id', 'in', chunk).execute();
    await trx.deleteFrom('request_notes').where('submission_id', 'in', chunk).execute();
    // So do the name index's rows (migration 065), uncounted like them.
    await trx.deleteFrom('submission_names').where('submission_id', 'in', chunk).execute();
    counts = addCounts(counts, {
      ...noDeletions(),
      smsParts,
      smsMessages: affected(await trx.deleteFrom('sms_messages').where('submission_id', 'in', chunk).execute()),
      smsOutbox: affected(await trx.deleteFrom('sms_outbox').where('submission_id', 'in', chunk).execute()),
      changes: affected(await trx.deleteFrom('changes').where('submission_id', 'in', chunk).execute()),
      deviceLinks: affected(await trx.deleteFrom('submission_devices').where('submission_id', 'in', chunk).execute()),
      attachmentRefs: affected(await trx.deleteFrom('submission_attachments').where('submission_id', 'in', chunk).execute()),
      subjectIndexRows: affected(await trx.deleteFrom('submission_subjects').where('submission_id', 'in', chunk).execute()),
      submissions: affected(await trx.deleteFrom('submissions').where('id', 'in', chunk).execute()),
    });
  }
  const freedFiles: string[] = [];
  for (const sha of touchedFiles) {
    const stillRef = await trx.selectFrom('submission_attachments').select('sha256').where('sha256', '=', sha).limit(1).executeTakeFirst();
    const stillAnswer = await trx.selectFrom('submissions').select('id').where('answer_document', '=', sha).limit(1).executeTakeFirst();
    if (stillRef || stillAnswer) continue;
    await trx.deleteFrom('attachment_arrivals').where('sha256', '=', sha).execute();
    freedFiles.push(sha);
  }
  return { counts, freedFiles };
}

/** A submission the purge may remove: past its form's retention. */
export interface PurgeCandidate {
  id: string;
  formId: string;
  status: ServerStatus;
  receivedAt: string;
}

/** Submissions of one form version received before `cutoff`, oldest first, one page. */
export async function submissionsBefore(
  db: Kysely<Database>,
  formId: string,
  version: number,
  cutoff: string,
  limit: number,
  afterId = '',
): Promise<PurgeCandidate[]> {
  const rows = await db
    .selectFrom('submissions')
    .select(['id', 'form_id', 'status', 'received_at'])
    .where('form_id', '=', formId)
    .where('form_version', '=', version)
    .where('received_at', '<', cutoff)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, formId: r.form_id, status: r.status, receivedAt: r.received_at }));
}

/** SMS kept without a submission (refused or never completed) received before `cutoff`: their numbers go too. */
export async function deleteLooseSms(trx: Transaction<Database>, cutoff: string): Promise<{ smsMessages: number; smsParts: number }> {
  const smsParts = affected(
    await trx
      .deleteFrom('sms_parts')
      .where('received_at', '<', cutoff)
      .execute(),
  );
  const smsMessages = affected(await trx.deleteFrom('sms_messages').where('submission_id', 'is', null).where('completed_at', '<', cutoff).execute());
  return { smsMessages, smsParts };
}

/** Months (YYYY-MM of received_at) of one form that still hold a submission, among `months`. */
export async function monthsStillHeld(db: Kysely<Database>, formId: string, months: readonly string[]): Promise<Set<string>> {
  const held = new Set<string>();
  for (const month of months) {
    const next = nextMonth(month);
    const row = await db
      .selectFrom('submissions')
      .select('id')
      .where('form_id', '=', formId)
      .where('received_at', '>=', `${month}-01`)
      .where('received_at', '<', `${next}-01`)
      .limit(1)
      .executeTakeFirst();
    if (row) held.add(month);
  }
  return held;
}

function nextMonth(month: string): string {
  const [y = 0, m = 0] = month.split('-').map(Number);
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
}
