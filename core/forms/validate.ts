// The one validator: the page runs it as the user types, the server runs it on every pushed item
// against the exact form version the item was made with. Same input, same verdict.
import { checkNik, type Sex } from '../nik.ts';
import { checkPhone } from '../phone.ts';
import type { Condition, FieldDef, FormData, FormDef } from './definition.ts';
import type { IssueCode } from './messages.ts';

export interface FieldIssue {
  field: string;
  code: IssueCode;
  params?: Record<string, number>;
}

export interface Verdict {
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function valueOf(data: Readonly<Record<string, unknown>>, name: string): string {
  const v = data[name];
  return typeof v === 'string' ? v.trim() : '';
}

export function holds(condition: Condition | undefined, data: Readonly<Record<string, unknown>>): boolean {
  if (!condition) return true;
  return condition.in.includes(valueOf(data, condition.field));
}

export function isVisible(field: FieldDef, data: Readonly<Record<string, unknown>>): boolean {
  return holds(field.showIf, data);
}

export function isRequired(field: FieldDef, data: Readonly<Record<string, unknown>>): boolean {
  if (!isVisible(field, data)) return false;
  return field.required === true || (field.requiredIf !== undefined && holds(field.requiredIf, data));
}

function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function checkValue(field: FieldDef, value: string, data: Readonly<Record<string, unknown>>, out: Verdict): void {
  const issue = (code: IssueCode, params?: Record<string, number>) =>
    out.errors.push(params ? { field: field.name, code, params } : { field: field.name, code });
  if (field.minLength !== undefined && value.length < field.minLength) issue('too_short', { min: field.minLength });
  if (field.maxLength !== undefined && value.length > field.maxLength) issue('too_long', { max: field.maxLength });
  switch (field.type) {
    case 'email':
      if (!EMAIL_RE.test(value)) issue('email_format');
      break;
    case 'phone':
      for (const code of checkPhone(value)) issue(code);
      break;
    case 'date':
      if (!isValidDate(value)) issue('bad_date');
      break;
    case 'choice':
      if (!field.choices?.some((c) => c.value === value)) issue('bad_choice');
      break;
    case 'nik': {
      const birthDate = valueOf(data, 'tanggalLahir') || undefined;
      const sexValue = valueOf(data, 'jenisKelamin');
      const sex = sexValue === 'L' || sexValue === 'P' ? (sexValue as Sex) : undefined;
      const verdict = checkNik(value, { birthDate, sex });
      for (const code of verdict.errors) issue(code);
      for (const code of verdict.warnings) out.warnings.push({ field: field.name, code });
      break;
    }
    case 'text':
    case 'longtext':
      break;
  }
}

/** Checks answers against a form definition. Never throws, whatever `data` holds. */
export function validateForm(form: FormDef, input: Readonly<Record<string, unknown>>): Verdict {
  const out: Verdict = { errors: [], warnings: [] };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    out.errors.push({ field: '', code: 'not_object' });
    return out;
  }
  const data = input;
  const known = new Set(form.fields.map((f) => f.name));
  for (const key of Object.keys(data)) {
    if (!known.has(key)) out.errors.push({ field: key, code: 'unknown_field' });
  }
  for (const field of form.fields) {
    const raw = data[field.name];
    if (raw !== undefined && typeof raw !== 'string') {
      out.errors.push({ field: field.name, code: 'not_text' });
      continue;
    }
    const value = valueOf(data, field.name);
    if (!isVisible(field, data)) {
      if (value !== '') out.errors.push({ field: field.name, code: 'not_applicable' });
      continue;
    }
    if (value === '') {
      if (isRequired(field, data)) out.errors.push({ field: field.name, code: 'required' });
      continue;
    }
    checkValue(field, value, data, out);
  }
  return out;
}

/** What the device queues: trimmed answers, without empty or hidden fields. */
export function cleanAnswers(form: FormDef, data: Readonly<Record<string, unknown>>): FormData {
  const out: FormData = {};
  for (const field of form.fields) {
    const value = valueOf(data, field.name);
    if (value !== '' && isVisible(field, data)) out[field.name] = value;
  }
  return out;
}
