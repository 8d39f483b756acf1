// Which of a form's fields the office may send back for completion (perlu dilengkapi). A completion
// is revision n of the request and may carry new photos and documents: the phone holds the chosen
// file for the request and uploads it once the completion is acknowledged, and the server names it
// for the request (the first version's file stays named, kept with the history; see
// server/services/completion.ts). A section is a heading, not an answer, so it is never offered.
import type { FieldDef, FieldType, FormDef } from '../forms/definition.ts';

const NOT_COMPLETABLE: ReadonlySet<FieldType> = new Set<FieldType>(['section']);

export function completable(field: Pick<FieldDef, 'type'>): boolean {
  return !NOT_COMPLETABLE.has(field.type);
}

/** The form's top-level fields a return may name, in the form's order. */
export function completableFields(form: Pick<FormDef, 'fields'>): FieldDef[] {
  return form.fields.filter(completable);
}
