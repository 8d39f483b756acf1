// The shape of a published form as the API serves it, mirroring core/forms/definition.ts. A test
// checks every published form against it, so the two cannot silently diverge.
import { Type, type Static } from 'typebox';
import { FormDefSchema } from '../../core/forms/definition-schema.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { SOP_BODY_MAX_CHARS, SOP_ID_PATTERN, SOP_TEXT_MAX_CHARS, type SopDoc } from '../../core/forms/sop.ts';

// The definition schema lives with the definition format in core/forms (format 2).
export { FieldDefSchema, FormDefSchema } from '../../core/forms/definition-schema.ts';

const SopTextSchema = Type.Object({ id: Type.String({ maxLength: SOP_TEXT_MAX_CHARS }), en: Type.String({ maxLength: SOP_TEXT_MAX_CHARS }) });

/** An SOP document (core/forms/sop.ts), as published and as served; checkSop adds the rest. */
export const SopDocSchema = Type.Object(
  {
    sopId: Type.String({ pattern: SOP_ID_PATTERN }),
    version: Type.Integer({ minimum: 1, maximum: 999_999_999 }),
    title: SopTextSchema,
    effectiveDate: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
    changeNotes: SopTextSchema,
    body: Type.String({ minLength: 1, maxLength: SOP_BODY_MAX_CHARS }),
  },
  { additionalProperties: false },
);
const _sopSchemaIsSopDoc: (served: Static<typeof SopDocSchema>) => SopDoc = (served) => served;
void _sopSchemaIsSopDoc;

export const FormsResponseSchema = Type.Object({
  /** Every published version that is not retired; devices cache them for offline use. */
  forms: Type.Array(FormDefSchema),
  /** Versions a device should stop offering for new requests (old ones are still accepted). */
  retired: Type.Array(Type.Object({ formId: Type.String(), version: Type.Integer() })),
  /** The current version of each SOP document, for reading offline. */
  sops: Type.Array(SopDocSchema),
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
