// The resident completes a request the office returned (perlu dilengkapi): the answers to the
// fields the office named are queued as revision n of the same request, under its receipt number
// and secret (docs/sync-protocol.md, "Return for completion"). The phone no longer holds the first
// answers (they left with the acknowledgement), and does not need them: the server keeps the first
// version and merges the completion into it. The completion travels like any queued item, and so
// do its files: a photo or document chosen for a returned field is held by the request from the
// moment it is chosen (storeAttachment's heldBy), becomes part of the queued completion, and the
// upload phase sends it once the completion is acknowledged (listUploadable holds it back until then).
import { cleanAnswers, validateForm, type Verdict } from '../../core/forms/validate.ts';
import type { Condition, FieldDef, FormData, FormDef } from '../../core/forms/definition.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { isQuotaError } from './errors.ts';
import { envelopeBytes, type FixResult } from './outbox.ts';
import type { JangkauDb, ReceiptRow } from './schema.ts';

/**
 * The form cut to the fields the office asked for: what the completion screen shows and checks. A
 * condition (showIf, requiredIf) on a field outside the cut cannot be judged here, since the phone
 * no longer holds the first answers: the office named the field, so it is shown, and the server
 * judges the merged answers against the whole form. Conditions between returned fields stay.
 */
export function completionForm(form: FormDef, fields: readonly string[]): FormDef {
  const asked = new Set(fields);
  const judged = (c: Condition | undefined): c is Condition => c !== undefined && asked.has(c.field);
  const cut = form.fields
    .filter((f) => asked.has(f.name))
    .map(({ showIf, requiredIf, ...field }): FieldDef => ({ ...field, ...(judged(showIf) ? { showIf } : {}), ...(judged(requiredIf) ? { requiredIf } : {}) }));
  return { ...form, fields: cut };
}

/** Whether this receipt waits for the person's completion (and none is queued yet). */
export function awaitsCompletion(r: Pick<ReceiptRow, 'status' | 'returned' | 'secret' | 'state'>): boolean {
  return r.status === 'perlu_dilengkapi' && r.returned !== undefined && r.secret !== undefined && r.state === 'sent';
}

export type CompletionResult =
  | { ok: true }
  | { ok: false; reason: 'not_returned' | 'quota' }
  | { ok: false; reason: 'invalid'; verdict: Verdict }
  /** The answers name files the phone does not hold (see missingFiles): nothing is queued. */
  | Extract<FixResult, { reason: 'missing_files' }>;

/** The files' bookkeeping, loaded before the transaction opens (see outbox.ts). */
const attachmentsModule = () => import('./attachments.ts');

export async function queueCompletion(db: JangkauDb, form: FormDef, id: string, answers: FormData, now: number = Date.now()): Promise<CompletionResult> {
  const { attachToSubmission, missingFiles } = await attachmentsModule();
  try {
    return await db.transaction('rw', [db.outbox, db.receipts, db.attachments], async (): Promise<CompletionResult> => {
      const receipt = await db.receipts.get(id);
      if (!receipt || !awaitsCompletion(receipt) || !receipt.returned || !receipt.secret || (await db.outbox.get(id))) {
        return { ok: false, reason: 'not_returned' };
      }
      const cut = completionForm(form, receipt.returned.fields);
      const verdict = validateForm(cut, answers);
      if (verdict.errors.length > 0) return { ok: false, reason: 'invalid', verdict };
      const data = cleanAnswers(cut, answers);
      const missing = await missingFiles(db, data);
      if (missing.length > 0) return { ok: false, reason: 'missing_files', missing };
      const envelope: SubmissionEnvelope = {
        id,
        formId: receipt.formId,
        formVersion: receipt.formVersion,
        createdAt: new Date(now).toISOString(),
        data,
        secret: receipt.secret,
        revision: receipt.returned.revision,
      };
      await db.outbox.put({ id, envelope, bytes: envelopeBytes(envelope), state: 'queued', queuedAt: now, attempts: 0 });
      await db.receipts.put({ ...receipt, state: 'queued' });
      // The chosen files become part of the completion, to be sent after its data.
      await attachToSubmission(db, id, data, true);
      return { ok: true };
    });
  } catch (error) {
    if (isQuotaError(error)) return { ok: false, reason: 'quota' };
    throw error;
  }
}
