// The region a submission concerns, which decides whose inbox shows it and which officers may
// push it. A form names the field with `scopeField`; without it the first top-level field that
// holds a region code decides: a region field, or a choice whose values are all region codes
// (the "addressed to" list of KPU offices). No such field, or no answer in it: the province.
import type { FieldDef, FormDef } from '../forms/definition.ts';
import { PROVINCE_CODE } from '../regions.ts';
import { mayPushForm, type Actor } from './access.ts';
import { scopeLevel } from './roles.ts';
import { covers } from './scope.ts';

function holdsRegion(field: FieldDef, form: FormDef): boolean {
  if (field.type === 'region') return true;
  if (field.type !== 'choice') return false;
  const choices = field.choices ?? (field.choiceList !== undefined ? form.choiceLists?.[field.choiceList] : undefined);
  return choices !== undefined && choices.length > 0 && choices.every((c) => scopeLevel(c.value) !== undefined);
}

/** The field whose answer scopes submissions of this form, if any. */
export function scopeFieldOf(form: FormDef): string | undefined {
  if (form.scopeField !== undefined) return form.scopeField;
  return form.fields.find((f) => holdsRegion(f, form))?.name;
}

/** The region code of one submission; always a code inside the province. */
export function submissionRegion(form: FormDef, data: Readonly<Record<string, unknown>>): string {
  const field = scopeFieldOf(form);
  const value = field === undefined ? undefined : data[field];
  if (typeof value === 'string' && scopeLevel(value) !== undefined && covers(PROVINCE_CODE, value)) return value;
  return PROVINCE_CODE;
}

/**
 * The page's copy of the server's push check (server/auth/submission-access.ts): an officer form
 * whose region lies outside the officer's scope is refused `forbidden` there, so the page flags it
 * beside the region field before the entry is sealed and queued. With no officer logged in there
 * is no assigned area to be outside of: the person is told the form needs an officer's login.
 */
export function scopeIssue(
  form: FormDef,
  data: Readonly<Record<string, unknown>>,
  officer: Actor | undefined,
): { field: string; code: 'out_of_scope' | 'officer_only' } | undefined {
  if (form.audience !== 'officer') return undefined;
  if (mayPushForm(officer, form.audience, submissionRegion(form, data))) return undefined;
  return { field: scopeFieldOf(form) ?? form.fields[0]?.name ?? '', code: officer === undefined ? 'officer_only' : 'out_of_scope' };
}
