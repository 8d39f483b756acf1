// validateForm on the PPID form and on a small form with conditions; cleanAnswers; and the
// promise that the validator never throws, whatever a device or an attacker sends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormDef } from '../../../core/forms/definition.ts';
import { cleanAnswers, validateForm } from '../../../core/forms/validate.ts';
import { ppidPermohonanV1 as PPID } from '../../../core/forms/catalog/ppid-permohonan.ts';
import { validPpid } from '../db/test-db.ts';

describe('validateForm on the PPID form', () => {
  it('accepts a complete request', () => {
    expect(validateForm(PPID, validPpid())).toEqual({ errors: [], warnings: [] });
    expect(validateForm(PPID, validPpid({ caraMenerima: 'email', email: 'siti@contoh.id' }))).toEqual({ errors: [], warnings: [] });
  });

  it.each([
    { why: 'a missing required field', data: () => withoutKey(validPpid(), 'nama'), issue: { field: 'nama', code: 'required' } },
    { why: 'a blank required field', data: () => validPpid({ alamat: '   ' }), issue: { field: 'alamat', code: 'required' } },
    { why: 'email chosen but no address', data: () => validPpid({ caraMenerima: 'email' }), issue: { field: 'email', code: 'required' } },
    { why: 'a malformed email', data: () => validPpid({ caraMenerima: 'email', email: 'siti@' }), issue: { field: 'email', code: 'email_format' } },
    { why: 'a field the form does not have', data: () => ({ ...validPpid(), agama: 'x' }), issue: { field: 'agama', code: 'unknown_field' } },
    { why: 'a number instead of text', data: () => ({ ...validPpid(), nama: 42 }), issue: { field: 'nama', code: 'not_text' } },
    { why: 'null instead of text', data: () => ({ ...validPpid(), pekerjaan: null }), issue: { field: 'pekerjaan', code: 'not_text' } },
    { why: 'a name over 100 characters', data: () => validPpid({ nama: 'a'.repeat(101) }), issue: { field: 'nama', code: 'too_long', params: { max: 100 } } },
    { why: 'too little detail', data: () => validPpid({ rincianInformasi: 'DPT' }), issue: { field: 'rincianInformasi', code: 'too_short', params: { min: 10 } } },
    { why: 'an office not on the list', data: () => validPpid({ ditujukanKepada: '31' }), issue: { field: 'ditujukanKepada', code: 'bad_choice' } },
    { why: 'a landline number', data: () => validPpid({ telepon: '0717 123456' }), issue: { field: 'telepon', code: 'phone_format' } },
    { why: 'a NIK with serial 0000', data: () => validPpid({ nik: '1901024501900000' }), issue: { field: 'nik', code: 'nik_serial' } },
  ])('refuses $why', ({ data, issue }) => {
    expect(validateForm(PPID, data()).errors).toContainEqual(issue);
  });

  it('does not require the email when another way of receiving is chosen', () => {
    for (const cara of ['salinan', 'ambil']) {
      expect(validateForm(PPID, validPpid({ caraMenerima: cara })).errors).toEqual([]);
    }
  });

  it('accepts exactly 100 characters of name, counting after trimming', () => {
    expect(validateForm(PPID, validPpid({ nama: ` ${'a'.repeat(100)} ` })).errors).toEqual([]);
  });
});

/** A form with the identity fields the NIK is checked against, and a field shown conditionally. */
const identityForm: FormDef = {
  formId: 'uji-identitas',
  version: 1,
  audience: 'officer',
  title: { id: 'Uji', en: 'Test' },
  summary: { id: '', en: '' },
  nextSteps: { id: '', en: '' },
  titleField: 'nik',
  fields: [
    { name: 'nik', type: 'nik', label: { id: 'NIK', en: 'NIK' }, required: true },
    { name: 'tanggalLahir', type: 'date', label: { id: 'Tanggal lahir', en: 'Birth date' } },
    {
      name: 'jenisKelamin',
      type: 'choice',
      label: { id: 'Jenis kelamin', en: 'Sex' },
      choices: [
        { value: 'L', label: { id: 'Laki-laki', en: 'Male' } },
        { value: 'P', label: { id: 'Perempuan', en: 'Female' } },
      ],
    },
    { name: 'disabilitas', type: 'choice', label: { id: 'Disabilitas', en: 'Disability' }, choices: [{ value: 'ya', label: { id: 'Ya', en: 'Yes' } }, { value: 'tidak', label: { id: 'Tidak', en: 'No' } }] },
    { name: 'jenisDisabilitas', type: 'text', label: { id: 'Jenis', en: 'Kind' }, showIf: { field: 'disabilitas', in: ['ya'] }, required: true },
  ],
};

describe('validateForm with identity fields and conditions', () => {
  it('turns a birth date or sex that differs from the NIK into warnings, not errors', () => {
    const verdict = validateForm(identityForm, { nik: '1901024501900001', tanggalLahir: '1990-02-05', jenisKelamin: 'L' });
    expect(verdict.errors).toEqual([]);
    expect(verdict.warnings).toEqual([
      { field: 'nik', code: 'nik_birthdate_mismatch' },
      { field: 'nik', code: 'nik_sex_mismatch' },
    ]);
    expect(validateForm(identityForm, { nik: '1901024501900001', tanggalLahir: '1990-01-05', jenisKelamin: 'P' })).toEqual({ errors: [], warnings: [] });
  });

  it('requires a shown field, refuses a hidden one that has a value, and cleans hidden fields out', () => {
    expect(validateForm(identityForm, { nik: '1901024501900001', disabilitas: 'ya' }).errors).toEqual([{ field: 'jenisDisabilitas', code: 'required' }]);
    expect(validateForm(identityForm, { nik: '1901024501900001', disabilitas: 'tidak', jenisDisabilitas: 'netra' }).errors).toEqual([
      { field: 'jenisDisabilitas', code: 'not_applicable' },
    ]);
    expect(cleanAnswers(identityForm, { nik: ' 1901024501900001 ', tanggalLahir: '', disabilitas: 'tidak', jenisDisabilitas: 'netra' })).toEqual({
      nik: '1901024501900001',
      disabilitas: 'tidak',
    });
  });

  it('refuses an impossible date', () => {
    expect(validateForm(identityForm, { nik: '1901024501900001', tanggalLahir: '1990-02-30' }).errors).toEqual([{ field: 'tanggalLahir', code: 'bad_date' }]);
  });
});

function withoutKey(data: Record<string, string>, key: string): Record<string, string> {
  const { [key]: _dropped, ...rest } = data;
  return rest;
}

const fieldNames = [...PPID.fields.map((f) => f.name), ...identityForm.fields.map((f) => f.name)];

/** JSON objects whose keys are often real field names, with any JSON value, as a pushed item's data may be. */
const arbitraryData = fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), fc.string()), fc.jsonValue(), { maxKeys: 20 });

describe('validator properties', () => {
  it('never throws on arbitrary JSON objects, and reports issues only as data', () => {
    fc.assert(
      fc.property(fc.constantFrom(PPID, identityForm), arbitraryData, (form, data) => {
        const verdict = validateForm(form, data);
        for (const issue of [...verdict.errors, ...verdict.warnings]) {
          expect(typeof issue.field).toBe('string');
          expect(typeof issue.code).toBe('string');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on text answers with arbitrary unicode, and cleaned answers carry no type or field errors', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...PPID.fields.map((f) => f.name)), fc.string({ unit: 'grapheme' })), (data) => {
        const verdict = validateForm(PPID, cleanAnswers(PPID, data));
        expect(verdict.errors.filter((e) => e.code === 'unknown_field' || e.code === 'not_text' || e.code === 'not_applicable')).toEqual([]);
      }),
    );
  });
});
