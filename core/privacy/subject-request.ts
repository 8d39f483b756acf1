// A data subject's request to the office (UU 27/2022): see what is held, correct it, or erase
// it. The law gives the controller 3×24 hours from receipt to act; the clock is computed here
// once, for the API's `dueAt` and the officer's screen.
import type { FieldDef, FormDef } from '../forms/definition.ts';

export const SUBJECT_REQUEST_KINDS = ['access', 'correction', 'erasure'] as const;
export type SubjectRequestKind = (typeof SUBJECT_REQUEST_KINDS)[number];

/** 3 × 24 hours, counted in clock hours (not working days). */
export const SUBJECT_REQUEST_HOURS = 72;

export function subjectRequestDueAt(receivedAt: string): string {
  return new Date(Date.parse(receivedAt) + SUBJECT_REQUEST_HOURS * 60 * 60 * 1000).toISOString();
}

/** A request as the API answers it (GET /subject-requests) and the officer's screen shows it. */
export interface SubjectRequestView {
  id: string;
  kind: SubjectRequestKind;
  regionCode: string;
  receivedAt: string;
  /** receivedAt + 3×24 h. */
  dueAt: string;
  createdAt: string;
  createdBy: string;
  answeredAt: string | null;
  /** What was done, as JSON counts. */
  outcome: string | null;
}

/** What the clock shows: whole hours and minutes left, or how long it is overdue. */
export interface SubjectClock {
  overdue: boolean;
  hours: number;
  minutes: number;
}

/** The 3×24 h clock at `now`: time left until `dueAt`, or past it, rounded down to the minute. */
export function subjectClock(dueAt: string, now: Date): SubjectClock {
  const left = Date.parse(dueAt) - now.getTime();
  const minutes = Math.floor(Math.abs(left) / 60_000);
  return { overdue: left < 0, hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

/** A NIK as it is indexed: its digits only, so '1971 0101…' and '19710101…' meet. */
export function normaliseNik(raw: string): string | undefined {
  const digits = raw.replace(/[\s.-]/g, '');
  return /^\d{16}$/.test(digits) ? digits : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every NIK in the answers (nik fields, also inside repeat groups), normalised and distinct. */
export function niksIn(form: Pick<FormDef, 'fields'>, data: Readonly<Record<string, unknown>>): string[] {
  const out = new Set<string>();
  const walk = (fields: readonly FieldDef[], values: Readonly<Record<string, unknown>>) => {
    for (const field of fields) {
      const value = values[field.name];
      if (field.type === 'nik' && typeof value === 'string') {
        const nik = normaliseNik(value);
        if (nik) out.add(nik);
      } else if (field.type === 'repeat' && Array.isArray(value)) {
        for (const entry of value) if (isObject(entry)) walk(field.fields ?? [], entry);
      }
    }
  };
  walk(form.fields, data);
  return [...out];
}

/**
 * The people's names a submission's answers give (its text fields marked autocomplete "name":
 * the requester's, as the inbox shows it), for the office's keyed name index.
 */
export function namesIn(form: Pick<FormDef, 'fields'>, data: Readonly<Record<string, unknown>>): string[] {
  const out = new Set<string>();
  for (const field of form.fields) {
    const value = data[field.name];
    if (field.type === 'text' && field.autocomplete === 'name' && typeof value === 'string' && value.trim()) out.add(value.trim());
  }
  return [...out];
}
