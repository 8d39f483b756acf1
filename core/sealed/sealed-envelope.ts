// A submission envelope packed and sealed to the server's key, and opened again on the server.
// The QR hand-off and the SMS channel both carry these bytes; issue #6's officers' copies too.
import type { SubmissionEnvelope } from '../protocol.ts';
import { packEnvelope, unpackEnvelope, type PackFields, type PackFieldsOf } from './envelope-codec.ts';
import { seal, tryUnseal, type SealingKey, type UnsealFailure, type UnsealingKey } from './seal.ts';

export type OpenEnvelopeResult =
  | { ok: true; envelope: SubmissionEnvelope }
  | { ok: false; reason: UnsealFailure | 'not_an_envelope' };

/** Seals an envelope; with its form's field names (form-fields.ts) the answers pack smaller. */
export async function sealEnvelope(key: SealingKey, envelope: SubmissionEnvelope, packFields?: PackFields): Promise<Uint8Array> {
  return seal(key, await packEnvelope(envelope, packFields));
}

export async function openSealedEnvelope(
  keys: UnsealingKey | readonly UnsealingKey[],
  sealed: Uint8Array,
  packFieldsOf?: PackFieldsOf,
): Promise<OpenEnvelopeResult> {
  const opened = await tryUnseal(keys, sealed);
  if (!opened.ok) return opened;
  try {
    return { ok: true, envelope: await unpackEnvelope(opened.bytes, packFieldsOf) };
  } catch {
    // Authentic bytes that do not unpack (a sender bug, or a form version this server never
    // published): not tampering, but refused all the same.
    return { ok: false, reason: 'not_an_envelope' };
  }
}
