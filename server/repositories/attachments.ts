// Which files each submission refers to, which files arrived, and so which submissions are
// complete. Complete is derived (every referenced sha256 has an arrival), never stored, so data
// and files may arrive in either order and a file shared by two submissions completes both.
// A completion that replaces a file (a returned photo field) keeps the earlier file named by the
// request under a kept key, `bukti@0` (the field as of revision 0): it stays with the history (the
// kept version's answers name it), a device may still upload it, and no sweep deletes it; only the
// current keys (no `@`) count for completeness.
import type { Kysely, Transaction } from 'kysely';
import type { RequestFileView } from '../../core/inbox.ts';
import type { Database } from '../db/schema.ts';
import { inChunks } from './chunks.ts';

/** A file field of a submission, as the push recorded it from the form definition. */
export interface SubmissionFile {
  field: string;
  sha256: string;
  type: string;
  size: number;
}

export interface AttachmentProgress {
  /** File fields the submission has (a file in two fields counts twice). */
  files: number;
  /** Of those, how many have arrived complete and verified. */
  arrived: number;
  /** True when every file arrived; a submission without files is complete at once. */
  complete: boolean;
}

const ROWS_PER_INSERT = 200;

/** The key a replaced file is kept under: the field's path as of `revision`. */
export function keptFileKey(path: string, revision: number): string {
  return `${path}@${revision}`;
}

/** A current key ('bukti', 'anggota[1].pasFoto'), or a kept one with the revision it belongs to. */
export function parseFileKey(key: string): { path: string; revision?: number } {
  const at = key.lastIndexOf('@');
  return at < 0 ? { path: key } : { path: key.slice(0, at), revision: Number(key.slice(at + 1)) };
}

/** A kept key (LIKE pattern): such a file (a field's earlier answer) counts for no completeness. */
const KEPT_KEY = '%@%';

/** Inside the push's transaction: the file fields of newly stored submissions. */
export async function recordSubmissionFiles(trx: Transaction<Database>, rows: readonly { submissionId: string; files: readonly SubmissionFile[] }[]): Promise<void> {
  const values = rows.flatMap(({ submissionId, files }) =>
    files.map((f) => ({ submission_id: submissionId, field: f.field, sha256: f.sha256, type: f.type, size: f.size })),
  );
  for (const chunk of inChunks(values, ROWS_PER_INSERT)) {
    await trx
      .insertInto('submission_attachments')
      .values(chunk)
      .onConflict((oc) => oc.columns(['submission_id', 'field']).doNothing())
      .execute();
  }
}

/**
 * Inside a completion's transaction, before its own files are recorded: the files that the
 * top-level `fields` (and the entries of repeat groups among them) named up to `revision` move to
 * their kept keys, so the request still names them (with the version that held them) and the
 * completion's files take the current keys.
 */
export async function keepReplacedFiles(trx: Transaction<Database>, submissionId: string, fields: readonly string[], revision: number): Promise<void> {
  if (fields.length === 0) return;
  const rows = await trx.selectFrom('submission_attachments').select('field').where('submission_id', '=', submissionId).where('field', 'not like', KEPT_KEY).execute();
  const named = new Set(fields);
  for (const { field } of rows) {
    const top = /^[^[.]+/.exec(field)?.[0] ?? field;
    if (!named.has(top)) continue;
    await trx
      .updateTable('submission_attachments')
      .set({ field: keptFileKey(field, revision) })
      .where('submission_id', '=', submissionId)
      .where('field', '=', field)
      .execute();
  }
}

/** The files of one request: the current ones by field, then the kept ones, newest revision first. */
export async function requestFiles(db: Kysely<Database>, submissionId: string): Promise<RequestFileView[]> {
  const rows = await db
    .selectFrom('submission_attachments as sa')
    .leftJoin('attachment_arrivals as a', 'a.sha256', 'sa.sha256')
    .select(['sa.field', 'sa.sha256', 'sa.type', 'sa.size', 'a.sha256 as arrived'])
    .where('sa.submission_id', '=', submissionId)
    .execute();
  const files = rows.map((r): RequestFileView => {
    const { path, revision } = parseFileKey(r.field);
    return { field: path, sha256: r.sha256, type: r.type, size: Number(r.size), arrived: r.arrived !== null, ...(revision !== undefined ? { revision } : {}) };
  });
  const order = (f: RequestFileView) => (f.revision === undefined ? Number.MAX_SAFE_INTEGER : f.revision);
  return files.sort((a, b) => order(b) - order(a) || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
}

/**
 * Records that a file arrived complete and passed the type and sha256 checks. Idempotent: the
 * first arrival's time stays. Files no submission refers to yet are recorded too (their
 * submission's data may still be on its way, rare as that is with data first).
 */
export async function markAttachmentArrived(db: Kysely<Database>, file: { sha256: string; type: string; size: number }, at: string): Promise<void> {
  await db
    .insertInto('attachment_arrivals')
    .values({ sha256: file.sha256, type: file.type, size: file.size, arrived_at: at })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

/**
 * Whether a stored submission this device is linked to (it pushed it, or holds its secret and
 * pushed it again: a resident whose request was carried by QR or SMS) names the file, at this size. Only such a
 * file may be uploaded by the device: the upload store holds evidence, not whatever is sent.
 */
export async function deviceNamesFile(db: Kysely<Database>, deviceId: string, file: { sha256: string; size: number }): Promise<boolean> {
  const row = await db
    .selectFrom('submission_attachments as sa')
    .innerJoin('submission_devices as sd', 'sd.submission_id', 'sa.submission_id')
    .select('sa.sha256')
    .where('sa.sha256', '=', file.sha256)
    .where('sa.size', '=', file.size)
    .where('sd.device_id', '=', deviceId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether any stored submission names the file. */
export async function fileIsNamed(db: Kysely<Database>, sha256: string): Promise<boolean> {
  const row = await db.selectFrom('submission_attachments').select('sha256').where('sha256', '=', sha256).limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Forgets the arrival of a file no submission names, in one statement so a push naming it at the
 * same moment either keeps it or finds it gone (and its phone uploads it again). True when the
 * file may be deleted.
 */
export async function forgetUnnamedArrival(db: Kysely<Database>, sha256: string): Promise<boolean> {
  await db
    .deleteFrom('attachment_arrivals')
    .where('sha256', '=', sha256)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('submission_attachments').select('sha256').where('sha256', '=', sha256))))
    .execute();
  return !(await fileIsNamed(db, sha256));
}

/** Progress per submission id; ids without file fields are complete with 0 of 0. */
export async function attachmentProgress(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, AttachmentProgress>> {
  const out = new Map<string, AttachmentProgress>(ids.map((id) => [id, { files: 0, arrived: 0, complete: true }]));
  for (const chunk of inChunks([...new Set(ids)], ROWS_PER_INSERT)) {
    const rows = await db
      .selectFrom('submission_attachments as sa')
      .leftJoin('attachment_arrivals as a', 'a.sha256', 'sa.sha256')
      .select(['sa.submission_id', 'a.sha256 as arrived'])
      .where('sa.submission_id', 'in', chunk)
      .where('sa.field', 'not like', KEPT_KEY)
      .execute();
    for (const r of rows) {
      const p = out.get(r.submission_id);
      if (!p) continue;
      p.files++;
      if (r.arrived !== null) p.arrived++;
      p.complete = p.arrived === p.files;
    }
  }
  return out;
}

/** Ids of submissions still waiting for at least one file, oldest first (for the inbox's filter). */
export async function submissionsAwaitingFiles(db: Kysely<Database>, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('submission_attachments as sa')
    .innerJoin('submissions as s', 's.id', 'sa.submission_id')
    .leftJoin('attachment_arrivals as a', 'a.sha256', 'sa.sha256')
    .where('a.sha256', 'is', null)
    .where('sa.field', 'not like', KEPT_KEY)
    .select(['s.id', 's.received_at'])
    .distinct()
    .orderBy('s.received_at')
    .orderBy('s.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
