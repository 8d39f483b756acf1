// The push hashes each item's answers from the one serialisation it also stores: the digest must be
// exactly sha256(canonicalJson({ formId, formVersion, createdAt, data })), the rule stored rows were
// hashed by, or every retry of an older submission would read as a clash.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { canonicalJson } from '../../core/hash.ts';
import { payloadHash } from '../../server/services/hashing.ts';

function byTheRule(e: { formId: string; formVersion: number; createdAt: string; data: Record<string, unknown> }): string {
  return createHash('sha256').update(canonicalJson({ formId: e.formId, formVersion: e.formVersion, createdAt: e.createdAt, data: e.data }), 'utf8').digest('hex');
}

it('equals the hash of the canonical envelope, for any answers', () => {
  fc.assert(
    fc.property(
      fc.record({
        formId: fc.string(),
        formVersion: fc.integer({ min: 1, max: 1_000_000 }),
        createdAt: fc.string(),
        data: fc.dictionary(fc.string(), fc.jsonValue()),
      }),
      (e) => {
        expect(payloadHash(e)).toBe(byTheRule(e));
        expect(payloadHash(e, canonicalJson(e.data))).toBe(byTheRule(e));
      },
    ),
    { numRuns: 500 },
  );
});

it('tells apart answers that differ, and ignores key order', () => {
  const base = { formId: 'ppid-permohonan', formVersion: 1, createdAt: '2026-11-28T01:02:03.000Z' };
  const a = payloadHash({ ...base, data: { nama: 'Siti "Aminah"', alamat: 'Desa Tanjung Labu\nPulau Lepar' } });
  expect(payloadHash({ ...base, data: { alamat: 'Desa Tanjung Labu\nPulau Lepar', nama: 'Siti "Aminah"' } })).toBe(a);
  expect(payloadHash({ ...base, data: { nama: 'Siti "Aminah" ', alamat: 'Desa Tanjung Labu\nPulau Lepar' } })).not.toBe(a);
  expect(payloadHash({ ...base, formVersion: 2, data: { nama: 'Siti "Aminah"', alamat: 'Desa Tanjung Labu\nPulau Lepar' } })).not.toBe(a);
});
