// SOP documents (standar operasional prosedur) the province publishes beside the forms: a title,
// a version, the date it applies from, what changed, and the text itself. Devices receive the
// current version of each with the forms (GET /api/v1/forms) and keep it for reading offline.
// The text is stored in the database, bounded, rather than as an uploaded PDF: it must reach
// phones on 2G with the forms, and plain text is a fraction of a PDF's bytes.
import { LANGS, type LocalText } from '../local-text.ts';
import { isValidDate } from './validate.ts';

export interface SopDoc {
  /** kebab-case, stable across versions: 'sop-coklit'. */
  sopId: string;
  version: number;
  title: LocalText;
  /** The WIB date (yyyy-mm-dd) from which this version applies. */
  effectiveDate: string;
  /** What changed since the previous version (for the first: what the document is). */
  changeNotes: LocalText;
  /** The procedure as plain text in Bahasa Indonesia; a blank line separates paragraphs. */
  body: string;
}

export const SOP_ID_PATTERN = '^[a-z0-9][a-z0-9-]{1,62}$';
/** ~50 kB: a long SOP in plain text, still a few seconds of 2G when gzipped. */
export const SOP_BODY_MAX_CHARS = 50_000;
export const SOP_TEXT_MAX_CHARS = 2_000;

const SOP_ID_RE = new RegExp(SOP_ID_PATTERN);

/** Problems that keep a document from being published; empty means publishable. */
export function checkSop(doc: SopDoc): string[] {
  const problems: string[] = [];
  if (!SOP_ID_RE.test(doc.sopId)) problems.push('sopId: lowercase letters, digits and dashes');
  if (!Number.isInteger(doc.version) || doc.version < 1) problems.push('version: a whole number from 1');
  if (!isValidDate(doc.effectiveDate)) problems.push('effectiveDate: a yyyy-mm-dd date');
  for (const [key, text] of [['title', doc.title], ['changeNotes', doc.changeNotes]] as const) {
    for (const lang of LANGS) {
      const value = text[lang];
      if (value.trim() === '') problems.push(`${key}: empty in ${lang}`);
      if (value.length > SOP_TEXT_MAX_CHARS) problems.push(`${key}: longer than ${SOP_TEXT_MAX_CHARS} characters in ${lang}`);
    }
  }
  if (doc.body.trim() === '') problems.push('body: empty');
  if (doc.body.length > SOP_BODY_MAX_CHARS) problems.push(`body: longer than ${SOP_BODY_MAX_CHARS} characters`);
  return problems;
}

/** The newest version of each SOP: what devices are given and what they should hold. */
export function currentSops<S extends { sopId: string; version: number }>(docs: readonly S[]): S[] {
  const newest = new Map<string, S>();
  for (const d of docs) {
    const seen = newest.get(d.sopId);
    if (!seen || d.version > seen.version) newest.set(d.sopId, d);
  }
  return [...newest.values()].sort((a, b) => (a.sopId < b.sopId ? -1 : a.sopId > b.sopId ? 1 : 0));
}
