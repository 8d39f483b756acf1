// What a QR hand-off carries from the resident's phone to the officer's: the submission id in
// clear (the officer's phone queues the item under its original id, so exactly once still holds
// when the resident's phone later pushes it too) and the envelope sealed to the server's key
// (the officer's phone cannot read it). Only the server opens it, and checks that the id inside
// is the id outside.
import type { SubmissionEnvelope } from '../protocol.ts';
import type { SealingKey, UnsealingKey } from '../sealed/seal.ts';
import { openSealedEnvelope, sealEnvelope, type OpenEnvelopeResult } from '../sealed/sealed-envelope.ts';
import { bytesToUlid, ulidToBytes } from '../sealed/ulid-bytes.ts';
import type { PackFields, PackFieldsOf } from '../sealed/envelope-codec.ts';

const BUNDLE_FORMAT = 1;

export interface HandoffBundle {
  submissionId: string;
  sealed: Uint8Array;
}

export async function makeHandoffBundle(key: SealingKey, envelope: SubmissionEnvelope, packFields?: PackFields): Promise<Uint8Array> {
  const id = ulidToBytes(envelope.id);
  if (!id) throw new Error('submission id is not a ULID');
  const sealed = await sealEnvelope(key, envelope, packFields);
  const out = new Uint8Array(17 + sealed.length);
  out[0] = BUNDLE_FORMAT;
  out.set(id, 1);
  out.set(sealed, 17);
  return out;
}

/** The bundle's parts, or undefined when the bytes are not a bundle. */
export function readHandoffBundle(bytes: Uint8Array): HandoffBundle | undefined {
  if (bytes.length < 18 || bytes[0] !== BUNDLE_FORMAT) return undefined;
  return { submissionId: bytesToUlid(bytes.subarray(1, 17)), sealed: bytes.slice(17) };
}

/** Opens a bundle on the server; an envelope whose id differs from the one outside is refused. */
export async function openHandoffBundle(
  keys: UnsealingKey | readonly UnsealingKey[],
  bytes: Uint8Array,
  packFieldsOf?: PackFieldsOf,
): Promise<OpenEnvelopeResult | { ok: false; reason: 'id_mismatch' }> {
  const bundle = readHandoffBundle(bytes);
  if (!bundle) return { ok: false, reason: 'format' };
  const opened = await openSealedEnvelope(keys, bundle.sealed, packFieldsOf);
  if (opened.ok && opened.envelope.id !== bundle.submissionId) return { ok: false, reason: 'id_mismatch' };
  return opened;
}
