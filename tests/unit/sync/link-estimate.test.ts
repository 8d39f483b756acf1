import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { observe, PESSIMISTIC_LINK, slowDown, timeoutFor, TIMEOUT_LIMITS, windowTimeoutFor } from '../../../src/lib/link-estimate.ts';

describe('timeoutFor', () => {
  it.each([
    // [what, link, bytesUp, bytesDown, expected ms]
    ['a small call on an unknown link gets the floor or more', PESSIMISTIC_LINK, 0, 2048, 3 * (2600 + 512) + 5000],
    ['a 30 KB batch on 2G gets time to leave the phone', PESSIMISTIC_LINK, 30_000, 2048, 3 * (2600 + 8012) + 5000],
    ['a fast link gets the floor', { rttMs: 20, bytesPerMs: 1000 }, 30_000, 2048, TIMEOUT_LIMITS.minMs],
    ['a huge body on 2G is capped', PESSIMISTIC_LINK, 50_000_000, 0, TIMEOUT_LIMITS.maxMs],
  ] as const)('%s', (_what, link, up, down, expected) => {
    expect(timeoutFor(link, up, down)).toBe(Math.round(expected));
  });

  it('always allows at least three times the expected transfer', () => {
    const link = { rttMs: 840, bytesPerMs: 25 };
    const expected = 2 * 840 + 100_000 / 25;
    expect(timeoutFor(link, 100_000, 0)).toBeGreaterThanOrEqual(3 * expected);
  });
});

describe('observe', () => {
  it('learns the round trip from small exchanges', () => {
    let link = PESSIMISTIC_LINK;
    for (let i = 0; i < 30; i++) link = observe(link, 500, 200);
    expect(link.rttMs).toBeCloseTo(200, 0);
    expect(link.bytesPerMs).toBe(PESSIMISTIC_LINK.bytesPerMs);
  });

  it('learns the bandwidth from bulk exchanges', () => {
    let link = { rttMs: 200, bytesPerMs: 4 };
    // 100 KB in 200 ms + 1 s of transfer: 100 bytes per ms.
    for (let i = 0; i < 30; i++) link = observe(link, 100_000, 1200);
    expect(link.bytesPerMs).toBeCloseTo(100, 0);
  });

  it('never divides by zero', () => {
    const link = observe(PESSIMISTIC_LINK, 100_000, 0);
    expect(Number.isFinite(link.bytesPerMs)).toBe(true);
  });
});

describe('slowDown', () => {
  it('doubles the next timeout after one fired, up to the cap', () => {
    const link = { rttMs: 300, bytesPerMs: 20 };
    const before = timeoutFor(link, 200_000, 0);
    const after = timeoutFor(slowDown(link), 200_000, 0);
    expect(after - TIMEOUT_LIMITS.slackMs).toBe(2 * (before - TIMEOUT_LIMITS.slackMs));
  });
});

describe('windowTimeoutFor (the first push after a lost link)', () => {
  it('is shorter than the usual timeout on a slow link, never longer anywhere, never below 3 s', () => {
    // 5 KB of gzip on the first estimate: 4 × 1.3 s + 1 s + 2 × 7 KB ÷ 4 B/ms, where timeoutFor gives 18 s.
    expect(windowTimeoutFor(PESSIMISTIC_LINK, 5_000, 2_000)).toBe(9_700);
    expect(timeoutFor(PESSIMISTIC_LINK, 5_000, 2_000)).toBe(18_050);
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 60_000, noNaN: true }),
        fc.double({ min: 0.001, max: 10_000, noNaN: true }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (rttMs, bytesPerMs, up, down) => {
          const link = { rttMs, bytesPerMs };
          const w = windowTimeoutFor(link, up, down);
          expect(w).toBeLessThanOrEqual(timeoutFor(link, up, down));
          expect(w).toBeGreaterThanOrEqual(Math.min(3_000, timeoutFor(link, up, down)));
          // More bytes never get less time.
          expect(windowTimeoutFor(link, up + 1_000, down)).toBeGreaterThanOrEqual(w);
        },
      ),
    );
  });
});
