// What the server keeps instead of secrets, and the fingerprint that tells a retry from a clash.
import { timingSafeEqual } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../../core/hash.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';

/** Same submission ⇔ same hash. The secret is left out: it proves access, not content. */
export function payloadHash(envelope: Pick<SubmissionEnvelope, 'formId' | 'formVersion' | 'createdAt' | 'data'>): Promise<string> {
  return sha256Hex(
    canonicalJson({
      formId: envelope.formId,
      formVersion: envelope.formVersion,
      createdAt: envelope.createdAt,
      data: envelope.data,
    }),
  );
}

/** Secrets are long random strings made on the device, so a plain sha256 is enough. */
export function secretHash(secret: string): Promise<string> {
  return sha256Hex(secret);
}

/** Constant-time comparison of two hex digests. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
