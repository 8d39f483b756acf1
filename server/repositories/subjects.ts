// The NIK blind index (migration 016): which submissions hold a given data subject's NIK. Only
// keyed HMACs are stored here (server/crypto/subject-index.ts), never a NIK.
import type { Kysely, Transaction } from 'kysely';
import type { ServerStatus } from '../../core/protocol.ts';
import type { Database } from '../db/schema.ts';
import { inChunks } from './chunks.ts';
import { inRegion } from './status.ts';

const ROWS_PER_INSERT = 200;

export interface SubjectRow {
  nikIndex: string;
  submissionId: string;
}

export async function recordSubjects(trx: Transaction<Database> | Kysely<Database>, rows: readonly SubjectRow[]): Promise<void> {
  for (const chunk of inChunks(rows, ROWS_PER_INSERT)) {
    await trx
      .insertInto('submission_subjects')
      .values(chunk.map((r) => ({ nik_index: r.nikIndex, submission_id: r.submissionId })))
      .onConflict((oc) => oc.columns(['nik_index', 'submission_id']).doNothing())
      .execute();
  }
}

/** Which submissions' names hold a word (migration 065): its keyed index, never the word. */
export interface NameWordRow {
  wordIndex: string;
  submissionId: string;
}

export async function recordNames(trx: Transaction<Database> | Kysely<Database>, rows: readonly NameWordRow[]): Promise<void> {
  for (const chunk of inChunks(rows, ROWS_PER_INSERT)) {
    await trx
      .insertInto('submission_names')
      .values(chunk.map((r) => ({ word_index: r.wordIndex, submission_id: r.submissionId })))
      .onConflict((oc) => oc.columns(['word_index', 'submission_id']).doNothing())
      .execute();
  }
}

/** A submission holding the subject's NIK, as the export and erasure read it. */
export interface SubjectSubmission {
  id: string;
  formId: string;
  formVersion: number;
  createdAt: string;
  receivedAt: string;
  status: ServerStatus;
  statusAt: string;
  answer: string | null;
  regionCode: string;
  practice: boolean;
  payloadJson: string;
}

/** The subject's submissions inside `scope` (a region code), oldest first. */
export async function submissionsOfSubject(db: Kysely<Database> | Transaction<Database>, nikIndex: string, scope: string): Promise<SubjectSubmission[]> {
  const rows = await db
    .selectFrom('submissions')
    .innerJoin('submission_subjects', 'submission_subjects.submission_id', 'submissions.id')
    .select([
      'submissions.id',
      'submissions.form_id',
      'submissions.form_version',
      'submissions.created_at',
      'submissions.received_at',
      'submissions.status',
      'submissions.status_at',
      'submissions.answer',
      'submissions.region_code',
      'submissions.practice',
      'submissions.payload_json',
    ])
    .where('submission_subjects.nik_index', '=', nikIndex)
    .where((eb) => inRegion(eb, scope))
    .orderBy('submissions.received_at')
    .orderBy('submissions.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    formId: r.form_id,
    formVersion: r.form_version,
    createdAt: r.created_at,
    receivedAt: r.received_at,
    status: r.status,
    statusAt: r.status_at,
    answer: r.answer,
    regionCode: r.region_code,
    practice: Number(r.practice) === 1,
    payloadJson: r.payload_json,
  }));
}

/** The subjects' indexes of some submissions, for the purge's keberatan check. */
export async function subjectsOf(db: Kysely<Database>, submissionIds: readonly string[]): Promise<SubjectRow[]> {
  const out: SubjectRow[] = [];
  for (const chunk of inChunks([...submissionIds], ROWS_PER_INSERT)) {
    const rows = await db.selectFrom('submission_subjects').select(['nik_index', 'submission_id']).where('submission_id', 'in', chunk).execute();
    for (const r of rows) out.push({ nikIndex: r.nik_index, submissionId: r.submission_id });
  }
  return out;
}

/** The subjects (indexes) holding a keberatan that is not yet final, anywhere. */
export async function subjectsWithOpenKeberatan(db: Kysely<Database>, keberatanForm: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('submission_subjects')
    .innerJoin('submissions', 'submissions.id', 'submission_subjects.submission_id')
    .select('submission_subjects.nik_index')
    .where('submissions.form_id', '=', keberatanForm)
    .where('submissions.status', 'not in', ['selesai', 'ditolak'])
    .distinct()
    .execute();
  return new Set(rows.map((r) => r.nik_index));
}

/** Replaces one submission's index rows (after a correction changed a NIK). */
export async function replaceSubjects(trx: Transaction<Database>, submissionId: string, nikIndexes: readonly string[]): Promise<void> {
  await trx.deleteFrom('submission_subjects').where('submission_id', '=', submissionId).execute();
  await recordSubjects(trx, nikIndexes.map((nikIndex) => ({ nikIndex, submissionId })));
}

/** One page of stored submissions for the one-off index of those stored before migration 016. */
export async function submissionsAfter(
  db: Kysely<Database>,
  afterId: string,
  limit: number,
): Promise<{ id: string; formId: string; formVersion: number; payloadJson: string }[]> {
  const rows = await db
    .selectFrom('submissions')
    .select(['id', 'form_id', 'form_version', 'payload_json'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, formId: r.form_id, formVersion: r.form_version, payloadJson: r.payload_json }));
}

export async function readMeta(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('server_meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function writeMeta(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db
    .insertInto('server_meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}
