// A tiny seeded random source so chaos runs are reproducible: the same seed gives the same
// sequence of fault decisions. Marsaglia's xorshift32 (shifts 13, 17, 5) is plenty for deciding
// "fault this request or not"; it is not for anything cryptographic.

/** Spreads small or similar seeds (0, 1, 2 …) over the whole 32-bit state space. */
function mixSeed(seed: number): number {
  let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b);
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35);
  s = (s ^ (s >>> 16)) >>> 0;
  // xorshift never leaves the all-zero state, so that one seed value is avoided.
  return s === 0 ? 0x6d2b79f5 : s;
}

/** Returns a function giving numbers in [0, 1), determined entirely by `seed` (a 32-bit int). */
export function createPrng(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number: ${seed}`);
  let state = mixSeed(seed);
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}
