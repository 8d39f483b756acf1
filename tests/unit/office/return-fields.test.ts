// Which fields a return for completion may name (core/office/return-fields.ts): every answer field
// of every published form, in the form's order, and never a photo, a document or a section (a
// completion carries no files yet; a section is no answer).
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { FIELD_TYPES, type FieldDef } from '../../../core/forms/definition.ts';
import { completable, completableFields } from '../../../core/office/return-fields.ts';

it('offers every answer field of each published form in order, and no file or section', () => {
  for (const form of PUBLISHED_FORMS) {
    const offered = completableFields(form).map((f) => f.name);
    expect(offered).toEqual(form.fields.filter((f) => !['photo', 'document', 'section'].includes(f.type)).map((f) => f.name));
  }
  // The complaint's photo of evidence is among the published forms' fields, and not offered.
  const complaint = PUBLISHED_FORMS.find((f) => f.formId === 'pengaduan')!;
  expect(complaint.fields.some((f) => f.name === 'bukti')).toBe(true);
  expect(completableFields(complaint).some((f) => f.name === 'bukti')).toBe(false);
});

it('a field is completable exactly when it is not a photo, a document or a section', () => {
  fc.assert(
    fc.property(fc.constantFrom(...FIELD_TYPES), (type) => {
      expect(completable({ type } as Pick<FieldDef, 'type'>)).toBe(type !== 'photo' && type !== 'document' && type !== 'section');
    }),
  );
});
