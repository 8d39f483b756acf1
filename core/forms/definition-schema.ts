// The form definition format as a JSON Schema (TypeBox), for the API that serves definitions and
// for tests. Server-only: the page never loads the schema builder. definition.ts stays the source
// of truth; a compile-time check in server/http/form-schema.ts keeps the two in step.
import { Type } from 'typebox';
import { FIELD_TYPES } from './definition.ts';

const LocalTextSchema = Type.Object({ id: Type.String(), en: Type.String() });

export const ConditionSchema = Type.Union([
  Type.Object({ field: Type.String(), in: Type.Array(Type.String()) }),
  Type.Object({ field: Type.String(), equals: Type.String() }),
  Type.Object({ field: Type.String(), contains: Type.String() }),
  Type.Object({ field: Type.String(), notEmpty: Type.Literal(true) }),
]);

const ChoiceSchema = Type.Object({ value: Type.String(), label: LocalTextSchema });

const fieldProperties = {
  name: Type.String(),
  type: Type.Enum(FIELD_TYPES),
  label: LocalTextSchema,
  help: Type.Optional(LocalTextSchema),
  required: Type.Optional(Type.Boolean()),
  requiredIf: Type.Optional(ConditionSchema),
  showIf: Type.Optional(ConditionSchema),
  minLength: Type.Optional(Type.Integer()),
  maxLength: Type.Optional(Type.Integer()),
  choices: Type.Optional(Type.Array(ChoiceSchema)),
  choiceList: Type.Optional(Type.String()),
  autocomplete: Type.Optional(Type.String()),
  example: Type.Optional(Type.String()),
  constraints: Type.Optional(Type.Array(Type.Object({ pattern: Type.String(), message: LocalTextSchema }))),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  integer: Type.Optional(Type.Boolean()),
  minDate: Type.Optional(Type.String()),
  maxDate: Type.Optional(Type.String()),
  minItems: Type.Optional(Type.Integer()),
  maxItems: Type.Optional(Type.Integer()),
  level: Type.Optional(Type.Union([Type.Literal('regency'), Type.Literal('district'), Type.Literal('village')])),
  within: Type.Optional(Type.String()),
  birthDateField: Type.Optional(Type.String()),
  sexField: Type.Optional(Type.String()),
  accept: Type.Optional(Type.Array(Type.String())),
  maxBytes: Type.Optional(Type.Integer()),
  maxEdge: Type.Optional(Type.Integer({ minimum: 320, maximum: 4096 })),
  bounds: Type.Optional(Type.Object({ south: Type.Number(), west: Type.Number(), north: Type.Number(), east: Type.Number() })),
  itemLabel: Type.Optional(LocalTextSchema),
};

/** A field inside a repeat group: anything but another group. */
export const SubFieldDefSchema = Type.Object(fieldProperties);

export const FieldDefSchema = Type.Object({ ...fieldProperties, fields: Type.Optional(Type.Array(SubFieldDefSchema)) });

export const FormDefSchema = Type.Object({
  formId: Type.String(),
  version: Type.Integer(),
  formatVersion: Type.Optional(Type.Integer()),
  audience: Type.Union([Type.Literal('public'), Type.Literal('officer')]),
  title: LocalTextSchema,
  summary: LocalTextSchema,
  nextSteps: LocalTextSchema,
  titleField: Type.String(),
  sla: Type.Optional(Type.Object({ workingDays: Type.Integer(), extensionWorkingDays: Type.Optional(Type.Integer()) })),
  scopeField: Type.Optional(Type.String()),
  retention: Type.Optional(Type.Object({ days: Type.Integer({ minimum: 1, maximum: 3653 }) })),
  effectiveDate: Type.Optional(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' })),
  changeNotes: Type.Optional(LocalTextSchema),
  choiceLists: Type.Optional(Type.Record(Type.String(), Type.Array(ChoiceSchema))),
  fields: Type.Array(FieldDefSchema),
});
