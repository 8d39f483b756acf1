// The shape of a published form as the API serves it, mirroring core/forms/definition.ts. A test
// checks every published form against it, so the two cannot silently diverge.
import { Type, type Static } from 'typebox';
import { FormDefSchema } from '../../core/forms/definition-schema.ts';
import type { FormDef } from '../../core/forms/definition.ts';

// The definition schema lives with the definition format in core/forms (format 2).
export { FieldDefSchema, FormDefSchema } from '../../core/forms/definition-schema.ts';

export const FormsResponseSchema = Type.Object({
  /** Every published version that is not retired; devices cache them for offline use. */
  forms: Type.Array(FormDefSchema),
  /** Versions a device should stop offering for new requests (old ones are still accepted). */
  retired: Type.Array(Type.Object({ formId: Type.String(), version: Type.Integer() })),
});

export type ServedFormDef = Static<typeof FormDefSchema>;

/**
 * FormDef uses readonly arrays, the schema's static type mutable ones; the data is the same.
 * The assignment below fails to compile if the schema ever describes something FormDef is not.
 */
export function toServedForm(definition: FormDef): ServedFormDef {
  return definition as ServedFormDef;
}
const _servedIsFormDef: (served: ServedFormDef) => FormDef = (served) => served;
void _servedIsFormDef;
