// The at-rest form of a submission's answers: the canonical JSON encrypted with its scope's data
// key (the form's month of receipt), plus the few coklit facts the KPI counts in SQL, in the clear
// or as a keyed hash. One place writes them (push ingestion, the start-up encryption of old rows,
// the seed loader) and one place reads the answers back.
import type { DataKeys } from '../crypto/data-keys.ts';
import { submissionScope } from '../crypto/data-keys.ts';

export interface SealedSubmissionColumns {
  payload_json: string;
  kpi_village: string | null;
  kpi_tps: string | null;
  kpi_outcome: string | null;
  kpi_voter: string | null;
}

/** Associated data: a ciphertext only opens as the answers of the submission it was made for. */
export function payloadAad(submissionId: string): string {
  return `submissions.payload_json:${submissionId}`;
}

/** A scalar answer as json_extract read it for the KPI: text or number, else nothing. */
function scalar(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** Every distinct scope a batch will need, so their keys are loaded before a write transaction. */
export function scopesOf(items: readonly { formId: string }[], receivedAt: string): string[] {
  return [...new Set(items.map((i) => submissionScope(i.formId, receivedAt)))];
}

/**
 * The stored columns of one submission. The scope's key must already be loaded (keyForScope),
 * since this runs inside write transactions where another query would wait on the connection.
 */
export async function sealSubmission(
  keys: DataKeys,
  s: { id: string; formId: string; receivedAt: string; data: Record<string, unknown>; payloadJson: string },
): Promise<SealedSubmissionColumns> {
  const dek = await keys.keyForScope(submissionScope(s.formId, s.receivedAt));
  const nik = scalar(s.data.nik);
  return {
    payload_json: keys.encryptWith(dek, s.payloadJson, payloadAad(s.id)),
    kpi_village: scalar(s.data.desa),
    kpi_tps: scalar(s.data.tps),
    kpi_outcome: scalar(s.data.hasil),
    kpi_voter: nik === null || nik === '' ? `id:${s.id}` : `nik:${keys.blindIndex(nik)}`,
  };
}

/** The answers of a stored submission. */
export async function openPayload(keys: DataKeys, submissionId: string, stored: string): Promise<Record<string, unknown>> {
  return JSON.parse(await keys.decryptField(stored, payloadAad(submissionId))) as Record<string, unknown>;
}
