// Working days in the province: Monday to Friday, less the holidays and cuti bersama kept as data
// in holidays.ts. Service deadlines (the PPID's 10 working days, extendable once by 7) count these.
//
// Dates are plain 'YYYY-MM-DD' strings for the calendar day in WIB (UTC+7, no daylight saving):
// the arithmetic below runs on UTC day numbers, so the machine's own time zone never matters.
import { HOLIDAY_ENTRIES } from './holidays.ts';

/** ISO dates ('YYYY-MM-DD') that are not working days besides Saturdays and Sundays. */
export type HolidayCalendar = ReadonlySet<string>;

export const HOLIDAYS: HolidayCalendar = new Set(HOLIDAY_ENTRIES.map((h) => h.date));

const DAY_MS = 86_400_000;
/** WIB is UTC+7 all year. */
const WIB_OFFSET_MS = 7 * 3_600_000;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; throws on anything else. */
function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  // Date.UTC rolls 2026-02-30 over into March; such a date is a typo, not a day.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`no such date: ${date}`);
  }
  return ms / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * Each calendar as day numbers, made once, since KPI runs test hundreds of thousands of days. A
 * calendar is read as it is at first use: make a new Set for a changed list, never mutate one.
 */
const dayNumberCache = new WeakMap<HolidayCalendar, ReadonlySet<number>>();

function holidayDays(holidays: HolidayCalendar): ReadonlySet<number> {
  let days = dayNumberCache.get(holidays);
  if (!days) {
    days = new Set([...holidays].map(dayNumber));
    dayNumberCache.set(holidays, days);
  }
  return days;
}

function isWorkingDayNumber(day: number, holidays: HolidayCalendar): boolean {
  const wd = weekday(day);
  return wd !== 0 && wd !== 6 && !holidayDays(holidays).has(day);
}

/** The calendar date in WIB of an instant given as an ISO 8601 string with an offset or Z. */
export function localDate(instantIso: string): string {
  // Without a zone, Date.parse reads the machine's local time: the answer would depend on
  // where the code runs, so such strings are refused.
  const ms = /\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/i.test(instantIso) ? Date.parse(instantIso) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not an instant with a zone: ${instantIso}`);
  return new Date(ms + WIB_OFFSET_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, holidays: HolidayCalendar = HOLIDAYS): boolean {
  return isWorkingDayNumber(dayNumber(date), holidays);
}

/**
 * The date that is n working days after `date`. Counting starts on the next working day, so a
 * request received on a Friday with n = 1 is due on Monday (or later if Monday is a holiday),
 * and one received on a Saturday with n = 1 is due on Monday too. n = 0 gives `date` itself.
 */
export function addWorkingDays(date: string, n: number, holidays: HolidayCalendar = HOLIDAYS): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
  let day = dayNumber(date);
  let left = n;
  while (left > 0) {
    day += 1;
    if (isWorkingDayNumber(day, holidays)) left -= 1;
  }
  return dateOf(day);
}

/** Holidays that fall on a weekday, sorted, per calendar: the counting below subtracts them. */
const weekdayHolidayCache = new WeakMap<HolidayCalendar, number[]>();

function weekdayHolidays(holidays: HolidayCalendar): number[] {
  let days = weekdayHolidayCache.get(holidays);
  if (!days) {
    days = [...holidays]
      .map(dayNumber)
      .filter((d) => weekday(d) !== 0 && weekday(d) !== 6)
      .sort((a, b) => a - b);
    weekdayHolidayCache.set(holidays, days);
  }
  return days;
}

/** How many of the sorted numbers are ≤ x. */
function countAtMost(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Monday-to-Friday days in 1970-01-01 … day (may be negative before 1970). */
function weekdaysUpTo(day: number): number {
  // Count from a Monday (1969-12-29 = day -3) in whole weeks plus the rest.
  const fromMonday = day + 3;
  const weeks = Math.floor(fromMonday / 7);
  const rest = fromMonday - weeks * 7; // 0 = Monday … 6 = Sunday
  return weeks * 5 + Math.min(rest + 1, 5);
}

/**
 * Working days after `from` up to and including `to`; 0 when `to` is not after `from`. So
 * addWorkingDays(d, n) is the first date with workingDaysBetween(d, date) = n.
 */
export function workingDaysBetween(from: string, to: string, holidays: HolidayCalendar = HOLIDAYS): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (b <= a) return 0;
  const off = weekdayHolidays(holidays);
  return weekdaysUpTo(b) - weekdaysUpTo(a) - (countAtMost(off, b) - countAtMost(off, a));
}

/**
 * The local (WIB) due date of a request received at `receivedAtIso`: the SLA's working days
 * after the day of receipt, plus the extension's when the deadline was extended.
 */
export function dueDate(
  receivedAtIso: string,
  sla: { workingDays: number; extensionWorkingDays?: number },
  extended: boolean,
  holidays: HolidayCalendar = HOLIDAYS,
): string {
  const days = sla.workingDays + (extended ? (sla.extensionWorkingDays ?? 0) : 0);
  return addWorkingDays(localDate(receivedAtIso), days, holidays);
}
