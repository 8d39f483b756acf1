// The office's own records on a request (migration 030): internal notes, sealed at rest and never
// sent to a device, and the staff member a request is assigned to. Every query is limited to the
// caller's region scope in SQL; every write is audited in its own transaction.
import type { Kysely } from 'kysely';
import type { ServerStatus } from '../../core/protocol.ts';
import type { DataKeys } from '../crypto/data-keys.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { ulid } from '../../core/ids.ts';
import { appendAudit, type AuditInput } from './audit-log.ts';
import { inRegion } from './status.ts';

type Actor = Pick<AuditInput, 'actorId' | 'actorRole'>;

export interface RequestFacts {
  id: string;
  formId: string;
  formVersion: number;
  regionCode: string;
  status: ServerStatus;
  revision: number;
  dueOn: string | null;
  statusAt: string;
  receivedAt: string;
}

/** A real (not practice) request's facts, if it lies in `scope` (or anywhere when scope is undefined). */
export async function requestFacts(db: Kysely<Database>, id: string, scope?: string): Promise<RequestFacts | undefined> {
  const r = await db
    .selectFrom('submissions')
    .select(['id', 'form_id', 'form_version', 'region_code', 'status', 'revision', 'due_on', 'status_at', 'received_at'])
    .where('id', '=', id)
    .where('practice', '=', 0)
    .$if(scope !== undefined, (q) => q.where((eb) => inRegion(eb, scope ?? '')))
    .executeTakeFirst();
  return (
    r && {
      id: r.id,
      formId: r.form_id,
      formVersion: Number(r.form_version),
      regionCode: r.region_code,
      status: r.status,
      revision: Number(r.revision),
      dueOn: r.due_on,
      statusAt: r.status_at,
      receivedAt: r.received_at,
    }
  );
}

/** Associated data: a note's ciphertext opens only as that note of that request. */
function noteAad(submissionId: string, noteId: string): string {
  return `request_notes.body:${submissionId}:${noteId}`;
}

export interface RequestNote {
  id: string;
  accountId: string;
  author: string | null;
  text: string;
  at: string;
}

export async function addNote(
  db: Kysely<Database>,
  dialect: DialectName,
  keys: DataKeys,
  /** `scope`: the request's own data-key scope, so shredding its month's key shreds its notes too. */
  n: { submissionId: string; regionCode: string; scope: string; accountId: string; text: string; at: string; audit: Actor },
): Promise<string> {
  const id = ulid();
  // Sealed before the transaction: a key lookup inside it would wait on SQLite's one connection.
  const body = await keys.encryptField(n.scope, n.text, noteAad(n.submissionId, id));
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('request_notes').values({ id, submission_id: n.submissionId, account_id: n.accountId, body, at: n.at }).execute();
    await appendAudit(trx, dialect, { ...n.audit, action: 'submission.note', subject: n.submissionId, regionCode: n.regionCode, detail: { note: id }, at: n.at });
  });
  return id;
}

/** A request's notes, oldest first, opened (the caller's read of the request is audited). */
export async function listNotes(db: Kysely<Database>, keys: DataKeys, submissionId: string): Promise<RequestNote[]> {
  const rows = await db
    .selectFrom('request_notes as n')
    .leftJoin('accounts as a', 'a.id', 'n.account_id')
    .select(['n.id', 'n.account_id', 'n.body', 'n.at', 'a.display_name'])
    .where('n.submission_id', '=', submissionId)
    .orderBy('n.at')
    .orderBy('n.id')
    .execute();
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      accountId: r.account_id,
      author: r.display_name ?? null,
      text: await keys.decryptField(r.body, noteAad(submissionId, r.id)),
      at: r.at,
    })),
  );
}

export interface Assignee {
  id: string;
  role: string;
  scope: string;
  displayName: string;
}

/** An active account, by id. */
export async function findAssignee(db: Kysely<Database>, accountId: string): Promise<Assignee | undefined> {
  const r = await db
    .selectFrom('accounts')
    .select(['id', 'role', 'scope', 'display_name'])
    .where('id', '=', accountId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return r && { id: r.id, role: r.role, scope: r.scope, displayName: r.display_name };
}

/** Sets (or clears, with null) who is in charge of a request; audited. */
export async function assignRequest(
  db: Kysely<Database>,
  dialect: DialectName,
  a: { submissionId: string; regionCode: string; accountId: string | null; at: string; audit: Actor },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('submissions')
      .set({ assigned_to: a.accountId, assigned_at: a.accountId === null ? null : a.at })
      .where('id', '=', a.submissionId)
      .execute();
    await appendAudit(trx, dialect, {
      ...a.audit,
      action: 'submission.assign',
      subject: a.submissionId,
      regionCode: a.regionCode,
      detail: { to: a.accountId },
      at: a.at,
    });
  });
}

/** Who a request is assigned to (id and name), if anyone. */
export async function assignedTo(db: Kysely<Database>, submissionId: string): Promise<{ id: string; name: string | null } | null> {
  const r = await db
    .selectFrom('submissions as s')
    .leftJoin('accounts as a', 'a.id', 's.assigned_to')
    .select(['s.assigned_to', 'a.display_name'])
    .where('s.id', '=', submissionId)
    .executeTakeFirst();
  return r?.assigned_to ? { id: r.assigned_to, name: r.display_name ?? null } : null;
}

/** The revisions a request went through (0: as first filed), oldest first; without their answers. */
export async function listRevisions(db: Kysely<Database>, submissionId: string): Promise<{ revision: number; receivedAt: string; fields: string[] }[]> {
  const rows = await db
    .selectFrom('submission_versions')
    .select(['revision', 'received_at', 'fields'])
    .where('submission_id', '=', submissionId)
    .orderBy('revision')
    .execute();
  return rows.map((r) => ({ revision: Number(r.revision), receivedAt: r.received_at, fields: r.fields ? (JSON.parse(r.fields) as string[]) : [] }));
}
