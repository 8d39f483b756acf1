// A submission envelope packed and sealed to the server's key, and opened again on the server.
// The QR hand-off and the SMS channel both carry these bytes; issue #6's officers' copies too.
import type { SubmissionEnvelope } from '../protocol.ts';
import { packEnvelope, unpackEnvelope } from './envelope-codec.ts';
import { seal, tryUnseal, type SealingKey, type UnsealFailure, type UnsealingKey } from './seal.ts';

export type OpenEnvelopeResult =
  | { ok: true; envelope: SubmissionEnvelope }
  | { ok: false; reason: UnsealFailure | 'not_an_envelope' };

export async function sealEnvelope(key: SealingKey, envelope: SubmissionEnvelope): Promise<Uint8Array> {
  return seal(key, await packEnvelope(envelope));
}

export async function openSealedEnvelope(
  keys: UnsealingKey | readonly UnsealingKey[],
  sealed: Uint8Array,
): Promise<OpenEnvelopeResult> {
  const opened = await tryUnseal(keys, sealed);
  if (!opened.ok) return opened;
  try {
    return { ok: true, envelope: await unpackEnvelope(opened.bytes) };
  } catch {
    // Authentic bytes that do not unpack: a sender bug, not tampering; refused all the same.
    return { ok: false, reason: 'not_an_envelope' };
  }
}
