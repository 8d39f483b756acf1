// The resident completes a request the office returned (perlu dilengkapi): the answers to the
// fields the office named are queued as revision n of the same request, under its receipt number
// and secret (docs/sync-protocol.md, "Return for completion"). The phone no longer holds the first
// answers (they left with the acknowledgement), and does not need them: the server keeps the first
// version and merges the completion into it. The completion travels like any queued item.
import { cleanAnswers, validateForm, type Verdict } from '../../core/forms/validate.ts';
import type { FormData, FormDef } from '../../core/forms/definition.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { isQuotaError } from './errors.ts';
import { envelopeBytes } from './outbox.ts';
import type { JangkauDb, ReceiptRow } from './schema.ts';

/** The form cut to the fields the office asked for: what the completion screen shows and checks. */
export function completionForm(form: FormDef, fields: readonly string[]): FormDef {
  const asked = new Set(fields);
  return { ...form, fields: form.fields.filter((f) => asked.has(f.name)) };
}

/** Whether this receipt waits for the person's completion (and none is queued yet). */
export function awaitsCompletion(r: Pick<ReceiptRow, 'status' | 'returned' | 'secret' | 'state'>): boolean {
  return r.status === 'perlu_dilengkapi' && r.returned !== undefined && r.secret !== undefined && r.state === 'sent';
}

export type CompletionResult =
  | { ok: true }
  | { ok: false; reason: 'not_returned' | 'quota' }
  | { ok: false; reason: 'invalid'; verdict: Verdict };

export async function queueCompletion(db: JangkauDb, form: FormDef, id: string, answers: FormData, now: number = Date.now()): Promise<CompletionResult> {
  try {
    return await db.transaction('rw', db.outbox, db.receipts, async (): Promise<CompletionResult> => {
      const receipt = await db.receipts.get(id);
      if (!receipt || !awaitsCompletion(receipt) || !receipt.returned || !receipt.secret || (await db.outbox.get(id))) {
        return { ok: false, reason: 'not_returned' };
      }
      const cut = completionForm(form, receipt.returned.fields);
      const verdict = validateForm(cut, answers);
      if (verdict.errors.length > 0) return { ok: false, reason: 'invalid', verdict };
      const envelope: SubmissionEnvelope = {
        id,
        formId: receipt.formId,
        formVersion: receipt.formVersion,
        createdAt: new Date(now).toISOString(),
        data: cleanAnswers(cut, answers),
        secret: receipt.secret,
        revision: receipt.returned.revision,
      };
      await db.outbox.put({ id, envelope, bytes: envelopeBytes(envelope), state: 'queued', queuedAt: now, attempts: 0 });
      await db.receipts.put({ ...receipt, state: 'queued' });
      return { ok: true };
    });
  } catch (error) {
    if (isQuotaError(error)) return { ok: false, reason: 'quota' };
    throw error;
  }
}
