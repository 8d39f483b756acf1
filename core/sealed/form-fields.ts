// The fields a packed envelope's answers are ordered by: every field of the form version, in
// definition order, with the values of its choices. Both ends derive them from the same published
// definition, so the bytes need neither the answer names nor the choice values.
import type { FormDef } from '../forms/definition.ts';
import { choicesOf } from '../forms/validate.ts';
import type { PackFields } from './envelope-codec.ts';

export function packFieldsOf(form: Pick<FormDef, 'fields' | 'choiceLists'>): PackFields {
  return form.fields.map((f) => {
    const choices = f.type === 'choice' || f.type === 'multichoice' ? choicesOf(form, f).map((c) => c.value) : [];
    return choices.length > 0 ? { name: f.name, choices } : { name: f.name };
  });
}
