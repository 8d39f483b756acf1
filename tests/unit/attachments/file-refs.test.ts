import { describe, expect, it } from 'vitest';
import { distinctShas, fileRefsOf, findFileRefs } from '../../../core/forms/file-refs.ts';
import { LAMPIRAN_FORM } from './fixtures.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

describe('file references of a submission', () => {
  const data = {
    judul: 'Uji',
    foto: { sha256: A, type: 'image/jpeg', size: 10 },
    anggota: [
      { nama: 'Siti', dokumen: { sha256: B, type: 'application/pdf', size: 20 } },
      { nama: 'Budi' },
      { nama: 'Ani', dokumen: { sha256: A, type: 'image/jpeg', size: 10 } },
    ],
    // Not a file field in the definition: the definition-based walk ignores it.
    catatan: { sha256: C, type: 'image/png', size: 5 },
  };

  it('walks photo and document fields, repeat groups included, with their paths', () => {
    expect(fileRefsOf(LAMPIRAN_FORM, data).map((f) => [f.path, f.ref.sha256])).toEqual([
      ['foto', A],
      ['anggota[0].dokumen', B],
      ['anggota[2].dokumen', A],
    ]);
  });

  it('finds every reference without the definition, and distinct hashes once each', () => {
    expect(distinctShas(findFileRefs(data))).toEqual([A, B, C]);
  });

  it('ignores values that only look a little like files', () => {
    expect(findFileRefs({ x: { sha256: 'short', type: 'image/jpeg', size: 1 }, y: 'text', z: [1, 2] })).toEqual([]);
    expect(fileRefsOf(LAMPIRAN_FORM, { foto: 'not a file', anggota: 'nope' })).toEqual([]);
  });
});
