// How long the province keeps each service's submissions (UU 27/2022 asks a controller to keep
// personal data no longer than its purpose needs). The period is data in the form definition
// (`retention.days`); definitions recorded before the field existed fall back to the defaults
// below, one per service, whose reasons docs/security.md states. Pure: the purge and the
// erasure rules read it, and tests table-drive it.
import type { FormDef } from '../forms/definition.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Defaults per service (form id), in days. Chosen as the service's own dispute window plus the
 * yearly archive review (a year), and for voter-list work the electoral cycle (five years), so a
 * record outlives every procedure that may still need it; see docs/security.md.
 */
export const DEFAULT_RETENTION_DAYS: Readonly<Record<string, number>> = {
  'ppid-permohonan': 730,
  'keberatan-informasi': 730,
  pengaduan: 730,
  skm: 730,
  'akreditasi-pemantau': 730,
  'pindah-memilih': 1826,
  'tanggapan-dps': 1826,
  'coklit-pilkada': 1826,
  'survei-tps': 1826,
};

/** For a form the table does not know (a service published later without `retention`). */
export const FALLBACK_RETENTION_DAYS = 730;

/** Bounds publish-form enforces: at least a day, at most ten years. */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 3653;

/** The retention of one form version, in days: its definition's, else the service default. */
export function retentionDays(form: Pick<FormDef, 'formId' | 'retention'>): number {
  return form.retention?.days ?? DEFAULT_RETENTION_DAYS[form.formId] ?? FALLBACK_RETENTION_DAYS;
}

/** Submissions received before this instant are past retention at `now`. */
export function retentionCutoff(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString();
}

/** Whether a record received at `receivedAt` is still within its retention at `now`. */
export function withinRetention(receivedAt: string, days: number, now: Date): boolean {
  return receivedAt >= retentionCutoff(now, days);
}
