// Median (middle value, mean of the two middle ones for an even count) and p90 (nearest rank
// ⌈0.9 n⌉) on small sets, where both can be checked by hand.
import { describe, expect, it } from 'vitest';
import { median, nearestRank, p90, summarize } from '../../../core/kpi/percentiles.ts';

describe('median and p90', () => {
  it.each([
    ['empty', [], undefined, undefined],
    ['one', [7], 7, 7],
    ['two', [9, 3], 6, 9],
    ['three', [3, 1, 2], 2, 3],
    // Sorted 10 … 100: median (50 + 60) / 2; p90 is rank 9 = 90, not the maximum.
    ['ten', [70, 10, 100, 40, 20, 90, 30, 60, 50, 80], 55, 90],
    // Eleven: rank ⌈9.9⌉ = 10.
    ['eleven', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10],
    ['twenty', Array.from({ length: 20 }, (_, i) => 20 - i), 10.5, 18],
    ['ties', [5, 5, 5, 1], 5, 5],
  ])('%s', (_, values, med, p) => {
    expect(median(values)).toBe(med);
    expect(p90(values)).toBe(p);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    p90(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('nearest rank at other percentiles', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(hundred, 0.07)).toBe(7);
    expect(nearestRank(hundred, 0.5)).toBe(50);
    expect(nearestRank(hundred, 1)).toBe(100);
    expect(nearestRank([4], 0.01)).toBe(4);
    expect(() => nearestRank(hundred, 0)).toThrow(RangeError);
    expect(() => nearestRank(hundred, 1.5)).toThrow(RangeError);
  });

  it('summarize gives count, median, p90 and max at once', () => {
    expect(summarize([2, 8, 4, 6])).toEqual({ count: 4, median: 5, p90: 8, max: 8 });
    expect(summarize([])).toEqual({ count: 0, median: undefined, p90: undefined, max: undefined });
  });
});
