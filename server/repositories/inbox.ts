// The review inbox's reads and the one-time extension of a due date. Every query is limited to a
// region scope in SQL, so a request outside an officer's region is indistinguishable from one
// that does not exist. Reading one request opens personal data (audited in the same transaction);
// a list opens it only when asked for summaries (audited once per page, in the same transaction).
import { sql, type Kysely } from 'kysely';
import type { InboxEntry } from '../../core/inbox.ts';
import { parseDetail, type StatusDetail } from '../../core/office/status-detail.ts';
import type { ServerStatus } from '../../core/protocol.ts';
import type { Database, DialectName } from '../db/schema.ts';
import type { DataKeys } from '../crypto/data-keys.ts';
import { openPayload } from './submission-fields.ts';
import { appendAudit, type AuditInput } from './audit-log.ts';
import { inRegion } from './status.ts';

export interface InboxFilter {
  scope: string;
  status?: ServerStatus;
  formId?: string;
  /** Only open requests whose due date is before `today`. */
  overdue?: boolean;
  /** Only open requests due on or before this WIB date (the overdue included). */
  dueBy?: string;
  /** received (default): newest received first; due: soonest due first, no due date last. */
  sort?: 'received' | 'due';
  /** A region inside `scope` to narrow to. */
  region?: string;
  /** UTC bounds of the receipt time: from ≤ received_at < to. */
  receivedFrom?: string;
  receivedTo?: string;
  /** Only requests assigned to this account, or (`none`) to nobody. */
  assigned?: { to: string } | 'none';
  /**
   * One request by its id (a receipt number), the requests holding a NIK (by its blind index), or
   * those whose names hold every one of some words (by the words' blind indexes, migration 065).
   */
  match?: { id: string } | { nikIndex: string } | { nameWords: readonly string[] };
  /** WIB date 'YYYY-MM-DD'. */
  today: string;
  limit: number;
  offset: number;
}

const OPEN: readonly ServerStatus[] = ['diterima', 'diproses'];

const ITEM_COLUMNS = [
  'id',
  'form_id',
  'form_version',
  'region_code',
  'status',
  'received_at',
  'status_at',
  'due_on',
  'extended_at',
  'account_id',
] as const;

type ItemRow = {
  id: string;
  form_id: string;
  form_version: number;
  region_code: string;
  status: ServerStatus;
  received_at: string;
  status_at: string;
  due_on: string | null;
  extended_at: string | null;
  account_id: string | null;
};

function toItem(r: ItemRow, today: string): InboxEntry {
  return {
    id: r.id,
    formId: r.form_id,
    formVersion: Number(r.form_version),
    regionCode: r.region_code,
    status: r.status,
    receivedAt: r.received_at,
    statusAt: r.status_at,
    dueOn: r.due_on,
    extended: r.extended_at !== null,
    overdue: r.due_on !== null && r.due_on < today && OPEN.includes(r.status),
    fromOfficer: r.account_id !== null,
  };
}

/** A listed request with its sealed answers, for a caller that shows summaries. */
export type SealedEntry = InboxEntry & { payload: string };

/** Requests in scope, newest received first (or soonest due first); one page. */
export async function listInbox(db: Kysely<Database>, f: InboxFilter): Promise<{ items: InboxEntry[]; more: boolean }> {
  const page = await listPage(db, f, false);
  return { items: page.rows.map((r) => toItem(r, f.today)), more: page.more };
}

/**
 * The same page with each request's sealed answers, for summaries (subject, requester). The read is
 * audited once for the page — who, when, which requests — in the same transaction as the read.
 */
export async function listInboxSealed(
  db: Kysely<Database>,
  dialect: DialectName,
  f: InboxFilter,
  audit: Pick<AuditInput, 'actorId' | 'actorRole'>,
): Promise<{ items: SealedEntry[]; more: boolean }> {
  return db.transaction().execute(async (trx) => {
    const page = await listPage(trx, f, true);
    if (page.rows.length > 0) {
      await appendAudit(trx, dialect, {
        ...audit,
        action: 'submission.list',
        subject: f.scope,
        regionCode: f.scope,
        detail: { count: page.rows.length, ids: page.rows.map((r) => r.id).join(',') },
      });
    }
    return { items: page.rows.map((r) => ({ ...toItem(r, f.today), payload: r.payload_json ?? '' })), more: page.more };
  });
}

async function listPage(db: Kysely<Database>, f: InboxFilter, sealed: boolean): Promise<{ rows: (ItemRow & { payload_json?: string })[]; more: boolean }> {
  let q = db
    .selectFrom('submissions')
    .select(sealed ? [...ITEM_COLUMNS, 'payload_json'] : ITEM_COLUMNS)
    .where('practice', '=', 0)
    .where((eb) => inRegion(eb, f.scope));
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.formId !== undefined) q = q.where('form_id', '=', f.formId);
  if (f.region !== undefined) {
    const region = f.region;
    q = q.where((eb) => inRegion(eb, region));
  }
  if (f.receivedFrom !== undefined) q = q.where('received_at', '>=', f.receivedFrom);
  if (f.receivedTo !== undefined) q = q.where('received_at', '<', f.receivedTo);
  if (f.match && 'id' in f.match) q = q.where('id', '=', f.match.id);
  if (f.match && 'nikIndex' in f.match) {
    const nikIndex = f.match.nikIndex;
    q = q.where('id', 'in', (eb) => eb.selectFrom('submission_subjects').select('submission_id').where('nik_index', '=', nikIndex));
  }
  if (f.match && 'nameWords' in f.match && f.match.nameWords.length > 0) {
    const words = [...new Set(f.match.nameWords)];
    q = q.where('id', 'in', (eb) =>
      eb
        .selectFrom('submission_names')
        .select('submission_id')
        .where('word_index', 'in', words)
        .groupBy('submission_id')
        .having((h) => h.fn.countAll(), '=', words.length),
    );
  }
  if (f.assigned === 'none') q = q.where('assigned_to', 'is', null);
  else if (f.assigned !== undefined) q = q.where('assigned_to', '=', f.assigned.to);
  if (f.overdue) q = q.where('status', 'in', OPEN).where('due_on', 'is not', null).where('due_on', '<', f.today);
  if (f.dueBy !== undefined) q = q.where('status', 'in', OPEN).where('due_on', 'is not', null).where('due_on', '<=', f.dueBy);
  if (f.sort === 'due') q = q.orderBy(sql`case when due_on is null then 1 else 0 end`).orderBy('due_on', 'asc');
  const rows = (await q
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .offset(f.offset)
    .execute()) as (ItemRow & { payload_json?: string })[];
  return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
}

/**
 * One request with its personal data, if it lies in `scope`; the read is written to the audit
 * log in the same transaction, so no read goes unrecorded.
 */
export async function readRequest(
  db: Kysely<Database>,
  dialect: DialectName,
  keys: DataKeys,
  id: string,
  scope: string,
  today: string,
  audit: Pick<AuditInput, 'actorId' | 'actorRole'>,
): Promise<
  (InboxEntry & StatusDetail & { createdAt: string; data: Record<string, unknown>; answer: string | null; answerDocument: string | null }) | undefined
> {
  const found = await db.transaction().execute(async (trx) => {
    const r = await trx
      .selectFrom('submissions')
      .select([...ITEM_COLUMNS, 'created_at', 'payload_json', 'answer', 'answer_document', 'status_detail', 'revision'])
      .where('id', '=', id)
      .where('practice', '=', 0)
      .where((eb) => inRegion(eb, scope))
      .executeTakeFirst();
    if (!r) return undefined;
    await appendAudit(trx, dialect, { ...audit, action: 'submission.read', subject: id, regionCode: r.region_code });
    return r;
  });
  if (!found) return undefined;
  // Opened after the commit: a key lookup inside the transaction would wait on SQLite's one connection.
  return {
    ...toItem(found, today),
    createdAt: found.created_at,
    data: await openPayload(keys, found.id, found.payload_json),
    answer: found.answer,
    answerDocument: found.answer_document,
    // The status's details (a return's fields, a refusal's ground); `revision` is the request's own.
    ...parseDetail(found.status_detail),
    revision: Number(found.revision),
  };
}

/** The facts an extension needs: the form, the receipt time, whether it is open or extended. */
export async function findForExtension(
  db: Kysely<Database>,
  id: string,
  scope: string,
): Promise<{ formId: string; formVersion: number; receivedAt: string; status: ServerStatus; extended: boolean } | undefined> {
  const r = await db
    .selectFrom('submissions')
    .select(['form_id', 'form_version', 'received_at', 'status', 'extended_at'])
    .where('id', '=', id)
    .where('practice', '=', 0)
    .where((eb) => inRegion(eb, scope))
    .executeTakeFirst();
  return (
    r && { formId: r.form_id, formVersion: Number(r.form_version), receivedAt: r.received_at, status: r.status, extended: r.extended_at !== null }
  );
}

/** Extends once: false when it was already extended or is no longer open (a racing officer). */
export async function extendDueDate(
  db: Kysely<Database>,
  dialect: DialectName,
  e: { id: string; dueOn: string; now: string; audit: Pick<AuditInput, 'actorId' | 'actorRole'> },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('submissions')
      .set({ due_on: e.dueOn, extended_at: e.now })
      .where('id', '=', e.id)
      .where('extended_at', 'is', null)
      .where('status', 'in', OPEN)
      .returning('region_code')
      .execute();
    const row = rows[0];
    if (!row) return false;
    await appendAudit(trx, dialect, {
      ...e.audit,
      action: 'submission.extend',
      subject: e.id,
      regionCode: row.region_code,
      detail: { dueOn: e.dueOn },
      at: e.now,
    });
    return true;
  });
}
