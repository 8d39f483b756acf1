// planBatches: the queue, in order, cut into requests that fit a byte and an item budget.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIT_WINDOW_MS, fitBytes, GZIP_SHRINK, MIN_BATCH_BYTES, MIN_FIT_BYTES, nextBatchCap, planBatches } from '../../../src/sync/batching.ts';

/** Rows as compact fixtures: "a:100" is row a of 100 bytes. */
function rows(spec: string): { id: string; bytes: number }[] {
  return spec
    .split(' ')
    .filter(Boolean)
    .map((s) => {
      const [id, bytes] = s.split(':');
      return { id: id!, bytes: Number(bytes) };
    });
}

/** Batches as "a b | c": ids, batches split by "|". */
function show(batches: { id: string }[][]): string {
  return batches.map((b) => b.map((r) => r.id).join(' ')).join(' | ');
}

// The body is {"items":[...]}: 12 bytes of frame plus one comma between items.
describe('planBatches', () => {
  it.each([
    { input: '', maxBytes: 100, maxItems: 10, expected: '' },
    { input: 'a:10', maxBytes: 100, maxItems: 10, expected: 'a' },
    // 12 + 40 + 1 + 40 = 93 fits; a third would need 134.
    { input: 'a:40 b:40 c:40', maxBytes: 100, maxItems: 10, expected: 'a b | c' },
    // Exactly at the limit still fits: 12 + 43 + 1 + 44 = 100.
    { input: 'a:43 b:44 c:1', maxBytes: 100, maxItems: 10, expected: 'a b | c' },
    // One byte over does not.
    { input: 'a:43 b:45', maxBytes: 100, maxItems: 10, expected: 'a | b' },
    // An item larger than the budget goes alone rather than never.
    { input: 'a:10 b:500 c:10', maxBytes: 100, maxItems: 10, expected: 'a | b | c' },
    { input: 'a:500', maxBytes: 100, maxItems: 10, expected: 'a' },
    // The item cap cuts before the byte budget does.
    { input: 'a:1 b:1 c:1 d:1 e:1', maxBytes: 1000, maxItems: 2, expected: 'a b | c d | e' },
    { input: 'a:1 b:1 c:1', maxBytes: 1000, maxItems: 0, expected: 'a | b | c' },
  ])('$input within $maxBytes B / $maxItems items → $expected', ({ input, maxBytes, maxItems, expected }) => {
    expect(show(planBatches(rows(input), { maxBytes, maxItems }))).toBe(expected);
  });

  it('never drops, duplicates or reorders rows, and keeps every multi-item batch within budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5000 }), { maxLength: 300 }),
        fc.integer({ min: 50, max: 20_000 }),
        fc.integer({ min: 1, max: 600 }),
        (sizes, maxBytes, maxItems) => {
          const input = sizes.map((bytes, i) => ({ id: String(i), bytes }));
          const batches = planBatches(input, { maxBytes, maxItems });
          expect(batches.flat()).toEqual(input);
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(Math.min(maxItems, 500));
            const body = 12 + batch.reduce((s, r) => s + r.bytes, 0) + batch.length - 1;
            if (batch.length > 1) expect(body).toBeLessThanOrEqual(maxBytes);
          }
        },
      ),
    );
  });
});

describe('nextBatchCap', () => {
  it.each([
    // [cap, pushed, max, next]
    [128 * 1024, 'cut', 128 * 1024, 64 * 1024],
    [32 * 1024, 'cut', 128 * 1024, MIN_BATCH_BYTES],
    [MIN_BATCH_BYTES, 'cut', 128 * 1024, MIN_BATCH_BYTES],
    [MIN_BATCH_BYTES, 'acked', 128 * 1024, 32 * 1024],
    [96 * 1024, 'acked', 128 * 1024, 128 * 1024],
    [128 * 1024, 'acked', 128 * 1024, 128 * 1024],
  ] as const)('%i after %s (max %i) → %i', (cap, pushed, max, next) => {
    expect(nextBatchCap(cap, pushed, max)).toBe(next);
  });
});

describe('fitBytes', () => {
  it('sizes the first push after a lost link to what the link moves in a short window, never below the floor', () => {
    // pulau-2g as first assumed: (6.5 s − 1.3 s) × 4 B/ms × 4 (gzip) of queued JSON, ~30 PPID requests.
    expect(fitBytes({ rttMs: 1300, bytesPerMs: 4 })).toBe(83_200);
    // A link whose small exchanges took 3 s (a fresh connection each, pulau-sela-8): 20 requests.
    expect(fitBytes({ rttMs: 3000, bytesPerMs: 4 })).toBe(56_000);
    expect(fitBytes({ rttMs: 7000, bytesPerMs: 4 })).toBe(MIN_FIT_BYTES);
    expect(fitBytes({ rttMs: 200, bytesPerMs: Number.NaN })).toBe(MIN_FIT_BYTES);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 10_000, noNaN: true }), fc.double({ min: 0.01, max: 1_000, noNaN: true }), (rttMs, bytesPerMs) => {
        const a = fitBytes({ rttMs, bytesPerMs });
        expect(a).toBeGreaterThanOrEqual(MIN_FIT_BYTES);
        // A faster link never gets a smaller first push, a slower round trip never a larger one.
        expect(fitBytes({ rttMs, bytesPerMs: bytesPerMs * 2 })).toBeGreaterThanOrEqual(a);
        expect(fitBytes({ rttMs: rttMs + 100, bytesPerMs })).toBeLessThanOrEqual(a);
        // Above the floor, its round trip and its gzip at the estimated rate fit the planned window.
        if (a > MIN_FIT_BYTES) expect(rttMs + a / GZIP_SHRINK / bytesPerMs).toBeLessThanOrEqual(FIT_WINDOW_MS + 1e-6);
      }),
    );
  });
});
