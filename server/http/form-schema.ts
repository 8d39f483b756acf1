// The shape of a published form as the API serves it, mirroring core/forms/definition.ts. A test
// checks every published form against it, so the two cannot silently diverge.
import { Type, type Static } from 'typebox';
import type { FormDef } from '../../core/forms/definition.ts';

const LocalTextSchema = Type.Object({ id: Type.String(), en: Type.String() });

const ConditionSchema = Type.Object({ field: Type.String(), in: Type.Array(Type.String()) });

export const FieldDefSchema = Type.Object({
  name: Type.String(),
  type: Type.Enum(['text', 'longtext', 'email', 'phone', 'nik', 'date', 'choice']),
  label: LocalTextSchema,
  help: Type.Optional(LocalTextSchema),
  required: Type.Optional(Type.Boolean()),
  requiredIf: Type.Optional(ConditionSchema),
  showIf: Type.Optional(ConditionSchema),
  minLength: Type.Optional(Type.Integer()),
  maxLength: Type.Optional(Type.Integer()),
  choices: Type.Optional(Type.Array(Type.Object({ value: Type.String(), label: LocalTextSchema }))),
  autocomplete: Type.Optional(Type.String()),
});

export const FormDefSchema = Type.Object({
  formId: Type.String(),
  version: Type.Integer(),
  audience: Type.Union([Type.Literal('public'), Type.Literal('officer')]),
  title: LocalTextSchema,
  summary: LocalTextSchema,
  nextSteps: LocalTextSchema,
  titleField: Type.String(),
  sla: Type.Optional(
    Type.Object({ workingDays: Type.Integer(), extensionWorkingDays: Type.Optional(Type.Integer()) }),
  ),
  fields: Type.Array(FieldDefSchema),
});

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
