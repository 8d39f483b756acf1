// The outbox: finished submissions waiting for the province's acknowledgement. A row leaves the
// outbox only when the server acknowledged it (invariant 3) or when the person discards a rejected
// one (invariant 4); nothing here ever drops a row for age or tries.
import { isUlid, randomSecret } from '../../core/ids.ts';
import type { FormData, FormDef } from '../../core/forms/definition.ts';
import { cleanAnswers, validateForm, type FieldIssue, type Verdict } from '../../core/forms/validate.ts';
import type { ItemResult, SubmissionEnvelope } from '../../core/protocol.ts';
import type { SealingKey } from '../../core/sealed/seal.ts';
import { isQuotaError } from './errors.ts';
import { isPracticeDb } from './practice.ts';
import type { JangkauDb, OutboxRow, ReceiptRow } from './schema.ts';

const TITLE_MAX = 80;

/**
 * The files' bookkeeping, loaded on first use and before any transaction opens (an import awaited
 * inside one would let IndexedDB commit it early): filing, fixing and discarding happen on lazily
 * loaded screens, and the sync that loads this module at start needs none of it.
 */
const attachmentsModule = () => import('./attachments.ts');

/** Sealing to the server's key, loaded only when an officer files: it is not on the first load. */
const sealingModule = () => import('../../core/sealed/sealed-submission.ts');

/**
 * Whether a form's submissions are sealed to the server's key when filed (issue #6): officers'
 * forms, so that a lost phone cannot give back what the officer already finalised.
 */
export function sealsToServer(form: Pick<FormDef, 'audience'>): boolean {
  return form.audience === 'officer';
}

/**
 * The envelope as it is kept and pushed: sealed to `serverKey` when one is given (the caller gives
 * it for forms that sealsToServer, when the phone has cached the server's key); otherwise as it is,
 * and on an officer's phone still sealed at rest with the device key by the at-rest middleware.
 */
async function finalised(envelope: SubmissionEnvelope, serverKey: SealingKey | undefined): Promise<SubmissionEnvelope> {
  return serverKey ? (await sealingModule()).sealSubmission(serverKey, envelope) : envelope;
}

/**
 * What the device keeps of the answers beside an envelope sealed to the server's key: the answers
 * themselves (sealed at rest with the device key), so a refusal can be fixed. Nothing beside an
 * envelope that still carries them.
 */
function keptAnswers(plain: SubmissionEnvelope, queued: SubmissionEnvelope): Pick<OutboxRow, 'answers'> {
  return queued.sealed ? { answers: plain.data as FormData } : {};
}

/** The answers a refused row is corrected from: the kept copy when its envelope is sealed to the server. */
export function answersToFix(row: Pick<OutboxRow, 'envelope' | 'answers'>): FormData {
  return row.answers ?? (row.envelope.data as FormData);
}

/** UTF-8 size of the envelope's JSON: what batching by bytes counts. */
export function envelopeBytes(envelope: SubmissionEnvelope): number {
  return new TextEncoder().encode(JSON.stringify(envelope)).length;
}

/** A list label: the title field's answer, cut on a character boundary to at most 80 characters. */
export function receiptTitle(form: Pick<FormDef, 'titleField'>, data: Readonly<Record<string, unknown>>): string {
  const raw = data[form.titleField];
  const text = typeof raw === 'string' ? raw.trim().replace(/\s+/g, ' ') : '';
  const chars = Array.from(text);
  return chars.length <= TITLE_MAX ? text : chars.slice(0, TITLE_MAX - 1).join('') + '…';
}

/** The receipt's title of a queued envelope; a sealed one is listed under its form's name, the name it was filed under staying sealed. */
function queuedTitle(form: Pick<FormDef, 'titleField' | 'title'>, envelope: SubmissionEnvelope): string {
  return envelope.sealed ? form.title.id : receiptTitle(form, envelope.data);
}

/** The envelope a submission travels in: cleaned answers and a fresh per-submission secret. */
export function buildEnvelope(form: FormDef, id: string, data: Readonly<Record<string, unknown>>, now: number = Date.now()): SubmissionEnvelope {
  return {
    id,
    formId: form.formId,
    formVersion: form.version,
    createdAt: new Date(now).toISOString(),
    data: cleanAnswers(form, data),
    secret: randomSecret(),
  };
}

/**
 * The envelope as queued in `db`: flagged `practice` exactly when `db` is the practice database, so
 * a practice entry is never sent as a real one, nor a real one as practice (practice.ts).
 */
function queuedIn(db: JangkauDb, envelope: SubmissionEnvelope): SubmissionEnvelope {
  const { practice: _practice, ...real } = envelope;
  return isPracticeDb(db) ? { ...real, practice: true } : real;
}

export type SubmitResult =
  /** `alreadySubmitted`: this id was filed before (another tab, a double tap); nothing changed. */
  | { ok: true; receipt: ReceiptRow; alreadySubmitted: boolean }
  | { ok: false; reason: 'invalid'; verdict: Verdict }
  | { ok: false; reason: 'quota'; quota: true }
  /** The answers name files the device no longer holds: the person is asked to choose them again. */
  | { ok: false; reason: 'missing_files'; missing: string[] };

function receiptFor(envelope: SubmissionEnvelope, title: string, createdAt: number): ReceiptRow {
  return { id: envelope.id, formId: envelope.formId, formVersion: envelope.formVersion, title, createdAt, state: 'queued' };
}

/**
 * Files a draft: validates, then in one transaction queues the envelope, writes the receipt and
 * deletes the draft, so "dalam antrean" is only ever shown for a committed submission. Filing an id
 * that is already queued or receipted returns the existing receipt and changes nothing: two tabs
 * submitting the same draft yield one submission with one payload.
 */
export async function submitDraft(
  db: JangkauDb,
  form: FormDef,
  draftId: string,
  data: Readonly<Record<string, unknown>>,
  now: number = Date.now(),
  serverKey?: SealingKey,
): Promise<SubmitResult> {
  // The id goes to the server as the idempotency key, which must be a ULID; anything else is a bug.
  if (!isUlid(draftId)) throw new TypeError(`submitDraft: draft id is not a ULID: ${draftId}`);
  // A second tap after success must not be refused for data that has since changed in the form.
  const filed = await db.receipts.get(draftId);
  if (filed) return { ok: true, receipt: filed, alreadySubmitted: true };

  const verdict = validateForm(form, data);
  if (verdict.errors.length > 0) return { ok: false, reason: 'invalid', verdict };

  const draft = await db.drafts.get(draftId);
  const built = buildEnvelope(form, draftId, data, now);
  const plain = queuedIn(db, draft?.record ? { ...built, record: draft.record } : built);
  const envelope = await finalised(plain, serverKey);
  const title = queuedTitle(form, envelope);
  const { attachToSubmission, missingFiles } = await attachmentsModule();
  try {
    return await db.transaction('rw', [db.outbox, db.receipts, db.drafts, db.attachments], async (): Promise<SubmitResult> => {
      // Checked again inside the transaction: the read above may have raced with another tab.
      const receipt = await db.receipts.get(draftId);
      if (receipt) {
        await db.drafts.delete(draftId);
        return { ok: true, receipt, alreadySubmitted: true };
      }
      const queued = await db.outbox.get(draftId);
      if (queued) {
        // Unreachable through this module (both rows are written together); kept so the payload
        // already queued stays the one that is sent, whatever happened to the receipt.
        const rebuilt = receiptFor(queued.envelope, queuedTitle(form, queued.envelope), queued.queuedAt);
        if (queued.state === 'needs_fix') rebuilt.state = 'needs_fix';
        await db.receipts.put(rebuilt);
        await db.drafts.delete(draftId);
        return { ok: true, receipt: rebuilt, alreadySubmitted: true };
      }
      // Never a submission naming a file nobody has: it would wait for that file forever.
      const missing = await missingFiles(db, plain.data);
      if (missing.length > 0) return { ok: false, reason: 'missing_files', missing };
      const row: OutboxRow = { id: draftId, envelope, bytes: envelopeBytes(envelope), state: 'queued', queuedAt: now, attempts: 0, ...keptAnswers(plain, envelope) };
      const created = receiptFor(envelope, title, now);
      await db.outbox.add(row);
      await db.receipts.add(created);
      await db.drafts.delete(draftId);
      // The chosen files become part of the submission, to be sent after its data.
      await attachToSubmission(db, draftId, plain.data);
      return { ok: true, receipt: created, alreadySubmitted: false };
    });
  } catch (error) {
    if (isQuotaError(error)) return { ok: false, reason: 'quota', quota: true };
    throw error;
  }
}

/** Rows waiting to be pushed, oldest first (ULIDs break ties in filing order). */
export async function listQueued(db: JangkauDb): Promise<OutboxRow[]> {
  const rows = await db.outbox.where('state').equals('queued').toArray();
  return rows.sort((a, b) => a.queuedAt - b.queuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Rows the server refused, for the "perlu perbaikan" list. */
export async function listNeedsFix(db: JangkauDb): Promise<OutboxRow[]> {
  const rows = await db.outbox.where('state').equals('needs_fix').toArray();
  return rows.sort((a, b) => a.queuedAt - b.queuedAt);
}

export async function getOutboxRow(db: JangkauDb, id: string): Promise<OutboxRow | undefined> {
  return db.outbox.get(id);
}

export interface OutboxCounts {
  queued: number;
  needsFix: number;
}

/**
 * Counted on the state index, never by reading rows: the engine counts at the start and end of
 * every sync, and reading a 10,000-item backlog to count it doubled the page's heap at start.
 */
export async function countOutbox(db: JangkauDb): Promise<OutboxCounts> {
  return db.transaction('r', db.outbox, async () => {
    const queued = await db.outbox.where('state').equals('queued').count();
    const needsFix = await db.outbox.where('state').equals('needs_fix').count();
    return { queued, needsFix };
  });
}

export interface AppliedResults {
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Items the answer did not mention; they stay queued for the next push. */
  missing: number;
  /** Ids marked sent or needs_fix. */
  settled: string[];
}

/**
 * Applies one batch's per-item answers in one transaction. Acknowledged items leave the outbox
 * and their receipt keeps the secret (status checks need it from now on); rejected items wait for
 * the person in "needs_fix"; the rest of the batch is unaffected (invariant 5).
 */
export async function applyPushResults(
  db: JangkauDb,
  sent: readonly OutboxRow[],
  results: readonly ItemResult[],
  serverTime: string,
): Promise<AppliedResults> {
  const byId = new Map<string, ItemResult>();
  for (const r of results) byId.set(r.id, r);
  const out: AppliedResults = { accepted: 0, duplicate: 0, rejected: 0, missing: 0, settled: [] };
  await db.transaction('rw', db.outbox, db.receipts, async () => {
    const ids = sent.map((r) => r.id);
    const current = await db.outbox.bulkGet(ids);
    const receipts = await db.receipts.bulkGet(ids);
    const acked: string[] = [];
    const fixRows: OutboxRow[] = [];
    const receiptRows: ReceiptRow[] = [];
    sent.forEach((row, i) => {
      const result = byId.get(row.id);
      const now = current[i];
      if (!result) {
        out.missing++;
        return;
      }
      // Only a row still holding the very payload we sent may be settled by this answer.
      if (!now || now.state !== 'queued' || now.envelope.secret !== row.envelope.secret) return;
      const receipt = receipts[i] ?? receiptFor(row.envelope, '', row.queuedAt);
      if (result.outcome === 'accepted' || result.outcome === 'duplicate') {
        out[result.outcome]++;
        acked.push(row.id);
        // A completion (revision n of a returned request) keeps the first filing's receipt time.
        const receivedAt = row.envelope.revision !== undefined && receipt.receivedAt ? receipt.receivedAt : (result.receivedAt ?? serverTime);
        receiptRows.push({ ...receipt, state: 'sent', receivedAt, secret: row.envelope.secret });
      } else {
        out.rejected++;
        fixRows.push({
          ...now,
          state: 'needs_fix',
          // The wire carries codes as plain strings; the server uses the same validator, so they
          // are IssueCodes, but the UI must still fall back for a code it does not know.
          rejection: { reason: result.reason ?? 'invalid_data', errors: (result.errors ?? []) as FieldIssue[] },
        });
        receiptRows.push({ ...receipt, state: 'needs_fix' });
      }
      out.settled.push(row.id);
    });
    if (acked.length > 0) await db.outbox.bulkDelete(acked);
    if (fixRows.length > 0) await db.outbox.bulkPut(fixRows);
    if (receiptRows.length > 0) await db.receipts.bulkPut(receiptRows);
  });
  return out;
}

/** A push that did not get through: count the try on each row, keep them queued. */
export async function recordFailedAttempt(db: JangkauDb, ids: readonly string[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await db.outbox
    .where('id')
    .anyOf([...ids])
    .modify((row) => {
      row.attempts += 1;
      row.lastError = error;
    });
}

export type FixResult =
  | { ok: true }
  | { ok: false; reason: 'not_found' | 'not_rejected' | 'id_mismatch' | 'quota' }
  /** The answers name files the phone does not hold (see missingFiles): the row stays as it was. */
  | { ok: false; reason: 'missing_files'; missing: string[] };

/** The person gave up on a rejected submission: it and its receipt go. Only needs_fix rows. */
export async function discardRejected(db: JangkauDb, id: string): Promise<FixResult> {
  const { detachFromSubmission } = await attachmentsModule();
  return db.transaction('rw', db.outbox, db.receipts, db.attachments, async (): Promise<FixResult> => {
    const row = await db.outbox.get(id);
    if (!row) return { ok: false, reason: 'not_found' };
    if (row.state !== 'needs_fix') return { ok: false, reason: 'not_rejected' };
    await db.outbox.delete(id);
    await db.receipts.delete(id);
    await detachFromSubmission(db, id);
    return { ok: true };
  });
}

/**
 * The person corrected a rejected submission: the new envelope (same id, so the receipt number
 * stays) goes back in the queue with a fresh count of tries, sealed to `serverKey` when given.
 */
export async function requeueFixed(db: JangkauDb, id: string, envelope: SubmissionEnvelope, serverKey?: SealingKey): Promise<FixResult> {
  if (envelope.id !== id) return { ok: false, reason: 'id_mismatch' };
  const { attachToSubmission, missingFiles } = await attachmentsModule();
  const toQueue = await finalised(queuedIn(db, envelope), serverKey);
  try {
    return await db.transaction('rw', db.outbox, db.receipts, db.attachments, async (): Promise<FixResult> => {
      const row = await db.outbox.get(id);
      if (!row) return { ok: false, reason: 'not_found' };
      if (row.state !== 'needs_fix') return { ok: false, reason: 'not_rejected' };
      const missing = await missingFiles(db, envelope.data);
      if (missing.length > 0) return { ok: false, reason: 'missing_files', missing };
      const requeued: OutboxRow = {
        id,
        envelope: toQueue,
        bytes: envelopeBytes(toQueue),
        state: 'queued',
        queuedAt: row.queuedAt,
        attempts: 0,
        ...keptAnswers(envelope, toQueue),
      };
      await db.outbox.put(requeued);
      await attachToSubmission(db, id, envelope.data);
      const receipt = await db.receipts.get(id);
      if (receipt) await db.receipts.put({ ...receipt, state: 'queued', formVersion: envelope.formVersion });
      return { ok: true };
    });
  } catch (error) {
    if (isQuotaError(error)) return { ok: false, reason: 'quota' };
    throw error;
  }
}
