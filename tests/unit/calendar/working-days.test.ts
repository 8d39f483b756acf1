// Working-day arithmetic against hand-checked calendar cases: weekends, national holidays,
// cuti bersama, year ends, and the WIB date of instants near midnight UTC.
import { describe, expect, it } from 'vitest';
import { HOLIDAY_ENTRIES } from '../../../core/calendar/holidays.ts';
import {
  HOLIDAYS,
  addWorkingDays,
  dueDate,
  isWorkingDay,
  localDate,
  workingDaysBetween,
  type HolidayCalendar,
} from '../../../core/calendar/working-days.ts';

const NONE: HolidayCalendar = new Set();

describe('holiday data', () => {
  it('holds each date once, as a real YYYY-MM-DD date', () => {
    const dates = HOLIDAY_ENTRIES.map((h) => h.date);
    expect(new Set(dates).size).toBe(dates.length);
    for (const d of dates) expect(() => isWorkingDay(d)).not.toThrow();
  });

  it('has the decreed counts for 2025 (17 + 10 + 18 August) and 2026 (17 + 8)', () => {
    const count = (year: string, kind: string) =>
      HOLIDAY_ENTRIES.filter((h) => h.date.startsWith(year) && h.kind === kind && !h.provisional).length;
    expect([count('2025', 'libur-nasional'), count('2025', 'cuti-bersama')]).toEqual([17, 11]);
    expect([count('2026', 'libur-nasional'), count('2026', 'cuti-bersama')]).toEqual([17, 8]);
  });

  it('marks every 2027 entry provisional until the decree is out', () => {
    const y2027 = HOLIDAY_ENTRIES.filter((h) => h.date.startsWith('2027'));
    expect(y2027.length).toBeGreaterThan(0);
    expect(y2027.every((h) => h.provisional === true)).toBe(true);
  });
});

describe('localDate (WIB, UTC+7)', () => {
  it.each([
    ['2026-03-01T16:59:59.999Z', '2026-03-01'],
    ['2026-03-01T17:00:00Z', '2026-03-02'],
    ['2026-12-31T16:59:59Z', '2026-12-31'],
    ['2026-12-31T17:00:00Z', '2027-01-01'],
    ['2027-01-01T00:30:00+07:00', '2027-01-01'],
    ['2026-06-30T23:30:00-03:00', '2026-07-01'],
    // No daylight saving anywhere in the year: the same cut at 17:00 UTC in July.
    ['2026-07-15T16:59:00Z', '2026-07-15'],
    ['2026-07-15T17:00:00Z', '2026-07-16'],
  ])('%s is %s in WIB', (instant, date) => {
    expect(localDate(instant)).toBe(date);
  });

  it('refuses what is not an instant, and local times without a zone', () => {
    expect(() => localDate('kemarin')).toThrow(RangeError);
    expect(() => localDate('2026-11-27T02:00:00')).toThrow(RangeError);
    expect(() => localDate('2026-11-27')).toThrow(RangeError);
    expect(localDate('2026-11-27 18:00:00+00')).toBe('2026-11-28');
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-11-27', true], // Friday
    ['2026-11-28', false], // Saturday
    ['2026-11-29', false], // Sunday
    ['2026-11-30', true], // Monday
    ['2026-08-17', false], // Independence Day, a Monday
    ['2026-03-23', false], // cuti bersama Idul Fitri
    ['2026-12-24', false], // cuti bersama Natal
    ['2025-08-18', false], // cuti bersama added by the August 2025 amendment
    ['2025-06-09', false], // cuti bersama Idul Adha
    ['2026-03-25', true], // first working day after Lebaran 2026
  ])('%s → %s', (date, working) => {
    expect(isWorkingDay(date)).toBe(working);
  });

  it('uses the calendar it is given', () => {
    expect(isWorkingDay('2026-08-17', NONE)).toBe(true);
    expect(isWorkingDay('2026-11-30', new Set(['2026-11-30']))).toBe(false);
  });

  it('refuses impossible dates', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('2026-2-3')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it.each([
    ['Friday + 1 is Monday', '2026-11-27', 1, '2026-11-30'],
    ['Saturday + 1 is Monday', '2026-11-28', 1, '2026-11-30'],
    ['Sunday + 1 is Monday', '2026-11-29', 1, '2026-11-30'],
    ['Monday + 5 is next Monday', '2026-11-30', 5, '2026-12-07'],
    ['0 days is the same day', '2026-11-28', 0, '2026-11-28'],
    // Friday 14 Aug 2026 + 1: Monday 17 Aug is Independence Day.
    ['Friday + 1 skips a Monday holiday', '2026-08-14', 1, '2026-08-18'],
    // Year end: 23 Dec 2026 (Wed); 24 (cuti bersama), 25 (Christmas), weekend, 28–31, 1 Jan 2027
    // (New Year), weekend, 4 Jan.
    ['across Christmas and New Year', '2026-12-23', 5, '2027-01-04'],
    // Lebaran 2026: 18 Mar cuti, 19 Nyepi, 20 cuti, 21–22 Idul Fitri (weekend), 23–24 cuti.
    ['across Nyepi and Lebaran 2026', '2026-03-17', 1, '2026-03-25'],
    // PPID: 10 working days from Tuesday 17 Mar 2026: 25, 26, 27, 30, 31 Mar, 1, 2 Apr, (3 Apr Good
    // Friday), 6, 7, 8 Apr.
    ['PPID 10 days over Lebaran', '2026-03-17', 10, '2026-04-08'],
    // Lebaran 2025: 31 Mar, 1 Apr Idul Fitri; 2, 3, 4, 7 Apr cuti bersama.
    ['across Lebaran 2025', '2025-03-27', 1, '2025-04-08'],
    ['across 2025 year end', '2025-12-24', 2, '2025-12-30'],
  ])('%s', (_, from, n, expected) => {
    expect(addWorkingDays(from, n)).toBe(expected);
  });

  it('without holidays only skips weekends', () => {
    expect(addWorkingDays('2026-12-23', 5, NONE)).toBe('2026-12-30');
  });

  it('refuses negative or fractional counts', () => {
    expect(() => addWorkingDays('2026-11-27', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-27', 1.5)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it.each([
    ['same day', '2026-11-27', '2026-11-27', 0],
    ['backwards', '2026-11-30', '2026-11-27', 0],
    ['Friday to Monday', '2026-11-27', '2026-11-30', 1],
    ['Friday to Sunday', '2026-11-27', '2026-11-29', 0],
    ['Saturday to Monday', '2026-11-28', '2026-11-30', 1],
    ['a full week', '2026-11-30', '2026-12-07', 5],
    ['across year end 2026', '2026-12-23', '2027-01-04', 5],
    ['over Lebaran 2026', '2026-03-17', '2026-04-08', 10],
  ])('%s', (_, from, to, expected) => {
    expect(workingDaysBetween(from, to)).toBe(expected);
  });

  it('a whole year 2026 has 365 − 104 weekend days − 21 weekday holidays and cuti bersama', () => {
    const weekdayOff = HOLIDAY_ENTRIES.filter(
      (h) => h.date.startsWith('2026') && isWorkingDay(h.date, NONE),
    ).length;
    expect(weekdayOff).toBe(21);
    expect(workingDaysBetween('2025-12-31', '2026-12-31')).toBe(365 - 104 - 21);
  });

  it('agrees with addWorkingDays and with a day-by-day count over many pairs', () => {
    // A fixed linear congruential sequence, so the pairs are the same on every run.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const start = Date.UTC(2024, 11, 1);
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    for (let i = 0; i < 300; i++) {
      const from = iso(start + (next() % 1000) * 86_400_000);
      const n = next() % 40;
      const to = addWorkingDays(from, n);
      expect(workingDaysBetween(from, to)).toBe(n);
      let naive = 0;
      for (let d = Date.parse(from) + 86_400_000; d <= Date.parse(to); d += 86_400_000) {
        if (isWorkingDay(iso(d))) naive += 1;
      }
      expect(naive).toBe(n);
      // The due day is itself a working day (unless n is 0).
      if (n > 0) expect(isWorkingDay(to)).toBe(true);
    }
  });

  it('counts over an arbitrary calendar', () => {
    const cal = new Set(['2026-11-30', '2026-11-28']);
    expect(workingDaysBetween('2026-11-27', '2026-12-01', cal)).toBe(1);
  });
});

describe('dueDate', () => {
  const ppid = { workingDays: 10, extensionWorkingDays: 7 };

  it('counts from the WIB day of receipt, not the UTC one', () => {
    // 2026-11-26T17:30Z is Friday 27 Nov 00:30 WIB: counting starts Monday 30 Nov.
    expect(dueDate('2026-11-26T17:30:00Z', ppid, false)).toBe('2026-12-11');
    // Half an hour earlier it is still Thursday 26 Nov in WIB.
    expect(dueDate('2026-11-26T16:30:00Z', ppid, false)).toBe('2026-12-10');
  });

  it('adds the extension once it is granted', () => {
    // Received Mon 30 Nov 2026: 10 days → 14 Dec; + 7 → 23 Dec (24–25 Dec are off).
    expect(dueDate('2026-11-30T02:00:00Z', ppid, false)).toBe('2026-12-14');
    expect(dueDate('2026-11-30T02:00:00Z', ppid, true)).toBe('2026-12-23');
    // Received Tue 1 Dec: extended deadline 24 Dec would be cuti bersama, 25 Christmas → 28 Dec.
    expect(dueDate('2026-12-01T02:00:00Z', ppid, true)).toBe('2026-12-28');
  });

  it('ignores an extension the service does not have', () => {
    expect(dueDate('2026-11-30T02:00:00Z', { workingDays: 3 }, true)).toBe('2026-12-03');
  });

  it('a Saturday receipt is counted from Monday', () => {
    expect(dueDate('2026-11-28T03:00:00Z', { workingDays: 1 }, false)).toBe('2026-11-30');
  });

  it('takes a calendar', () => {
    expect(dueDate('2026-08-14T03:00:00Z', { workingDays: 1 }, false, NONE)).toBe('2026-08-17');
    expect(dueDate('2026-08-14T03:00:00Z', { workingDays: 1 }, false, HOLIDAYS)).toBe('2026-08-18');
  });
});
