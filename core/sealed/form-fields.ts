// The field names a packed envelope's answers are ordered by: every field of the form version,
// in definition order. Both ends derive them from the same published definition.
import type { FormDef } from '../forms/definition.ts';
import type { FieldNames } from './envelope-codec.ts';

export function fieldNamesOf(form: Pick<FormDef, 'fields'>): FieldNames {
  return form.fields.map((f) => f.name);
}
