// The held-versions report (core/forms/held-versions.ts) and the SOP rules (core/forms/sop.ts):
// what a device sends on its pull, what the server accepts from it, and what counts as outdated.
import { describe, expect, it } from 'vitest';
import { ppidPermohonanV1 } from '../../../core/forms/catalog/ppid-permohonan.ts';
import { checkDefinition } from '../../../core/forms/check-definition.ts';
import {
  currentFormVersions,
  encodeHeld,
  MAX_HELD_ITEMS,
  newestPerItem,
  itemsBehind,
  parseHeld,
  sopItem,
} from '../../../core/forms/held-versions.ts';
import { checkSop, currentSops, type SopDoc } from '../../../core/forms/sop.ts';

describe('held versions report', () => {
  it('encodes the newest version of each item, sorted, and reads it back', () => {
    const text = encodeHeld([
      { item: 'skm', version: 1 },
      { item: sopItem('sop-coklit'), version: 3 },
      { item: 'ppid-permohonan', version: 1 },
      { item: 'ppid-permohonan', version: 2 },
    ]);
    expect(text).toBe('ppid-permohonan@2,skm@1,sop:sop-coklit@3');
    expect(parseHeld(text)).toEqual(newestPerItem([
      { item: 'ppid-permohonan', version: 2 },
      { item: 'skm', version: 1 },
      { item: 'sop:sop-coklit', version: 3 },
    ]));
    expect(parseHeld('')).toEqual([]);
  });

  it.each([
    ['absent', undefined],
    ['no version', 'ppid-permohonan'],
    ['no item', '@2'],
    ['version 0', 'skm@0'],
    ['not a number', 'skm@dua'],
    ['upper case', 'SKM@1'],
    ['a space inside', 'skm form@1'],
    ['twice', 'skm@1,skm@2'],
    ['an empty entry', 'skm@1,,tanggapan-dps@1'],
    ['another prefix', 'doc:x@1'],
    ['too many items', Array.from({ length: MAX_HELD_ITEMS + 1 }, (_, i) => `f${i}@1`).join(',')],
    ['too long', `${'a'.repeat(8_001)}@1`],
  ])('ignores a malformed report: %s', (_, text) => {
    expect(parseHeld(text)).toBeUndefined();
  });

  it('puts a device behind for what it holds below the current version or lacks, never for what is not published', () => {
    const current = new Map([
      ['ppid-permohonan', 2],
      ['skm', 1],
      ['sop:sop-coklit', 3],
      ['sop:sop-baru', 1],
    ]);
    const held = [
      { item: 'skm', version: 1 },
      { item: 'ppid-permohonan', version: 1 },
      { item: 'sop:sop-coklit', version: 2 },
      { item: 'tidak-diterbitkan', version: 1 },
    ];
    expect(itemsBehind(held, current)).toEqual([
      { item: 'ppid-permohonan', version: 1, current: 2 },
      { item: 'sop:sop-baru', version: 0, current: 1 },
      { item: 'sop:sop-coklit', version: 2, current: 3 },
    ]);
    // Newer than the server's (a retired newest version): not behind.
    expect(itemsBehind([{ item: 'ppid-permohonan', version: 3 }], new Map([['ppid-permohonan', 2]]))).toEqual([]);
  });

  it('takes the newest version that is not retired as the current one of a form', () => {
    const current = currentFormVersions([
      { formId: 'ppid-permohonan', version: 1, retired: false },
      { formId: 'ppid-permohonan', version: 3, retired: true },
      { formId: 'ppid-permohonan', version: 2, retired: false },
      { formId: 'skm', version: 1, retired: true },
    ]);
    expect([...current]).toEqual([['ppid-permohonan', 2]]);
  });
});

describe('SOP documents and form change notes', () => {
  const doc: SopDoc = {
    sopId: 'sop-coklit',
    version: 1,
    title: { id: 'SOP Coklit', en: 'Coklit SOP' },
    effectiveDate: '2026-12-01',
    changeNotes: { id: 'Versi pertama.', en: 'First version.' },
    body: 'Langkah 1.',
  };

  it('accepts a complete document and names each problem of a broken one', () => {
    expect(checkSop(doc)).toEqual([]);
    expect(checkSop({ ...doc, sopId: 'SOP Coklit' })).toEqual(['sopId: lowercase letters, digits and dashes']);
    expect(checkSop({ ...doc, version: 0 })).toEqual(['version: a whole number from 1']);
    expect(checkSop({ ...doc, effectiveDate: '2026-02-30' })).toEqual(['effectiveDate: a yyyy-mm-dd date']);
    expect(checkSop({ ...doc, changeNotes: { id: 'Ada.', en: ' ' } })).toEqual(['changeNotes: empty in en']);
    expect(checkSop({ ...doc, body: 'x'.repeat(50_001) })).toEqual(['body: longer than 50000 characters']);
  });

  it('keeps the newest version of each SOP', () => {
    const docs = [doc, { ...doc, version: 3 }, { ...doc, version: 2 }, { ...doc, sopId: 'sop-akreditasi' }];
    expect(currentSops(docs).map((d) => `${d.sopId}@${d.version}`)).toEqual(['sop-akreditasi@1', 'sop-coklit@3']);
  });

  it('checks a form version’s effective date and change notes', () => {
    expect(checkDefinition({ ...ppidPermohonanV1, version: 2, effectiveDate: '2026-12-01', changeNotes: { id: 'Ada.', en: 'Some.' } })).toEqual([]);
    expect(checkDefinition({ ...ppidPermohonanV1, version: 2, effectiveDate: '1-12-2026', changeNotes: { id: 'Ada.', en: '' } })).toEqual([
      'ppid-permohonan@2: changeNotes: empty in en',
      'ppid-permohonan@2: effectiveDate 1-12-2026 is not a yyyy-mm-dd date',
    ]);
  });
});
