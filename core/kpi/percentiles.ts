// The two summary statistics the dashboard shows for durations. Both are defined so a person can
// check them by hand and an SQL query or another program can reproduce them exactly:
// - median: the middle value of the sorted list; for an even count, the mean of the two middle
//   values (the textbook median).
// - p90: nearest-rank, the smallest value such that at least 90 % of the values are ≤ it, i.e.
//   the value at 1-based rank ⌈0.9 × n⌉ of the sorted list. It is always one of the values, never
//   interpolated. With fewer than 10 values it is the largest; with exactly 10, the second largest.
// An empty list has neither: the result is undefined, which the dashboard shows as "–".

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The value at 1-based nearest rank ⌈p × n⌉ (p in (0, 1]) of an ascending list. */
export function nearestRankOfSorted(sorted: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 1)) throw new RangeError(`percentile must be in (0, 1]: ${p}`);
  if (sorted.length === 0) return undefined;
  // A small tolerance, so a product that floating point puts a hair above a whole number
  // (0.07 × 100 = 7.000000000000001) keeps its whole-number rank.
  const rank = Math.max(1, Math.ceil(p * sorted.length - 1e-9));
  return sorted[rank - 1];
}

export function nearestRank(values: readonly number[], p: number): number | undefined {
  return nearestRankOfSorted(sortedCopy(values), p);
}

export function medianOfSorted(sorted: readonly number[]): number | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function median(values: readonly number[]): number | undefined {
  return medianOfSorted(sortedCopy(values));
}

export function p90(values: readonly number[]): number | undefined {
  return nearestRank(values, 0.9);
}

export interface Summary {
  count: number;
  median: number | undefined;
  p90: number | undefined;
  max: number | undefined;
}

/** Count, median, p90 and maximum in one sort. */
export function summarize(values: readonly number[]): Summary {
  const sorted = sortedCopy(values);
  return {
    count: sorted.length,
    median: medianOfSorted(sorted),
    p90: nearestRankOfSorted(sorted, 0.9),
    max: sorted.length ? sorted[sorted.length - 1] : undefined,
  };
}
