// The one validator: the page runs it as the user types, the server runs it on every pushed item
// against the exact form version the item was made with. Same input and context, same verdict.
import { checkNik, type Sex } from '../nik.ts';
import { checkPhone } from '../phone.ts';
import type { ValidationContext } from './context.ts';
import {
  NO,
  TEXT_VALUED,
  YES,
  type Choice,
  type Condition,
  type EntryValue,
  type FieldDef,
  type FormData,
  type FormDef,
  type RepeatEntry,
} from './definition.ts';
import { checkKk } from './identity.ts';
import type { IssueCode } from './messages.ts';

export type { ValidationContext } from './context.ts';

export interface FieldIssue {
  /** A path: `nama`, or `anggota[2].nik` inside a repeat group (entries count from 0). */
  field: string;
  code: IssueCode;
  params?: Record<string, number>;
}

export interface Verdict {
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

type Rec = Readonly<Record<string, unknown>>;

/** A repeat entry being looked at: its group, and its own answers. */
export interface Within {
  group: FieldDef;
  entry: Rec;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER_RE = /^-?\d+(?:[.,]\d+)?$/;
const SHA256_RE = /^[0-9a-f]{64}$/;
const REGION_RE = {
  regency: /^\d{2}\.\d{2}$/,
  district: /^\d{2}\.\d{2}\.\d{2}$/,
  village: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/,
} as const;
const ISLAND_RE = /^\d{2}\.\d{2}\.\d{5}$/;

/** What a photo or document field accepts when its definition does not say. */
export const DEFAULT_ACCEPT = {
  photo: ['image/jpeg', 'image/png', 'image/webp'],
  document: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
} as const;
export const DEFAULT_MAX_BYTES = { photo: 5 * 1024 * 1024, document: 10 * 1024 * 1024 } as const;

export function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Object.hasOwn needs Chromium 93; the browser floor is Chromium 80. */
const hasOwn = (object: object, name: string): boolean => Object.prototype.hasOwnProperty.call(object, name);

/** An own property only: answers come from JSON, and `constructor` is not an answer. */
function own(record: Rec, name: string): unknown {
  return hasOwn(record, name) ? record[name] : undefined;
}

/** The choices of a choice or multichoice field, inline or from the form's named lists. */
export function choicesOf(form: Pick<FormDef, 'choiceLists'>, field: FieldDef): readonly Choice[] {
  if (field.choices) return field.choices;
  if (field.choiceList !== undefined && form.choiceLists && hasOwn(form.choiceLists, field.choiceList)) {
    return form.choiceLists[field.choiceList] ?? [];
  }
  return [];
}

function siblingDef(fields: readonly FieldDef[] | undefined, name: string): FieldDef | undefined {
  return fields?.find((f) => f.name === name && f.type !== 'section');
}

/**
 * The answer a condition sees: the named field's value, or nothing when that field is itself
 * hidden, so a stale answer behind a closed branch never opens another one.
 */
function conditionValue(form: FormDef, name: string, data: Rec, within: Within | undefined, seen: Set<FieldDef>): unknown {
  const sibling = within && siblingDef(within.group.fields, name);
  if (within && sibling) return shown(form, sibling, data, within, seen) ? own(within.entry, name) : undefined;
  const top = siblingDef(form.fields, name);
  if (!top) return undefined;
  return shown(form, top, data, undefined, seen) ? own(data, name) : undefined;
}

function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function conditionHolds(form: FormDef, condition: Condition, data: Rec, within: Within | undefined, seen: Set<FieldDef>): boolean {
  const value = conditionValue(form, condition.field, data, within, seen);
  if ('in' in condition) return condition.in.includes(trimmed(value));
  if ('equals' in condition) return typeof value === 'string' && value.trim() === condition.equals;
  if ('contains' in condition) return Array.isArray(value) && value.some((v) => trimmed(v) === condition.contains);
  if ('notEmpty' in condition) return !isBlank(value);
  return false;
}

function shown(form: FormDef, field: FieldDef, data: Rec, within: Within | undefined, seen: Set<FieldDef>): boolean {
  if (!field.showIf) return true;
  // A cycle of conditions is a broken definition (the catalogue test forbids it); hide, not loop.
  if (seen.has(field)) return false;
  seen.add(field);
  const result = conditionHolds(form, field.showIf, data, within, seen);
  seen.delete(field);
  return result;
}

/** Whether a condition holds over the answers (inside an entry when `within` is given). */
export function holds(form: FormDef, condition: Condition | undefined, data: Rec, within?: Within): boolean {
  return condition === undefined || conditionHolds(form, condition, data, within, new Set());
}

export function isVisible(form: FormDef, field: FieldDef, data: Rec, within?: Within): boolean {
  return shown(form, field, data, within, new Set());
}

export function isRequired(form: FormDef, field: FieldDef, data: Rec, within?: Within): boolean {
  if (field.type === 'section' || !isVisible(form, field, data, within)) return false;
  return field.required === true || (field.requiredIf !== undefined && holds(form, field.requiredIf, data, within));
}

/** No answer: absent, blank text, or an empty list. */
function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

export function isValidDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

const patternCache = new Map<string, RegExp | null>();

/** A constraint's expression, anchored; null for one that does not compile (never throws). */
function compiled(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re;
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A photo or document reference has exactly these keys and types. */
function isFileRef(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === 3 &&
    typeof value.sha256 === 'string' &&
    SHA256_RE.test(value.sha256) &&
    typeof value.type === 'string' &&
    value.type.length > 0 &&
    value.type.length <= 100 &&
    Number.isSafeInteger(value.size) &&
    (value.size as number) > 0
  );
}

function isGeoPoint(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  const accuracyOk = !hasOwn(value, 'accuracy') || (finite(value.accuracy) && value.accuracy >= 0);
  return (
    keys.every((k) => k === 'lat' || k === 'lng' || k === 'accuracy') &&
    finite(value.lat) &&
    finite(value.lng) &&
    accuracyOk
  );
}

/** The first thing wrong with the kind of value, before anything else is looked at. */
function shapeIssue(field: FieldDef, raw: unknown): IssueCode | undefined {
  if (raw === undefined) return undefined;
  if (TEXT_VALUED.has(field.type)) return typeof raw === 'string' ? undefined : 'not_text';
  switch (field.type) {
    case 'multichoice':
      return Array.isArray(raw) && raw.every((v) => typeof v === 'string') ? undefined : 'not_list';
    case 'repeat':
      return Array.isArray(raw) ? undefined : 'not_list';
    case 'photo':
    case 'document':
      return isFileRef(raw) ? undefined : 'file_shape';
    case 'gps':
      return isGeoPoint(raw) ? undefined : 'gps_shape';
    default:
      return undefined;
  }
}

interface Walk {
  form: FormDef;
  root: Rec;
  context: ValidationContext;
  out: Verdict;
}

function push(list: FieldIssue[], field: string, code: IssueCode, params?: Record<string, number>): void {
  list.push(params ? { field, code, params } : { field, code });
}

function checkText(walk: Walk, field: FieldDef, path: string, value: string, scope: Rec, within: Within | undefined): void {
  const { out, context } = walk;
  const error = (code: IssueCode, params?: Record<string, number>) => push(out.errors, path, code, params);
  if (field.minLength !== undefined && value.length < field.minLength) error('too_short', { min: field.minLength });
  if (field.maxLength !== undefined && value.length > field.maxLength) error('too_long', { max: field.maxLength });
  field.constraints?.forEach((rule, index) => {
    const re = compiled(rule.pattern);
    if (re && !re.test(value)) error('constraint', { index });
  });
  switch (field.type) {
    case 'email':
      if (!EMAIL_RE.test(value)) error('email_format');
      break;
    case 'phone':
      for (const code of checkPhone(value)) error(code);
      break;
    case 'date':
      if (!isValidDate(value)) {
        error('bad_date');
        break;
      }
      if (field.minDate !== undefined && value < field.minDate) error('date_too_early');
      if (field.maxDate === 'today') {
        if (context.today !== undefined && value > context.today) error('date_future');
      } else if (field.maxDate !== undefined && value > field.maxDate) error('date_too_late');
      break;
    case 'choice':
      if (!choicesOf(walk.form, field).some((c) => c.value === value)) error('bad_choice');
      break;
    case 'yesno':
      if (value !== YES && value !== NO) error('bad_choice');
      break;
    case 'number': {
      if (!NUMBER_RE.test(value)) {
        error('number_format');
        break;
      }
      const n = Number(value.replace(',', '.'));
      if (field.integer && !Number.isInteger(n)) error('number_integer');
      if (field.min !== undefined && n < field.min) error('number_min', { min: field.min });
      if (field.max !== undefined && n > field.max) error('number_max', { max: field.max });
      break;
    }
    case 'region': {
      const level = field.level ?? 'village';
      if (!REGION_RE[level].test(value)) error('region_format');
      else if (field.within !== undefined && !value.startsWith(`${field.within}.`)) error('region_outside');
      else if (context.regions && !context.regions.has(value, level)) error('region_unknown');
      break;
    }
    case 'island':
      if (!ISLAND_RE.test(value)) error('island_format');
      else if (field.within !== undefined && !value.startsWith(`${field.within}.`)) error('region_outside');
      else if (context.regions && !context.regions.has(value, 'island')) error('island_unknown');
      break;
    case 'kk':
      for (const code of checkKk(value)) error(code);
      break;
    case 'nik': {
      // The NIK is compared with the stated birth date and sex of the same record (the entry,
      // inside a repeat group); a difference is only ever a warning.
      const near = (name: string) => trimmed(within && siblingDef(within.group.fields, name) ? own(scope, name) : own(walk.root, name));
      const birthDate = near(field.birthDateField ?? 'tanggalLahir') || undefined;
      const sexValue = near(field.sexField ?? 'jenisKelamin');
      const sex = sexValue === 'L' || sexValue === 'P' ? (sexValue as Sex) : undefined;
      const verdict = checkNik(value, { birthDate, sex });
      for (const code of verdict.errors) error(code);
      for (const code of verdict.warnings) push(out.warnings, path, code);
      break;
    }
    case 'text':
    case 'longtext':
      break;
  }
}

function checkNonText(walk: Walk, field: FieldDef, path: string, raw: unknown): void {
  const { out } = walk;
  const error = (code: IssueCode, params?: Record<string, number>) => push(out.errors, path, code, params);
  switch (field.type) {
    case 'multichoice': {
      const picked = (raw as string[]).map((v) => v.trim());
      const allowed = new Set(choicesOf(walk.form, field).map((c) => c.value));
      if (picked.some((v) => !allowed.has(v))) error('bad_choice');
      if (new Set(picked).size !== picked.length) error('duplicate_choice');
      if (field.minItems !== undefined && picked.length < field.minItems) error('choices_too_few', { min: field.minItems });
      if (field.maxItems !== undefined && picked.length > field.maxItems) error('choices_too_many', { max: field.maxItems });
      break;
    }
    case 'photo':
    case 'document': {
      const ref = raw as { type: string; size: number };
      const accept: readonly string[] = field.accept ?? DEFAULT_ACCEPT[field.type];
      const maxBytes = field.maxBytes ?? DEFAULT_MAX_BYTES[field.type];
      if (!accept.includes(ref.type)) error('file_type');
      if (ref.size > maxBytes) error('file_too_big', { maxMb: Math.round((maxBytes / (1024 * 1024)) * 10) / 10 });
      break;
    }
    case 'gps': {
      const p = raw as { lat: number; lng: number };
      if (p.lat < -90 || p.lat > 90 || p.lng < -180 || p.lng > 180) {
        error('gps_range');
        break;
      }
      const b = field.bounds;
      if (b && (p.lat < b.south || p.lat > b.north || p.lng < b.west || p.lng > b.east)) push(out.warnings, path, 'gps_outside_area');
      break;
    }
    case 'repeat': {
      const entries = raw as unknown[];
      if (field.minItems !== undefined && entries.length < field.minItems) error('repeat_too_few', { min: field.minItems });
      if (field.maxItems !== undefined && entries.length > field.maxItems) {
        // Entries past the limit are not looked at: a huge list costs one issue, not thousands.
        error('repeat_too_many', { max: field.maxItems });
      }
      const limit = Math.min(entries.length, field.maxItems ?? entries.length);
      for (let i = 0; i < limit; i++) {
        const entry = entries[i];
        const entryPath = `${path}[${i}]`;
        if (isRecord(entry)) walkFields(walk, field.fields ?? [], entry, { group: field, entry }, `${entryPath}.`);
        else push(out.errors, entryPath, 'not_entry');
      }
      break;
    }
    default:
      break;
  }
}

function walkFields(walk: Walk, fields: readonly FieldDef[], record: Rec, within: Within | undefined, prefix: string): void {
  const { form, root, out } = walk;
  const known = new Set(fields.filter((f) => f.type !== 'section').map((f) => f.name));
  for (const key of Object.keys(record)) {
    if (!known.has(key)) out.errors.push({ field: prefix + key, code: 'unknown_field' });
  }
  for (const field of fields) {
    if (field.type === 'section') continue;
    const path = prefix + field.name;
    const raw = own(record, field.name);
    const shape = shapeIssue(field, raw);
    if (shape) {
      out.errors.push({ field: path, code: shape });
      continue;
    }
    if (!isVisible(form, field, root, within)) {
      if (!isBlank(raw)) out.errors.push({ field: path, code: 'not_applicable' });
      continue;
    }
    if (isBlank(raw)) {
      if (isRequired(form, field, root, within)) out.errors.push({ field: path, code: 'required' });
      continue;
    }
    if (typeof raw === 'string') checkText(walk, field, path, raw.trim(), record, within);
    else checkNonText(walk, field, path, raw);
  }
}

/** Checks answers against a form definition. Never throws, whatever `input` holds. */
export function validateForm(form: FormDef, input: unknown, context: ValidationContext = {}): Verdict {
  const out: Verdict = { errors: [], warnings: [] };
  if (!isRecord(input)) {
    out.errors.push({ field: '', code: 'not_object' });
    return out;
  }
  walkFields({ form, root: input, context, out }, form.fields, input, undefined, '');
  return out;
}

/** One answer tidied the way the device sends it, or undefined when there is nothing to send. */
function cleanValue(field: FieldDef, raw: unknown): EntryValue | readonly RepeatEntry[] | undefined {
  if (TEXT_VALUED.has(field.type)) {
    if (typeof raw !== 'string') return undefined;
    const value = raw.trim();
    // People type decimal commas; the wire carries one spelling.
    return value === '' ? undefined : field.type === 'number' ? value.replace(',', '.') : value;
  }
  switch (field.type) {
    case 'multichoice': {
      if (!Array.isArray(raw)) return undefined;
      const picked = [...new Set(raw.filter((v): v is string => typeof v === 'string').map((v) => v.trim()))].filter((v) => v !== '');
      return picked.length > 0 ? picked : undefined;
    }
    case 'photo':
    case 'document':
      if (!isRecord(raw)) return undefined;
      return { sha256: raw.sha256, type: raw.type, size: raw.size } as EntryValue;
    case 'gps': {
      if (!isRecord(raw)) return undefined;
      const point: Record<string, unknown> = { lat: raw.lat, lng: raw.lng };
      if (raw.accuracy !== undefined) point.accuracy = raw.accuracy;
      return point as unknown as EntryValue;
    }
    case 'repeat':
      if (!Array.isArray(raw)) return undefined;
      return raw.filter(isRecord).map((entry) => cleanRecord(field.fields ?? [], entry) as RepeatEntry);
    default:
      return undefined;
  }
}

function cleanRecord(fields: readonly FieldDef[], record: Rec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.type === 'section') continue;
    const value = cleanValue(field, own(record, field.name));
    if (value !== undefined) out[field.name] = value;
  }
  return out;
}

/**
 * What the device queues: tidied answers, without empty or hidden fields. Visibility is decided
 * on the tidied answers, and a field's visibility depends only on visible fields, so validating
 * the result sees the same fields shown as the person did.
 */
export function cleanAnswers(form: FormDef, data: unknown): FormData {
  if (!isRecord(data)) return {};
  const tidy = cleanRecord(form.fields, data);
  const out: FormData = {};
  for (const field of form.fields) {
    const value = tidy[field.name];
    if (value === undefined || !isVisible(form, field, tidy)) continue;
    if (field.type === 'repeat') {
      out[field.name] = (value as RepeatEntry[]).map((entry) => {
        const kept: RepeatEntry = {};
        for (const sub of field.fields ?? []) {
          const v = entry[sub.name];
          if (v !== undefined && isVisible(form, sub, tidy, { group: field, entry })) kept[sub.name] = v;
        }
        return kept;
      });
    } else {
      out[field.name] = value as FormData[string];
    }
  }
  return out;
}
