// The form definition format: forms are data, published by the province and rendered by one
// generic screen. Version 1 of the format; docs/forms.md describes it.
import type { LocalText } from '../local-text.ts';

export const FORM_FORMAT_VERSION = 1;

export type FieldType = 'text' | 'longtext' | 'email' | 'phone' | 'nik' | 'date' | 'choice';

export interface Choice {
  value: string;
  label: LocalText;
}

/** True when the named field holds one of the listed values. */
export interface Condition {
  field: string;
  in: readonly string[];
}

export interface FieldDef {
  name: string;
  type: FieldType;
  label: LocalText;
  help?: LocalText;
  required?: boolean;
  requiredIf?: Condition;
  showIf?: Condition;
  minLength?: number;
  maxLength?: number;
  choices?: readonly Choice[];
  /** HTML autocomplete token, so phones can fill identity fields. */
  autocomplete?: string;
}

export interface ServiceLevel {
  /** Working days to answer. */
  workingDays: number;
  /** Working days one extension may add. */
  extensionWorkingDays?: number;
}

export interface FormDef {
  formId: string;
  version: number;
  audience: 'public' | 'officer';
  title: LocalText;
  summary: LocalText;
  /** What happens after sending: who answers, and by when. */
  nextSteps: LocalText;
  /** The field whose value labels the request in lists. */
  titleField: string;
  sla?: ServiceLevel;
  fields: readonly FieldDef[];
}

export type FormData = Record<string, string>;
