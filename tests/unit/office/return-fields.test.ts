// Which fields a return for completion may name (core/office/return-fields.ts): every answer field
// of every published form, in the form's order, photos and documents included (a completion carries
// new files), and never a section (a section is no answer).
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { FIELD_TYPES, type FieldDef } from '../../../core/forms/definition.ts';
import { completable, completableFields } from '../../../core/office/return-fields.ts';

it('offers every answer field of each published form in order, files included, and no section', () => {
  for (const form of PUBLISHED_FORMS) {
    const offered = completableFields(form).map((f) => f.name);
    expect(offered).toEqual(form.fields.filter((f) => f.type !== 'section').map((f) => f.name));
  }
  // The complaint's photo of evidence is among the published forms' fields, and offered.
  const complaint = PUBLISHED_FORMS.find((f) => f.formId === 'pengaduan')!;
  expect(completableFields(complaint).some((f) => f.name === 'bukti')).toBe(true);
});

it('a field is completable exactly when it is not a section', () => {
  fc.assert(
    fc.property(fc.constantFrom(...FIELD_TYPES), (type) => {
      expect(completable({ type } as Pick<FieldDef, 'type'>)).toBe(type !== 'section');
    }),
  );
});
