// Reporting periods in WIB: a month ('2026-03'), a quarter ('2026-Q1') or a year ('2026'). A
// request belongs to the period its receipt falls in, by the WIB calendar, so a request received
// at 23:30 WIB on 31 March is March's even though it is 16:30 UTC. The bounds are given as UTC
// instants for queries: from ≤ receivedAt < to.
import { localDate } from '../calendar/working-days.ts';

/** A period as query strings write it: '2026', '2026-Q2' or '2026-03'. */
export const PERIOD_PATTERN = '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$';
/** A region code of the province as query strings write it: '19', '19.01', '19.01.01', '19.01.01.2001'. */
export const REGION_PATTERN = '^19(\\.[0-9]{2}(\\.[0-9]{2}(\\.[0-9]{4})?)?)?$';

export type PeriodKind = 'month' | 'quarter' | 'year';

const WIB = '+07:00';

/** The period of a kind an instant falls in, by its WIB date. */
export function periodOf(instantIso: string, kind: PeriodKind): string {
  const date = localDate(instantIso);
  if (kind === 'year') return date.slice(0, 4);
  if (kind === 'month') return date.slice(0, 7);
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

function startOf(year: number, month: number): string {
  // Date.UTC rolls month 13 into the next year.
  const d = new Date(Date.UTC(year, month - 1, 1));
  return new Date(Date.parse(`${d.toISOString().slice(0, 10)}T00:00:00${WIB}`)).toISOString();
}

/** The UTC bounds [from, to) of a period written '2026', '2026-Q2' or '2026-03'; throws otherwise. */
export function periodRange(period: string): { from: string; to: string } {
  let m = /^(\d{4})$/.exec(period);
  if (m) return { from: startOf(Number(m[1]), 1), to: startOf(Number(m[1]) + 1, 1) };
  m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (m) {
    const first = (Number(m[2]) - 1) * 3 + 1;
    return { from: startOf(Number(m[1]), first), to: startOf(Number(m[1]), first + 3) };
  }
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (m) return { from: startOf(Number(m[1]), Number(m[2])), to: startOf(Number(m[1]), Number(m[2]) + 1) };
  throw new RangeError(`not a period (YYYY, YYYY-Qn or YYYY-MM): ${period}`);
}
