// A data subject's request (UU 27/2022) as staff handle it: record it with its received time and
// 3×24 h due time, then export everything held about the NIK, correct a field, or erase what the
// law allows (core/privacy/legal-hold.ts). Records are found through the NIK's keyed blind index
// and only inside the request's region, which must lie in the acting officer's scope. Every act
// is audited by request id and counts, never by NIK or answer.
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { covers } from '../../core/auth/scope.ts';
import { TEXT_VALUED, type FormDef } from '../../core/forms/definition.ts';
import { fullContext } from '../../core/forms/full-context.ts';
import { validateForm } from '../../core/forms/validate.ts';
import { canonicalJson } from '../../core/hash.ts';
import { formatReceipt, ulid } from '../../core/ids.ts';
import { hasOpenKeberatan, holdsOn, type HoldId } from '../../core/privacy/legal-hold.ts';
import { retentionDays } from '../../core/privacy/retention.ts';
import { namesIn, niksIn, subjectRequestDueAt, type SubjectRequestKind } from '../../core/privacy/subject-request.ts';
import type { SubjectIndex } from '../crypto/subject-index.ts';
import type { PayloadCodec } from './payload-codec.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { appendAudit } from '../repositories/audit-log.ts';
import { formKey, type FormCatalog } from '../repositories/forms.ts';
import { deleteSubmissions } from '../repositories/retention.ts';
import {
  createSubjectRequest,
  findSubjectRequest,
  markAnswered,
  subjectExtras,
  type SubjectRequestRow,
} from '../repositories/subject-requests.ts';
import { replaceSubjects, submissionsOfSubject, type SubjectSubmission } from '../repositories/subjects.ts';
import type { SmsNumbers } from '../crypto/sms-numbers.ts';

/** The blind indexes of the NIKs in one submission's answers. */
export function indexSubjects(index: SubjectIndex, form: Pick<FormDef, 'fields'>, data: Readonly<Record<string, unknown>>): string[] {
  return niksIn(form, data).flatMap((nik) => {
    const value = index.of(nik);
    return value === undefined ? [] : [value];
  });
}

/** The blind indexes of the words of the names in one submission's answers (the inbox's name search). */
export function indexNames(index: SubjectIndex, form: Pick<FormDef, 'fields'>, data: Readonly<Record<string, unknown>>): string[] {
  return [...new Set(namesIn(form, data).flatMap((name) => index.nameWords(name)))];
}

export interface Staff {
  accountId: string;
  role: string;
  scope: string;
}

export interface SubjectDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  forms: FormCatalog;
  index: SubjectIndex;
  /** Where attachment files live (erasure unlinks those nothing else refers to). */
  uploadsDir: string;
  /** Opens and seals stored answers (encryption at rest, when on). */
  payloads: PayloadCodec;
  /** Opens the SMS senders' numbers (encrypted at rest). */
  smsNumbers: Pick<SmsNumbers, 'open'>;
  now(): Date;
}

export type SubjectError = 'invalid_nik' | 'out_of_scope' | 'not_found' | 'wrong_kind' | 'invalid_field' | 'invalid_value' | 'invalid_time';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: SubjectError };

const fail = <T>(error: SubjectError): Outcome<T> => ({ ok: false, error });

export interface NewSubjectRequest {
  kind: SubjectRequestKind;
  nik: string;
  /** The office the request was made to; the officer's own scope when absent. */
  regionCode?: string;
  /** When the office received it (a letter may be recorded later); now when absent. */
  receivedAt?: string;
}

export async function openSubjectRequest(deps: SubjectDeps, staff: Staff, input: NewSubjectRequest): Promise<Outcome<SubjectRequestRow>> {
  const nikIndex = deps.index.of(input.nik);
  if (nikIndex === undefined) return fail('invalid_nik');
  const regionCode = input.regionCode ?? staff.scope;
  if (!covers(staff.scope, regionCode)) return fail('out_of_scope');
  const now = deps.now();
  const receivedAt = input.receivedAt ?? now.toISOString();
  // Received in the future, or not a time at all: the 3×24 h clock would be meaningless.
  if (Number.isNaN(Date.parse(receivedAt)) || Date.parse(receivedAt) > now.getTime()) return fail('invalid_time');
  const row: SubjectRequestRow = {
    id: ulid(),
    kind: input.kind,
    regionCode,
    receivedAt: new Date(receivedAt).toISOString(),
    dueAt: subjectRequestDueAt(new Date(receivedAt).toISOString()),
    createdAt: now.toISOString(),
    createdBy: staff.accountId,
    answeredAt: null,
    outcome: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await createSubjectRequest(trx, row, nikIndex);
    await appendAudit(trx, deps.dialect, {
      actorId: staff.accountId,
      actorRole: staff.role,
      action: 'subject.request',
      subject: row.id,
      regionCode,
      detail: { kind: row.kind, receivedAt: row.receivedAt },
      at: row.createdAt,
    });
  });
  return { ok: true, value: row };
}

/** The request if it lies in the officer's scope; one outside is indistinguishable from none. */
export async function requestInScope(deps: SubjectDeps, staff: Staff, id: string): Promise<(SubjectRequestRow & { nikIndex: string }) | undefined> {
  const found = await findSubjectRequest(deps.db, id);
  return found && covers(staff.scope, found.regionCode) ? found : undefined;
}

export interface ExportedSubmission {
  id: string;
  receipt: string;
  formId: string;
  formVersion: number;
  formTitle: string;
  createdAt: string;
  receivedAt: string;
  status: string;
  statusAt: string;
  answer: string | null;
  regionCode: string;
  practice: boolean;
  answers: Record<string, unknown>;
  attachments: { field: string; sha256: string; type: string; size: number }[];
  history: { status: string; answer: string | null; at: string }[];
  sms: { sender: string; receivedAt: string }[];
}

export interface SubjectExport {
  request: SubjectRequestRow;
  generatedAt: string;
  submissions: ExportedSubmission[];
}

export async function exportSubject(deps: SubjectDeps, staff: Staff, id: string): Promise<Outcome<{ export: SubjectExport; forms: Map<string, FormDef> }>> {
  const request = await requestInScope(deps, staff, id);
  if (!request) return fail('not_found');
  const found = await submissionsOfSubject(deps.db, request.nikIndex, request.regionCode);
  const forms = await deps.forms.findMany(found.map((s) => ({ formId: s.formId, version: s.formVersion })));
  const extras = await subjectExtras(deps.db, deps.smsNumbers, found.map((s) => s.id));
  const now = deps.now().toISOString();
  const answersOf = new Map<string, string>();
  for (const s of found) answersOf.set(s.id, await deps.payloads.read(s.id, s.payloadJson));
  const submissions = found.map((s): ExportedSubmission => {
    const form = forms.get(formKey(s.formId, s.formVersion));
    const extra = extras.get(s.id);
    return {
      id: s.id,
      receipt: formatReceipt(s.id),
      formId: s.formId,
      formVersion: s.formVersion,
      formTitle: form ? form.title.id : s.formId,
      createdAt: s.createdAt,
      receivedAt: s.receivedAt,
      status: s.status,
      statusAt: s.statusAt,
      answer: s.answer,
      regionCode: s.regionCode,
      practice: s.practice,
      answers: JSON.parse(answersOf.get(s.id) ?? '{}') as Record<string, unknown>,
      attachments: extra?.attachments ?? [],
      history: extra?.history ?? [],
      sms: extra?.sms ?? [],
    };
  });
  const answeredAt = request.kind === 'access' && request.answeredAt === null ? now : undefined;
  const outcome = canonicalJson({ exported: submissions.length });
  await deps.db.transaction().execute(async (trx) => {
    if (answeredAt) await markAnswered(trx, request.id, answeredAt, outcome);
    await appendAudit(trx, deps.dialect, {
      actorId: staff.accountId,
      actorRole: staff.role,
      action: 'subject.export',
      subject: request.id,
      regionCode: request.regionCode,
      detail: { submissions: submissions.length },
      at: now,
    });
  });
  const { nikIndex: _index, ...shown } = request;
  const stripped: SubjectRequestRow = { ...shown, ...(answeredAt ? { answeredAt, outcome } : {}) };
  return { ok: true, value: { export: { request: stripped, generatedAt: now, submissions }, forms } };
}


export interface Correction {
  submissionId: string;
  field: string;
  value: string;
}

export async function correctSubject(deps: SubjectDeps, staff: Staff, id: string, c: Correction): Promise<Outcome<{ submissionId: string; field: string }>> {
  const request = await requestInScope(deps, staff, id);
  if (!request) return fail('not_found');
  if (request.kind !== 'correction') return fail('wrong_kind');
  const target = (await submissionsOfSubject(deps.db, request.nikIndex, request.regionCode)).find((s) => s.id === c.submissionId);
  if (!target) return fail('not_found');
  const form = (await deps.forms.findMany([{ formId: target.formId, version: target.formVersion }])).get(formKey(target.formId, target.formVersion));
  const field = form?.fields.find((f) => f.name === c.field);
  if (!form || !field || !TEXT_VALUED.has(field.type)) return fail('invalid_field');
  const data = { ...(JSON.parse(await deps.payloads.read(target.id, target.payloadJson)) as Record<string, unknown>), [c.field]: c.value };
  // The corrected answers must still be a valid submission of their form.
  if (validateForm(form, data, fullContext(deps.now().getTime())).errors.some((e) => e.field === c.field)) return fail('invalid_value');
  const now = deps.now().toISOString();
  const sealed = await deps.payloads.write({ id: target.id, formId: target.formId, receivedAt: target.receivedAt }, canonicalJson(data));
  await deps.db.transaction().execute(async (trx) => {
    // payload_hash stays: it identifies what the device sent, so its retries still meet their copy.
    await trx.updateTable('submissions').set({ payload_json: sealed }).where('id', '=', target.id).execute();
    await replaceSubjects(trx, target.id, indexSubjects(deps.index, form, data));
    if (request.answeredAt === null) await markAnswered(trx, request.id, now, canonicalJson({ corrected: 1 }));
    await appendAudit(trx, deps.dialect, {
      actorId: staff.accountId,
      actorRole: staff.role,
      action: 'subject.correct',
      subject: request.id,
      regionCode: target.regionCode,
      detail: { submissionId: target.id, field: c.field },
      at: now,
    });
  });
  return { ok: true, value: { submissionId: target.id, field: c.field } };
}

export interface ErasureResult {
  erased: string[];
  held: { submissionId: string; holds: HoldId[] }[];
  files: number;
}

function recordOf(s: SubjectSubmission, form: FormDef | undefined) {
  return { formId: s.formId, status: s.status, receivedAt: s.receivedAt, retentionDays: retentionDays(form ?? { formId: s.formId }) };
}

export async function eraseSubject(deps: SubjectDeps, staff: Staff, id: string): Promise<Outcome<ErasureResult>> {
  const request = await requestInScope(deps, staff, id);
  if (!request) return fail('not_found');
  if (request.kind !== 'erasure') return fail('wrong_kind');
  const now = deps.now();
  const found = await submissionsOfSubject(deps.db, request.nikIndex, request.regionCode);
  const forms = await deps.forms.findMany(found.map((s) => ({ formId: s.formId, version: s.formVersion })));
  const ctx = { now, openKeberatan: hasOpenKeberatan(found) };
  const erased: string[] = [];
  const held: ErasureResult['held'] = [];
  for (const s of found) {
    const holds = holdsOn(recordOf(s, forms.get(formKey(s.formId, s.formVersion))), 'erasure', ctx);
    if (holds.length > 0) held.push({ submissionId: s.id, holds });
    else erased.push(s.id);
  }
  const at = now.toISOString();
  const deletion = await deps.db.transaction().execute(async (trx) => {
    const done = await deleteSubmissions(trx, erased);
    await markAnswered(trx, request.id, at, canonicalJson({ erased: erased.length, held: held.length }));
    await appendAudit(trx, deps.dialect, {
      actorId: staff.accountId,
      actorRole: staff.role,
      action: 'subject.erase',
      subject: request.id,
      regionCode: request.regionCode,
      detail: { erased: erased.length, held: held.length, files: done.freedFiles.length, changes: done.counts.changes, sms: done.counts.smsMessages + done.counts.smsOutbox },
      at,
    });
    return done;
  });
  await unlinkFiles(deps.uploadsDir, deletion.freedFiles);
  await flushDeleted(deps.db, deps.dialect);
  return { ok: true, value: { erased, held, files: deletion.freedFiles.length } };
}

/** Removes stored files (and their upload info); one already gone is no error. */
export async function unlinkFiles(dir: string, shas: readonly string[]): Promise<void> {
  for (const sha of shas) {
    await unlink(join(dir, sha)).catch(() => undefined);
    await unlink(join(dir, `${sha}.json`)).catch(() => undefined);
  }
}

/**
 * Makes deleted rows leave the disk now. SQLite runs with secure_delete (freed cells are zeroed),
 * but the write-ahead log still holds the old pages until a checkpoint copies them and truncates
 * it. PostgreSQL keeps dead tuples until vacuum; VACUUM cannot run in a transaction and is left
 * to autovacuum (docs/security.md), which is why erasure there also relies on encryption at rest.
 */
export async function flushDeleted(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  if (dialect === 'sqlite') await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
}
