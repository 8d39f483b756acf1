// Reporting periods follow the WIB calendar: the bounds are WIB midnights given in UTC.
import { describe, expect, it } from 'vitest';
import { periodOf, periodRange } from '../../../core/kpi/periods.ts';

describe('reporting periods', () => {
  it.each([
    ['2026-03-31T16:30:00Z', 'month', '2026-03'], // 23:30 WIB on 31 March
    ['2026-03-31T17:00:00Z', 'month', '2026-04'], // 00:00 WIB on 1 April
    ['2026-03-31T17:00:00Z', 'quarter', '2026-Q2'],
    ['2026-12-31T16:59:59Z', 'quarter', '2026-Q4'],
    ['2026-12-31T17:00:00Z', 'year', '2027'],
    ['2026-01-15T00:00:00Z', 'quarter', '2026-Q1'],
  ] as const)('%s in a %s is %s', (instant, kind, period) => {
    expect(periodOf(instant, kind)).toBe(period);
  });

  it.each([
    ['2026', '2025-12-31T17:00:00.000Z', '2026-12-31T17:00:00.000Z'],
    ['2026-Q4', '2026-09-30T17:00:00.000Z', '2026-12-31T17:00:00.000Z'],
    ['2026-02', '2026-01-31T17:00:00.000Z', '2026-02-28T17:00:00.000Z'],
    ['2026-12', '2026-11-30T17:00:00.000Z', '2026-12-31T17:00:00.000Z'],
  ])('%s is [%s, %s)', (period, from, to) => {
    expect(periodRange(period)).toEqual({ from, to });
  });

  it('every instant lies in the range of its own period', () => {
    for (const instant of ['2026-03-31T16:59:59.999Z', '2026-03-31T17:00:00.000Z', '2026-07-01T05:00:00.000Z']) {
      for (const kind of ['month', 'quarter', 'year'] as const) {
        const { from, to } = periodRange(periodOf(instant, kind));
        expect(from <= instant && instant < to).toBe(true);
      }
    }
  });

  it('refuses what is not a period', () => {
    for (const p of ['2026-13', '2026-Q5', '26', '2026-3']) expect(() => periodRange(p)).toThrow(RangeError);
  });
});
