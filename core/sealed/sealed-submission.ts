// An officer's finalised submission, sealed to the server's key on the phone (issue #6): what the
// phone keeps and pushes carries the whole envelope packed and sealed (`sealed`), its answers
// emptied, so a lost phone, unlocked or not, cannot give back what the officer already finalised.
// The clear fields (id, form, time, secret; for a coklit the voter record's random key and base
// version, which name no one) let the queue and the server place it; the server opens it, checks
// that the sealed envelope is this very submission, and judges what the seal holds, the record included.
import type { SubmissionEnvelope } from '../protocol.ts';
import { base64UrlToBytes, bytesToBase64Url } from './envelope-codec.ts';
import { openSealedEnvelope, sealEnvelope } from './sealed-envelope.ts';
import type { SealingKey, UnsealFailure, UnsealingKey } from './seal.ts';

/** `mismatch`: it opened, but is not the submission its clear fields name (swapped or edited). */
export type OpenSubmissionFailure = UnsealFailure | 'not_an_envelope' | 'mismatch';
export type OpenSubmissionResult = { ok: true; envelope: SubmissionEnvelope } | { ok: false; reason: OpenSubmissionFailure };

/** The envelope as it is kept and pushed: sealed to `key`, answers left out of the clear part. */
export async function sealSubmission(key: SealingKey, envelope: SubmissionEnvelope): Promise<SubmissionEnvelope> {
  const { sealed: _already, ...plain } = envelope;
  const bytes = await sealEnvelope(key, plain);
  return { ...plain, data: {}, sealed: bytesToBase64Url(bytes) };
}

const SAME_FIELDS = ['id', 'formId', 'formVersion', 'createdAt', 'secret'] as const;

/** The envelope with its answers back, opened with whichever of `keys` it was sealed to. */
export async function openSealedSubmission(
  keys: UnsealingKey | readonly UnsealingKey[],
  envelope: SubmissionEnvelope,
): Promise<OpenSubmissionResult> {
  const { sealed, ...clear } = envelope;
  const bytes = sealed === undefined ? undefined : base64UrlToBytes(sealed);
  if (!bytes) return { ok: false, reason: 'format' };
  // Answers beside the sealed ones would be judged by nobody: refused rather than merged.
  if (Object.keys(clear.data).length > 0) return { ok: false, reason: 'mismatch' };
  const opened = await openSealedEnvelope(keys, bytes);
  if (!opened.ok) return opened;
  const inner = opened.envelope;
  if (SAME_FIELDS.some((f) => inner[f] !== clear[f])) return { ok: false, reason: 'mismatch' };
  // The voter record a coklit updates is read from the seal; a clear copy (the phone's queue counts
  // its own updates of a record by it) must say the same, else the clear part would redirect the
  // update. An entry sealed by an app from before the record was packed has it only in the clear.
  if (inner.record === undefined) return { ok: true, envelope: { ...clear, data: inner.data } };
  const { record: clearRecord, ...rest } = clear;
  if (clearRecord !== undefined && (inner.record.id !== clearRecord.id || inner.record.baseVersion !== clearRecord.baseVersion)) {
    return { ok: false, reason: 'mismatch' };
  }
  return { ok: true, envelope: { ...rest, data: inner.data, record: inner.record } };
}
