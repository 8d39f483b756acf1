// Every published form is well formed, is served by the definition schema, and can be filled:
// the test filler's answers pass the validator, so e2e tests can drive any form.
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_FORMS, findForm, latestForms } from '../../../core/forms/catalog/index.ts';
import { ppidPermohonanV1 } from '../../../core/forms/catalog/ppid-permohonan.ts';
import { checkDefinition } from '../../../core/forms/check-definition.ts';
import { FormDefSchema } from '../../../core/forms/definition-schema.ts';
import { fullContext } from '../../../core/forms/full-context.ts';
import { validateForm } from '../../../core/forms/validate.ts';
import { sampleAnswers } from '../../support/form-filler.ts';

const context = fullContext(Date.parse('2026-06-01T00:00:00Z'));

describe.each(PUBLISHED_FORMS.map((f) => [`${f.formId}@${f.version}`, f] as const))('%s', (_, form) => {
  it('is well formed', () => {
    expect(checkDefinition(form)).toEqual([]);
  });

  it('matches the definition schema the API serves', () => {
    expect(Compile(FormDefSchema).Check(form)).toBe(true);
  });

  it("accepts the test filler's sample answers", () => {
    const verdict = validateForm(form, sampleAnswers(form), context);
    expect(verdict.errors).toEqual([]);
  });

  it('says who answers (next steps) in both languages', () => {
    expect(form.nextSteps.id.length).toBeGreaterThan(40);
    expect(form.nextSteps.en.length).toBeGreaterThan(40);
  });
});

describe('the catalogue', () => {
  it('keeps the PPID form version 1 for ever, and has one entry per form version', () => {
    expect(findForm(PUBLISHED_FORMS, 'ppid-permohonan', 1)).toBe(ppidPermohonanV1);
    const keys = PUBLISHED_FORMS.map((f) => `${f.formId}@${f.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(latestForms(PUBLISHED_FORMS).length).toBe(new Set(PUBLISHED_FORMS.map((f) => f.formId)).size);
  });

  it('gives every version after the first its effective date and change notes in both languages', () => {
    const later = PUBLISHED_FORMS.filter((f) => f.version > 1);
    expect(later.map((f) => `${f.formId}@${f.version}`)).toContain('skm@2');
    for (const f of later) {
      expect(f.effectiveDate, f.formId).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(f.changeNotes?.id, f.formId).toBeTruthy();
      expect(f.changeNotes?.en, f.formId).toBeTruthy();
    }
  });

  it('offers skm@2, which adds only the rated office (the list of KPU offices the PPID request uses) to skm@1', () => {
    const v1 = findForm(PUBLISHED_FORMS, 'skm', 1);
    const v2 = findForm(PUBLISHED_FORMS, 'skm', 2);
    expect(latestForms(PUBLISHED_FORMS).find((f) => f.formId === 'skm')).toBe(v2);
    const office = v2?.fields.find((f) => f.name === 'kantorDinilai');
    expect(office).toMatchObject({ type: 'choice', required: true });
    expect(office?.choices).toEqual(ppidPermohonanV1.fields.find((f) => f.name === 'ditujukanKepada')?.choices);
    expect(office?.choices?.map((c) => c.value)).toEqual(['19', '19.01', '19.02', '19.03', '19.04', '19.05', '19.06', '19.71']);
    // Near the top: right after the opening heading.
    expect(v2?.fields.findIndex((f) => f.name === 'kantorDinilai')).toBe(1);
    const byName = (f: typeof v1) => new Map(f?.fields.map((x) => [x.name, x]));
    const added = [...byName(v2).keys()].filter((n) => !byName(v1).has(n));
    expect(added.sort()).toEqual(['dinilai', 'kantorDinilai']);
    for (const [name, field] of byName(v1)) expect(byName(v2).get(name), name).toEqual(field);
  });

  it('catches broken definitions', () => {
    const broken = {
      ...ppidPermohonanV1,
      titleField: 'nothing',
      fields: [
        ...ppidPermohonanV1.fields,
        { name: 'nama', type: 'text', label: { id: 'Dua', en: '' } },
        { name: 'x', type: 'text', label: { id: 'X', en: 'X' }, showIf: { field: 'missing', equals: 'a' } },
        { name: 'y', type: 'choice', label: { id: 'Y', en: 'Y' }, choices: [] },
        { name: 'z', type: 'text', label: { id: 'Z', en: 'Z' }, constraints: [{ pattern: '(', message: { id: 'a', en: 'b' } }] },
      ],
    } as const;
    const problems = checkDefinition(broken).join('\n');
    for (const expected of ['titleField nothing', 'nama: duplicate name', 'nama.label: empty in en', 'no field missing', 'y: no choices', 'does not compile']) {
      expect(problems).toContain(expected);
    }
  });
});
