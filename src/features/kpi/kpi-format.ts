// How the dashboard writes figures: durations in hours (as the CSV), percentages with one decimal,
// "–" for a figure that does not exist (docs/kpi.md: an empty list has no median).
import { todayInWib } from '../../../core/forms/context.ts';

export function hours(ms: number | undefined): string {
  return ms === undefined ? '–' : (Math.round((ms / 3_600_000) * 100) / 100).toLocaleString('id-ID');
}

export function pct(value: number | undefined): string {
  return value === undefined ? '–' : `${(Math.round(value * 10) / 10).toLocaleString('id-ID')} %`;
}

export function num(value: number | undefined): string {
  return value === undefined ? '–' : value.toLocaleString('id-ID');
}

/** A moment (ISO text from the API) as Indonesian date and time in WIB. */
export function wibTime(at: string): string {
  return new Date(at).toLocaleString('id-ID', { timeZone: 'Asia/Jakarta' });
}

/** The current WIB month, 'YYYY-MM'. */
export function currentMonth(): string {
  return todayInWib().slice(0, 7);
}
