// What a person filed, as an officer reads it: the form's own labels in the form's order, codes
// shown by name (a choice by its label, a region or island by the catalogue's name, yes/no as
// words, a date as "7 Des 2026"). One rule for every screen that shows answers, so no screen falls
// back to the internal field names or the raw codes on the wire.
import type { Lang, LocalText } from '../local-text.ts';
import { NO, YES, type FieldDef, type FormDef } from './definition.ts';
import { asFileRef } from './file-refs.ts';
import { choicesOf, isRecord, isVisible, type Within } from './validate.ts';

type Rec = Record<string, unknown>;

export interface AnswerRow {
  /** The field's name (a stable key for the screen; never shown). */
  name: string;
  /** The field's label in the reader's language. */
  label: string;
  /** The answer as words; a repeat group's says how many entries it has. */
  value: string;
  /** A repeat group's entries, each as rows of its own fields. */
  entries?: AnswerRow[][];
}

/** Names of coded places; without them a code is shown as it is. */
export interface PlaceNames {
  region?(code: string): string | undefined;
  island?(code: string): string | undefined;
}

const WORDS: Record<Lang, { yes: string; no: string; entries: string; file: string }> = {
  id: { yes: 'Ya', no: 'Tidak', entries: '{n} entri', file: 'Berkas terlampir ({type})' },
  en: { yes: 'Yes', no: 'No', entries: '{n} entries', file: 'File attached ({type})' },
};

const LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };
const dayFormats = new Map<Lang, Intl.DateTimeFormat>();

/** A calendar date 'YYYY-MM-DD' as people write it: "7 Des 2026" / "7 Dec 2026"; other text as it is. */
export function humanDay(date: string, lang: Lang): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const at = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(at)) return date;
  let format = dayFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeZone: 'UTC' });
    dayFormats.set(lang, format);
  }
  return format.format(at);
}

function isBlank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

function choiceLabel(form: FormDef, field: FieldDef, value: string, lang: Lang): string {
  const found = choicesOf(form, field).find((c) => c.value === value);
  return found ? found.label[lang] : value;
}

/**
 * One answer as words: a choice by its label, a place by its name, yes/no as words. Dates read
 * "7 Des 2026" on screen; a spreadsheet export asks for `dates: 'iso'` so they stay sortable.
 */
export function answerText(form: FormDef, field: FieldDef, value: unknown, lang: Lang, names: PlaceNames, dates: 'human' | 'iso' = 'human'): string {
  const w = WORDS[lang];
  if (typeof value === 'string') {
    const v = value.trim();
    switch (field.type) {
      case 'choice':
        return choiceLabel(form, field, v, lang);
      case 'yesno':
        return v === YES ? w.yes : v === NO ? w.no : v;
      case 'region':
        return names.region?.(v) ?? v;
      case 'island':
        return names.island?.(v) ?? v;
      case 'date':
        return dates === 'iso' ? v : humanDay(v, lang);
      default:
        return value;
    }
  }
  if (Array.isArray(value)) {
    return value.map((v) => (typeof v === 'string' ? (field.type === 'multichoice' ? choiceLabel(form, field, v, lang) : v) : JSON.stringify(v))).join(', ');
  }
  const file = asFileRef(value);
  if (file) return w.file.replace('{type}', file.type);
  if (isRecord(value) && typeof value.lat === 'number' && typeof value.lng === 'number') {
    return `${value.lat.toFixed(6)}, ${value.lng.toFixed(6)}`;
  }
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function rowsOf(
  form: FormDef,
  fields: readonly FieldDef[],
  data: Rec,
  lang: Lang,
  names: PlaceNames,
  top: Rec,
  group?: FieldDef,
): AnswerRow[] {
  const rows: AnswerRow[] = [];
  for (const field of fields) {
    if (field.type === 'section') continue;
    const value = Object.prototype.hasOwnProperty.call(data, field.name) ? data[field.name] : undefined;
    if (isBlank(value)) continue;
    const within: Within | undefined = group ? { group, entry: data } : undefined;
    if (!isVisible(form, field, group ? top : data, within)) continue;
    const label = field.label[lang];
    if (field.type === 'repeat' && Array.isArray(value)) {
      const entries = value.filter(isRecord).map((entry) => rowsOf(form, field.fields ?? [], entry, lang, names, top, field));
      rows.push({ name: field.name, label, value: WORDS[lang].entries.replace('{n}', String(entries.length)), entries });
      continue;
    }
    rows.push({ name: field.name, label, value: answerText(form, field, value, lang, names) });
  }
  return rows;
}

/**
 * The answers of `data` as labelled rows in the form's order: shown fields with an answer only.
 * Answers the form does not name (a field of another version) follow at the end under their key,
 * so an officer never misses something the applicant sent.
 */
export function answerRows(form: FormDef, data: Readonly<Record<string, unknown>>, lang: Lang, names: PlaceNames = {}): AnswerRow[] {
  const record = { ...data };
  const rows = rowsOf(form, form.fields, record, lang, names, record);
  const known = new Set(form.fields.map((f) => f.name));
  for (const [key, value] of Object.entries(record)) {
    if (known.has(key) || isBlank(value)) continue;
    rows.push({ name: key, label: key, value: typeof value === 'string' ? value : JSON.stringify(value) });
  }
  return rows;
}

const SUBJECT_MAX = 80;

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return [...one].length > SUBJECT_MAX ? `${[...one].slice(0, SUBJECT_MAX - 1).join('')}…` : one;
}

/** What tells a request apart in a list: its subject (the form's titleField) and who it is from. */
export interface RequestSummary {
  subject: LocalText | null;
  /** The answer of the form's first `autocomplete: 'name'` field, when that is not the subject. */
  name: string | null;
}

/** Fields whose answer is an identity number or contact: never a list's subject. */
const NEVER_SUBJECT = new Set(['nik', 'kk', 'phone', 'email', 'photo', 'document', 'gps', 'repeat', 'section']);

export function requestSummary(form: FormDef, data: Readonly<Record<string, unknown>>, names: PlaceNames = {}): RequestSummary {
  const record = { ...data };
  const titled = form.fields.find((f) => f.name === form.titleField);
  let subject: LocalText | null = null;
  if (titled && !NEVER_SUBJECT.has(titled.type) && !isBlank(record[titled.name]) && isVisible(form, titled, record)) {
    const value = record[titled.name];
    subject = { id: short(answerText(form, titled, value, 'id', names)), en: short(answerText(form, titled, value, 'en', names)) };
  }
  const named = form.fields.find((f) => f.autocomplete === 'name' && f.type === 'text');
  const raw = named && named.name !== form.titleField ? record[named.name] : undefined;
  const name = typeof raw === 'string' && raw.trim() ? short(raw) : null;
  return { subject, name };
}
