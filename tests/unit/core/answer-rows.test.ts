// The opened request shows the form's labels in the form's order and codes by name (issue 17,
// point 1): a property over generated form definitions, and the PPID request as an officer sees it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerRows, humanDay, requestSummary } from '../../../core/forms/answer-rows.ts';
import { ppidPermohonanV1 } from '../../../core/forms/catalog/ppid-permohonan.ts';
import type { FieldDef, FieldType, FormDef } from '../../../core/forms/definition.ts';
import { REGIONS } from '../../../core/forms/full-context.ts';
import type { Lang } from '../../../core/local-text.ts';

const TYPES: FieldType[] = ['text', 'longtext', 'email', 'choice', 'multichoice', 'yesno', 'date', 'region', 'number'];
const REGION_NAMES: Record<string, string> = { '19.01': 'Kab. Bangka', '19.05': 'Kab. Bangka Barat', '19.71': 'Kota Pangkalpinang' };

/** A generated form: distinct camelCase names, labels unlike the names, choices coded unlike their labels. */
const formArb = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-zA-Z]{1,8}$/), { minLength: 1, maxLength: 10 })
  .chain((names) =>
    fc.tuple(fc.constant(names), fc.array(fc.constantFrom(...TYPES), { minLength: names.length, maxLength: names.length })),
  )
  .map(([names, types]): FormDef => {
    const fields: FieldDef[] = names.map((name, i) => {
      const type = types[i]!;
      const label = { id: `Pertanyaan ${i + 1}`, en: `Question ${i + 1}` };
      if (type === 'choice' || type === 'multichoice') {
        return { name, type, label, choices: ['19.05', 'a', 'b2'].map((value, k) => ({ value, label: { id: `Pilihan ${k}`, en: `Option ${k}` } })) };
      }
      return { name, type, label, ...(type === 'region' ? { level: 'regency' as const } : {}) };
    });
    return { formId: 'uji', version: 1, formatVersion: 2, audience: 'public', title: { id: 'Uji', en: 'Test' }, summary: { id: 's', en: 's' }, nextSteps: { id: 'n', en: 'n' }, titleField: names[0]!, fields };
  });

function answerFor(field: FieldDef): fc.Arbitrary<unknown> {
  switch (field.type) {
    case 'choice':
      return fc.constantFrom('19.05', 'a', 'b2');
    case 'multichoice':
      return fc.subarray(['19.05', 'a', 'b2'], { minLength: 1 });
    case 'yesno':
      return fc.constantFrom('ya', 'tidak');
    case 'date':
      return fc.constantFrom('2026-12-07', '2024-02-29');
    case 'region':
      return fc.constantFrom(...Object.keys(REGION_NAMES));
    case 'number':
      return fc.integer({ min: 0, max: 999 }).map(String);
    default:
      return fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '');
  }
}

const caseArb = formArb.chain((form) =>
  fc.tuple(
    fc.constant(form),
    fc.record(Object.fromEntries(form.fields.map((f) => [f.name, answerFor(f)])), { requiredKeys: [] }),
    fc.constantFrom<Lang>('id', 'en'),
  ),
);

const names = { region: (code: string) => REGION_NAMES[code] };

describe('answerRows', () => {
  it('lists the answered fields in the form’s order, under their labels, codes shown by name', () => {
    fc.assert(
      fc.property(caseArb, ([form, data, lang]) => {
        const rows = answerRows(form, data, lang, names);
        const answered = form.fields.filter((f) => f.name in data);
        expect(rows.map((r) => r.name)).toEqual(answered.map((f) => f.name));
        for (const [i, row] of rows.entries()) {
          const field = answered[i]!;
          expect(row.label).toBe(field.label[lang]);
          const value = data[field.name];
          const labelOf = (code: string) => field.choices!.find((c) => c.value === code)!.label[lang];
          if (field.type === 'choice') expect(row.value).toBe(labelOf(value as string));
          if (field.type === 'multichoice') expect(row.value).toBe((value as string[]).map(labelOf).join(', '));
          if (field.type === 'region') expect(row.value).toBe(REGION_NAMES[value as string]);
          if (field.type === 'yesno') expect(row.value).toBe(value === 'ya' ? (lang === 'id' ? 'Ya' : 'Yes') : lang === 'id' ? 'Tidak' : 'No');
          if (field.type === 'date') expect(row.value).toBe(humanDay(value as string, lang));
          if (['choice', 'multichoice', 'region', 'yesno', 'date'].includes(field.type)) expect(row.value).not.toBe(value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('shows the PPID request as the applicant filled it: labels in order, the office by name', () => {
    const data = {
      tujuanPenggunaan: 'Bahan penelitian skripsi',
      rincianInformasi: 'Salinan daftar pemilih tetap Desa Air Nyatoh',
      ditujukanKepada: '19.05',
      caraMenerima: 'email',
      email: 'siti@example.id',
      nama: 'Siti Rahma',
      alamat: 'Jl. Pantai 3, Muntok',
    };
    const id = answerRows(ppidPermohonanV1, data, 'id', { region: (c) => REGIONS.nameOf(c) });
    expect(id.map((r) => [r.label, r.value])).toEqual([
      ['Ditujukan kepada', 'KPU Kabupaten Bangka Barat'],
      ['Nama lengkap', 'Siti Rahma'],
      ['Alamat', 'Jl. Pantai 3, Muntok'],
      ['Rincian informasi yang dibutuhkan', 'Salinan daftar pemilih tetap Desa Air Nyatoh'],
      ['Tujuan penggunaan informasi', 'Bahan penelitian skripsi'],
      ['Cara menerima informasi', 'Salinan lewat email'],
      ['Email', 'siti@example.id'],
    ]);
    const en = answerRows(ppidPermohonanV1, data, 'en');
    expect(en[0]).toMatchObject({ label: 'Addressed to', value: 'KPU Kabupaten Bangka Barat' });
    expect(en.at(-2)).toMatchObject({ label: 'How to receive it', value: 'Copy by email' });
  });

  it('keeps an answer the form does not name, under its key, at the end', () => {
    const rows = answerRows(ppidPermohonanV1, { nama: 'Siti', catatanLama: 'x' }, 'id');
    expect(rows.map((r) => r.label)).toEqual(['Nama lengkap', 'catatanLama']);
  });
});

describe('requestSummary', () => {
  it('names a request by its subject and who filed it, never by an identity number', () => {
    expect(requestSummary(ppidPermohonanV1, { nama: ' Siti Rahma ', nik: '1971014507900001', rincianInformasi: 'Salinan DPT' })).toEqual({
      subject: { id: 'Salinan DPT', en: 'Salinan DPT' },
      name: 'Siti Rahma',
    });
    const nikTitled: FormDef = { ...ppidPermohonanV1, titleField: 'nik' };
    expect(requestSummary(nikTitled, { nik: '1971014507900001' })).toEqual({ subject: null, name: null });
  });

  it('shortens a long subject to one line', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 400 }).filter((s) => s.trim() !== ''), (text) => {
        const s = requestSummary(ppidPermohonanV1, { rincianInformasi: text }).subject!;
        expect([...s.id].length).toBeLessThanOrEqual(80);
        expect(s.id).not.toMatch(/\n/);
      }),
    );
  });
});
