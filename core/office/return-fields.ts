// Which of a form's fields the office may send back for completion (perlu dilengkapi). A completion
// is revision n of the request, carrying answers only: it cannot carry files yet (a photo or a
// document would need its own upload and holder on the phone, and the server's link of the file to
// the request's new revision), so file fields are not offered and the server refuses them. A
// section is a heading, not an answer.
import type { FieldDef, FieldType, FormDef } from '../forms/definition.ts';

const NOT_COMPLETABLE: ReadonlySet<FieldType> = new Set<FieldType>(['photo', 'document', 'section']);

export function completable(field: Pick<FieldDef, 'type'>): boolean {
  return !NOT_COMPLETABLE.has(field.type);
}

/** The form's top-level fields a return may name, in the form's order. */
export function completableFields(form: Pick<FormDef, 'fields'>): FieldDef[] {
  return form.fields.filter(completable);
}
