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

/** Milliseconds left until `dueAt` (negative once overdue). */
export function timeLeftMs(dueAt: string, now: Date): number {
  return Date.parse(dueAt) - now.getTime();
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
