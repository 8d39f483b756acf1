// What the server keeps instead of secrets, and the fingerprint that tells a retry from a clash.
// Both hashes are made for every item of every push, so they use node:crypto's synchronous sha256
// rather than core/hash.ts's WebCrypto one (a thread-pool round trip per digest); same hex digest.
import { createHash, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../../core/hash.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Same submission ⇔ same hash. The secret is left out: it proves access, not content. The digest
 * is of canonicalJson({ formId, formVersion, createdAt, data }); that object's keys are spelled out
 * here in canonical (sorted) order around `dataJson`, so a push serialises each item's answers
 * once, for this hash and for storage alike.
 */
export function payloadHash(
  envelope: Pick<SubmissionEnvelope, 'formId' | 'formVersion' | 'createdAt' | 'data'>,
  dataJson: string = canonicalJson(envelope.data),
): string {
  const { createdAt, formId, formVersion } = envelope;
  return sha256Hex(`{"createdAt":${JSON.stringify(createdAt)},"data":${dataJson},"formId":${JSON.stringify(formId)},"formVersion":${JSON.stringify(formVersion)}}`);
}

/** Secrets are long random strings made on the device, so a plain sha256 is enough. */
export function secretHash(secret: string): string {
  return sha256Hex(secret);
}

/** Constant-time comparison of two hex digests. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
