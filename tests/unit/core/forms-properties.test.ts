// Properties of the one validator: conditions and repeat groups, identity numbers, never throwing,
// and the promise that the page and the server give the same verdict on the same answers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { fullContext } from '../../../core/forms/full-context.ts';
import type { FieldDef, FormDef } from '../../../core/forms/definition.ts';
import { cleanAnswers, isRequired, isVisible, validateForm } from '../../../core/forms/validate.ts';
import { checkKk } from '../../../core/forms/identity.ts';
import { ulid } from '../../../core/ids.ts';
import { buildEnvelope } from '../../../src/db/outbox.ts';
import { checkItem } from '../../../server/services/item-check.ts';
import { sampleAnswers } from '../../support/form-filler.ts';

const NOW = Date.parse('2026-06-01T03:00:00Z');
const context = fullContext(NOW);

const label = { id: 'L', en: 'L' };

/** A small form whose visibility and requirement hang on a choice, a multichoice and a yes/no. */
const condForm: FormDef = {
  formId: 'uji-kondisi',
  version: 1,
  formatVersion: 2,
  audience: 'officer',
  title: label,
  summary: label,
  nextSteps: label,
  titleField: 'a',
  fields: [
    { name: 'a', type: 'choice', label, choices: ['x', 'y', 'z'].map((value) => ({ value, label })) },
    { name: 'm', type: 'multichoice', label, choices: ['p', 'q'].map((value) => ({ value, label })) },
    { name: 'yn', type: 'yesno', label },
    { name: 'b', type: 'text', label, showIf: { field: 'a', equals: 'x' }, required: true },
    { name: 'c', type: 'text', label, requiredIf: { field: 'm', contains: 'q' } },
    { name: 'd', type: 'text', label, showIf: { field: 'b', notEmpty: true }, requiredIf: { field: 'yn', in: ['ya'] } },
    {
      name: 'g',
      type: 'repeat',
      label,
      minItems: 1,
      maxItems: 3,
      fields: [
        { name: 'k', type: 'choice', label, choices: ['1', '2'].map((value) => ({ value, label })) },
        { name: 'n', type: 'nik', label, showIf: { field: 'k', equals: '2' }, required: true },
        { name: 't', type: 'text', label, requiredIf: { field: 'a', equals: 'z' } },
      ],
    },
  ],
};

const text = fc.oneof(fc.constant(''), fc.constantFrom('x', 'y', 'z', 'ya', 'tidak', 'isi', '  '), fc.string({ maxLength: 8 }));
const entry = fc.record({ k: fc.constantFrom('1', '2', ''), n: fc.constantFrom('1901024501900001', '123', ''), t: text }, { requiredKeys: [] });
const condData = fc.record(
  {
    a: fc.constantFrom('x', 'y', 'z', ''),
    m: fc.subarray(['p', 'q']),
    yn: fc.constantFrom('ya', 'tidak', ''),
    b: text,
    c: text,
    d: text,
    g: fc.array(entry, { maxLength: 5 }),
  },
  { requiredKeys: [] },
);

function fieldsByPath(form: FormDef): Map<string, FieldDef> {
  const out = new Map<string, FieldDef>();
  for (const f of form.fields) out.set(f.name, f);
  return out;
}

describe('conditions and repeat groups', () => {
  it('hidden fields never produce errors once answers are cleaned', () => {
    fc.assert(
      fc.property(condData, (data) => {
        const clean = cleanAnswers(condForm, data);
        const verdict = validateForm(condForm, clean);
        for (const field of condForm.fields) {
          if (isVisible(condForm, field, clean)) continue;
          expect(verdict.errors.filter((e) => e.field === field.name || e.field.startsWith(`${field.name}[`))).toEqual([]);
        }
        expect(verdict.errors.filter((e) => e.code === 'not_applicable' || e.code === 'unknown_field')).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('a required-if field is required exactly when its condition holds', () => {
    const c = fieldsByPath(condForm).get('c')!;
    fc.assert(
      fc.property(condData, (data) => {
        const clean = cleanAnswers(condForm, data);
        delete clean.c;
        const holds = Array.isArray(clean.m) && clean.m.includes('q');
        expect(isRequired(condForm, c, clean)).toBe(holds);
        expect(validateForm(condForm, clean).errors.some((e) => e.field === 'c' && e.code === 'required')).toBe(holds);
      }),
      { numRuns: 300 },
    );
  });

  it('a field shown only under a hidden field stays hidden (no stale branch opens another)', () => {
    const data = cleanAnswers(condForm, { a: 'y', b: 'stale', d: 'x', yn: 'ya' });
    expect(data).toEqual({ a: 'y', yn: 'ya' });
    expect(validateForm(condForm, { a: 'y', b: 'stale', d: 'x' }).errors).toEqual(
      expect.arrayContaining([
        { field: 'b', code: 'not_applicable' },
        { field: 'd', code: 'not_applicable' },
      ]),
    );
  });

  it('counts repeat entries against min and max, and names issues by path', () => {
    fc.assert(
      fc.property(condData, (data) => {
        const clean = cleanAnswers(condForm, data);
        const errors = validateForm(condForm, clean).errors;
        const n = Array.isArray(clean.g) ? clean.g.length : 0;
        expect(errors.some((e) => e.field === 'g' && e.code === 'repeat_too_many')).toBe(n > 3);
        expect(errors.some((e) => e.field === 'g' && e.code === 'repeat_too_few')).toBe(n > 0 && n < 1);
        for (const e of errors.filter((x) => x.field.startsWith('g['))) {
          const m = /^g\[(\d+)\]\.(k|n|t)$/.exec(e.field);
          expect(m, e.field).not.toBeNull();
          expect(Number(m![1])).toBeLessThan(Math.min(n, 3));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('checks fields inside entries with the entry as scope', () => {
    const verdict = validateForm(condForm, { a: 'z', g: [{ k: '2' }, { k: '1', t: 'ok' }, { k: '2', n: '1901020000000000' }] });
    expect(verdict.errors).toEqual([
      { field: 'g[0].n', code: 'required' },
      { field: 'g[0].t', code: 'required' },
      { field: 'g[2].n', code: 'nik_date' },
      { field: 'g[2].n', code: 'nik_serial' },
      { field: 'g[2].t', code: 'required' },
    ]);
    expect(validateForm(condForm, { g: ['x', { k: '3', zz: 1 }] }).errors).toEqual([
      { field: 'g[0]', code: 'not_entry' },
      { field: 'g[1].zz', code: 'unknown_field' },
      { field: 'g[1].k', code: 'bad_choice' },
    ]);
  });
});

describe('identity numbers', () => {
  const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

  it('a KK number is accepted exactly when it is 16 digits with a province code and no 00 region', () => {
    fc.assert(
      fc.property(fc.constantFrom('19', '31', '00', '99'), digits(2), digits(2), digits(10), (p, r, d, rest) => {
        const kk = p + r + d + rest;
        const ok = ['19', '31'].includes(p) && r !== '00' && d !== '00';
        expect(checkKk(kk).length === 0).toBe(ok);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!/^\d{16}$/.test(s));
        expect(checkKk(s)).toEqual(['kk_format']);
      }),
    );
  });

  it('a NIK whose birth date or sex differs from the stated one is a warning, never an error', () => {
    const form = PUBLISHED_FORMS.find((f) => f.formId === 'coklit-pilkada')!;
    fc.assert(
      fc.property(fc.date({ min: new Date('1930-01-01'), max: new Date('2008-12-31'), noInvalidDate: true }), fc.constantFrom('L', 'P'), (date, sex) => {
        const answers = { ...sampleAnswers(form), tanggalLahir: date.toISOString().slice(0, 10), jenisKelamin: sex };
        expect(validateForm(form, answers, context).errors).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('phone numbers: spacing and +62 do not change the verdict', () => {
    fc.assert(
      fc.property(digits(9), (rest) => {
        const form = PUBLISHED_FORMS[0]!;
        const base = sampleAnswers(form);
        const national = validateForm(form, { ...base, telepon: `08${rest}` });
        const international = validateForm(form, { ...base, telepon: `+62 8${rest.slice(0, 3)} ${rest.slice(3)}` });
        expect(international).toEqual(national);
      }),
    );
  });
});

/** A sample answer set with some fields replaced by arbitrary JSON, or dropped. */
function mutated(form: FormDef) {
  const names = form.fields.map((f) => f.name);
  return fc
    .tuple(
      fc.dictionary(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 6 })), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
      fc.subarray(names),
    )
    .map(([changes, dropped]) => {
      const data: Record<string, unknown> = { ...sampleAnswers(form), ...changes };
      for (const name of dropped.slice(0, 2)) delete data[name];
      return data;
    });
}

describe('the validator on any input', () => {
  it('never throws on arbitrary JSON, for every published form', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PUBLISHED_FORMS), fc.jsonValue({ maxDepth: 4 }), (form, data) => {
        const verdict = validateForm(form, data, context);
        for (const issue of [...verdict.errors, ...verdict.warnings]) expect(typeof issue.field).toBe('string');
        cleanAnswers(form, data);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...PUBLISHED_FORMS).chain((form) => fc.tuple(fc.constant(form), mutated(form))), ([form, data]) => {
        validateForm(form, data, context);
        validateForm(form, cleanAnswers(form, data), context);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same verdict on the page and on the server', () => {
    const find = (formId: string, version: number) => PUBLISHED_FORMS.find((f) => f.formId === formId && f.version === version);
    fc.assert(
      fc.property(fc.constantFrom(...PUBLISHED_FORMS).chain((form) => fc.tuple(fc.constant(form), mutated(form))), ([form, data]) => {
        // The page: what form-screen shows and what submitDraft checks, on the cleaned answers.
        const page = validateForm(form, cleanAnswers(form, data), context);
        // The server: the envelope the device builds, through JSON, into the push route's check.
        const envelope = JSON.parse(JSON.stringify(buildEnvelope(form, ulid(NOW), data, NOW))) as unknown;
        const server = checkItem(envelope, 0, find, context);
        if (page.errors.length === 0) expect(server.kind).toBe('valid');
        else expect(server).toMatchObject({ kind: 'rejected', result: { reason: 'invalid_data', errors: page.errors } });
      }),
      { numRuns: 1000 },
    );
  });

  it('without the region catalogue checks only the shape of codes, and never more than with it', () => {
    const form = PUBLISHED_FORMS.find((f) => f.formId === 'tanggapan-dps')!;
    const base = sampleAnswers(form);
    expect(validateForm(form, { ...base, wilayah: '19.01.01.9999' }, context).errors).toEqual([{ field: 'wilayah', code: 'region_unknown' }]);
    expect(validateForm(form, { ...base, wilayah: '19.01.01.9999' }, { today: context.today }).errors).toEqual([]);
    expect(validateForm(form, { ...base, wilayah: '31.71.01.1001' }).errors).toEqual([{ field: 'wilayah', code: 'region_outside' }]);
    expect(validateForm(form, { ...base, wilayah: '19.01' }).errors).toEqual([{ field: 'wilayah', code: 'region_format' }]);
  });
});
