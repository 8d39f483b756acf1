// The form definition format: forms are data, published by the province and rendered by one
// generic screen. docs/forms.md describes the format, the value each field type puts on the wire,
// and how versions are published.
import type { LocalText } from '../local-text.ts';

/**
 * The newest definition format this code understands. Version 1 knew text, longtext, email,
 * phone, nik, date and single choice with `in` conditions; version 2 adds the rest. Every version 1
 * definition is a valid version 2 definition and validates exactly as before.
 */
export const FORM_FORMAT_VERSION = 2;

/** Every field type, in the order they came: the first seven are format 1's. */
export const FIELD_TYPES = [
  // format 1
  'text',
  'longtext',
  'email',
  'phone',
  'nik',
  'date',
  'choice',
  // format 2
  'number',
  'multichoice',
  'yesno',
  'region',
  'island',
  'kk',
  'photo',
  'document',
  'gps',
  'repeat',
  'section',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

/** Types whose answer is a string on the wire (what a person types or picks). */
export const TEXT_VALUED: ReadonlySet<FieldType> = new Set<FieldType>([
  'text',
  'longtext',
  'email',
  'phone',
  'nik',
  'date',
  'choice',
  'number',
  'yesno',
  'region',
  'island',
  'kk',
]);

/** The wire values of a yes/no field: words, so conditions read like the rest of the data. */
export const YES = 'ya';
export const NO = 'tidak';

export interface Choice {
  value: string;
  label: LocalText;
}

/**
 * When a field shows or is required. Exactly one operator per condition:
 * - `in`: the answer (a string) is one of the values (format 1);
 * - `equals`: the answer (a string) is this value;
 * - `contains`: the answer (a multiple-choice list) includes this value;
 * - `notEmpty`: the field has any answer at all.
 * Inside a repeat group, `field` names a sibling in the same entry when the group has a field
 * of that name, and a top-level field otherwise.
 */
export type Condition =
  | { field: string; in: readonly string[] }
  | { field: string; equals: string }
  | { field: string; contains: string }
  | { field: string; notEmpty: true };

/** A custom rule on a text answer: the whole answer must match `pattern`, or `message` shows. */
export interface Constraint {
  /** A JavaScript regular expression source, anchored by the validator (^(?:…)$). */
  pattern: string;
  message: LocalText;
}

export type RegionLevelName = 'regency' | 'district' | 'village';

/** A latitude/longitude box; a GPS point outside it is a warning, never an error. */
export interface GeoBounds {
  south: number;
  west: number;
  north: number;
  east: number;
}

export interface FieldDef {
  /** A camelCase identifier, unique among its siblings; the key of the answer in `data`. */
  name: string;
  type: FieldType;
  label: LocalText;
  help?: LocalText;
  required?: boolean;
  requiredIf?: Condition;
  showIf?: Condition;
  /** Text length bounds, in characters after trimming. */
  minLength?: number;
  maxLength?: number;
  /** The choices of a choice or multichoice field, inline ... */
  choices?: readonly Choice[];
  /** ... or the name of a list in the form's `choiceLists`. */
  choiceList?: string;
  /** HTML autocomplete token, so phones can fill identity fields. */
  autocomplete?: string;
  /** A valid answer, shown as the input's placeholder (and used by tests to fill the form). */
  example?: string;
  /** Custom rules on text answers, each with its own message. */
  constraints?: readonly Constraint[];

  /** number: bounds, and whether only whole numbers are allowed. */
  min?: number;
  max?: number;
  integer?: boolean;

  /** date: earliest and latest ISO dates; `maxDate: 'today'` means not in the future. */
  minDate?: string;
  maxDate?: string;

  /** multichoice: how many may be picked; repeat: how many entries. */
  minItems?: number;
  maxItems?: number;

  /** region: the level picked, and the fixed parent the answer must lie in ('19', '19.03'). */
  level?: RegionLevelName;
  /** region and island: the province or regency the answer must lie in. */
  within?: string;

  /** nik: the fields the NIK's birth date and sex are compared with (warnings only). */
  birthDateField?: string;
  sexField?: string;

  /** photo and document: allowed MIME types and largest size in bytes. */
  accept?: readonly string[];
  maxBytes?: number;
  /** photo (and images in a document field): longest edge in px after on-device downscaling; 1600 by default. */
  maxEdge?: number;

  /** gps: the area a point is expected in; outside it the page warns. */
  bounds?: GeoBounds;

  /** repeat: the fields of one entry (no repeat inside a repeat) and how to name an entry. */
  fields?: readonly FieldDef[];
  itemLabel?: LocalText;
}

export interface ServiceLevel {
  /** Working days to answer. */
  workingDays: number;
  /** Working days one extension may add. */
  extensionWorkingDays?: number;
}

/** How long submissions of a form are kept (core/privacy/retention.ts); the purge removes them after. */
export interface RetentionRule {
  /** Days from the server's receipt. */
  days: number;
}

export interface FormDef {
  formId: string;
  version: number;
  /** The definition format the form is written in; absent means 1. */
  formatVersion?: number;
  audience: 'public' | 'officer';
  title: LocalText;
  summary: LocalText;
  /** What happens after sending: who answers, and by when. */
  nextSteps: LocalText;
  /** The field whose value labels the request in lists. */
  titleField: string;
  sla?: ServiceLevel;
  /** Absent: the service's default (core/privacy/retention.ts DEFAULT_RETENTION_DAYS). */
  retention?: RetentionRule;
  /** The WIB date (yyyy-mm-dd) from which this version applies, as the province published it. */
  effectiveDate?: string;
  /** What changed since the previous version, shown to officers once their device holds it. */
  changeNotes?: LocalText;
  /**
   * The field whose answer (a region code) says which region a submission concerns, and so whose
   * inbox shows it. Absent: the first region field or region-coded choice (core/auth/submission-scope.ts).
   */
  scopeField?: string;
  /** Named choice lists the form's fields refer to; copied in so a definition stands alone. */
  choiceLists?: Readonly<Record<string, readonly Choice[]>>;
  fields: readonly FieldDef[];
}

/** A photo or document as the submission carries it: the content's hash, not the bytes. */
export interface FileRef {
  sha256: string;
  type: string;
  size: number;
}

export interface GeoPoint {
  lat: number;
  lng: number;
  accuracy?: number;
}

/** One entry of a repeat group: its own answers, keyed by the group's field names. */
export type RepeatEntry = { [name: string]: EntryValue };
export type EntryValue = string | readonly string[] | FileRef | GeoPoint;
export type AnswerValue = EntryValue | readonly RepeatEntry[];

/** Answers keyed by field name, as drafts keep them and the envelope's `data` carries them. */
export type FormData = Record<string, AnswerValue>;
