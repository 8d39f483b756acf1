// Full-jitter backoff: uniform in [0, min(cap, base·2^attempt)], never above the cap, no limit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, DEFAULT_BACKOFF, nextDelayMs } from '../../../core/backoff.ts';

const opts = { baseMs: 2000, capMs: 300_000 };

describe('backoff', () => {
  it.each([
    { attempt: 0, ceiling: 2_000 },
    { attempt: 1, ceiling: 4_000 },
    { attempt: 2, ceiling: 8_000 },
    { attempt: 5, ceiling: 64_000 },
    { attempt: 7, ceiling: 256_000 },
    { attempt: 8, ceiling: 300_000 },
    { attempt: 50, ceiling: 300_000 },
    { attempt: 5000, ceiling: 300_000 },
    { attempt: -3, ceiling: 2_000 },
    { attempt: Number.NaN, ceiling: 2_000 },
  ])('attempt $attempt has ceiling $ceiling ms', ({ attempt, ceiling }) => {
    expect(backoffCeiling(attempt, opts)).toBe(ceiling);
    expect(nextDelayMs(attempt, opts, () => 0)).toBe(0);
    expect(nextDelayMs(attempt, opts, () => 0.999_999_999)).toBe(ceiling);
  });

  it.each([
    { random: 0.5, expected: 1000 },
    { random: 0.25, expected: 500 },
    { random: 1, expected: 2000 },
    { random: -1, expected: 0 },
    { random: Number.NaN, expected: 0 },
  ])('turns random $random into $expected ms on the first retry', ({ random, expected }) => {
    expect(nextDelayMs(0, opts, () => random)).toBe(expected);
  });

  it('defaults to 2 s base and a 5 min cap', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 2000, capMs: 5 * 60_000 });
  });

  it('always gives a whole number of ms within [0, ceiling]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const delay = nextDelayMs(attempt, DEFAULT_BACKOFF, () => r);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(DEFAULT_BACKOFF.capMs, DEFAULT_BACKOFF.baseMs * 2 ** attempt));
      }),
    );
  });
});
