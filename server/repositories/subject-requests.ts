// Data subjects' requests (migration 016) and the extra rows an export of their records shows.
import type { Kysely, Transaction } from 'kysely';
import type { SubjectRequestKind, SubjectRequestView } from '../../core/privacy/subject-request.ts';
import type { Database } from '../db/schema.ts';
import type { SmsNumbers } from '../crypto/sms-numbers.ts';
import { inChunks } from './chunks.ts';

/** One request as the API shows it (core/privacy/subject-request.ts). */
export type SubjectRequestRow = SubjectRequestView;

type Row = Database['subject_requests'];

function toRow(r: Row): SubjectRequestRow & { nikIndex: string } {
  return {
    id: r.id,
    kind: r.kind as SubjectRequestKind,
    regionCode: r.region_code,
    receivedAt: r.received_at,
    dueAt: r.due_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    answeredAt: r.answered_at,
    outcome: r.outcome,
    nikIndex: r.nik_index,
  };
}

export async function createSubjectRequest(trx: Transaction<Database>, row: SubjectRequestRow, nikIndex: string): Promise<void> {
  await trx
    .insertInto('subject_requests')
    .values({
      id: row.id,
      kind: row.kind,
      nik_index: nikIndex,
      region_code: row.regionCode,
      received_at: row.receivedAt,
      due_at: row.dueAt,
      created_at: row.createdAt,
      created_by: row.createdBy,
      answered_at: row.answeredAt,
      outcome: row.outcome,
    })
    .execute();
}

export async function findSubjectRequest(db: Kysely<Database>, id: string): Promise<(SubjectRequestRow & { nikIndex: string }) | undefined> {
  const row = await db.selectFrom('subject_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** Requests made to offices inside `scope`: open ones first (soonest due), then answered ones, newest first. */
export async function listSubjectRequests(db: Kysely<Database>, scope: string, open: boolean, limit: number): Promise<SubjectRequestRow[]> {
  let q = db
    .selectFrom('subject_requests')
    .selectAll()
    .where((eb) => eb.or([eb('region_code', '=', scope), eb('region_code', 'like', `${scope}.%`)]));
  q = open ? q.where('answered_at', 'is', null).orderBy('due_at') : q.orderBy('received_at', 'desc');
  const rows = await q.orderBy('id').limit(limit).execute();
  return rows.map((r) => {
    const { nikIndex: _index, ...row } = toRow(r);
    return row;
  });
}

export async function markAnswered(trx: Transaction<Database>, id: string, at: string, outcome: string): Promise<void> {
  await trx.updateTable('subject_requests').set({ answered_at: at, outcome }).where('id', '=', id).execute();
}

export interface SubmissionExtras {
  attachments: { field: string; sha256: string; type: string; size: number }[];
  history: { status: string; answer: string | null; at: string }[];
  sms: { sender: string; receivedAt: string }[];
}

/** Files, status history and SMS senders of each submission, for the subject's export. */
export async function subjectExtras(db: Kysely<Database>, numbers: Pick<SmsNumbers, 'open'>, ids: readonly string[]): Promise<Map<string, SubmissionExtras>> {
  const out = new Map<string, SubmissionExtras>(ids.map((id) => [id, { attachments: [], history: [], sms: [] }]));
  for (const chunk of inChunks([...ids], 200)) {
    const files = await db
      .selectFrom('submission_attachments')
      .select(['submission_id', 'field', 'sha256', 'type', 'size'])
      .where('submission_id', 'in', chunk)
      .orderBy('submission_id')
      .orderBy('field')
      .execute();
    for (const f of files) out.get(f.submission_id)?.attachments.push({ field: f.field, sha256: f.sha256, type: f.type, size: Number(f.size) });
    const changes = await db
      .selectFrom('changes')
      .select(['submission_id', 'status', 'answer', 'at'])
      .where('submission_id', 'in', chunk)
      .orderBy('seq')
      .execute();
    for (const c of changes) out.get(c.submission_id)?.history.push({ status: c.status, answer: c.answer, at: c.at });
    const sms = await db.selectFrom('sms_messages').select(['submission_id', 'sender', 'sender_sealed', 'completed_at']).where('submission_id', 'in', chunk).execute();
    for (const m of sms) {
      if (m.submission_id) out.get(m.submission_id)?.sms.push({ sender: await numbers.open(m.sender, m.sender_sealed), receivedAt: m.completed_at });
    }
  }
  return out;
}
