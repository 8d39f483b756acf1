import { describe, expect, it } from 'vitest';
import { FaultPlan } from '../../support/weak-link/faults.ts';
import type { RequestHead } from '../../support/weak-link/http-framer.ts';
import { createPrng } from '../../support/weak-link/prng.ts';

const head = (method: string, target: string): RequestHead => ({ method, target, version: 'HTTP/1.1', headers: new Map(), headBytes: 40 });

function sequence(plan: FaultPlan, n: number): string {
  return Array.from({ length: n }, () => plan.decide(head('POST', '/push'))?.kind ?? '.').map((k) => (k === '.' ? '.' : k[0])).join('');
}

describe('createPrng', () => {
  it('gives the same numbers for the same seed, other numbers for another seed, all in [0, 1)', () => {
    const a = Array.from({ length: 1000 }, createPrng(42));
    const b = Array.from({ length: 1000 }, createPrng(42));
    const c = Array.from({ length: 1000 }, createPrng(43));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('handles seed 0 and negative seeds', () => {
    expect(new Set(Array.from({ length: 10 }, createPrng(0))).size).toBe(10);
    expect(new Set(Array.from({ length: 10 }, createPrng(-7))).size).toBe(10);
  });
});

describe('FaultPlan', () => {
  it('fires a rule for the next N requests, then stops', () => {
    const plan = new FaultPlan(createPrng(1));
    plan.add({ kind: '5xx', next: 3 });
    expect(sequence(plan, 5)).toBe('555..');
    expect(plan.pending).toBe(0);
  });

  it('defaults to one request', () => {
    const plan = new FaultPlan(createPrng(1));
    plan.add({ kind: 'reset-after-commit' });
    expect(sequence(plan, 3)).toBe('r..');
  });

  it('replays the same probabilistic sequence for the same seed', () => {
    const run = (seed: number): string => {
      const plan = new FaultPlan(createPrng(seed));
      plan.add({ kind: 'reset-before-commit', probability: 0.2 });
      plan.add({ kind: '5xx', probability: 0.3 });
      return sequence(plan, 60);
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
    expect(run(7)).toMatch(/r/);
    expect(run(7)).toMatch(/5/);
    expect(run(7)).toMatch(/\./);
  });

  it('caps a probabilistic rule with next, and only considers matching requests', () => {
    const plan = new FaultPlan(createPrng(3));
    plan.add({ kind: 'stall', ms: 10, probability: 1, next: 2, match: (h) => h.method === 'POST' });
    expect(plan.decide(head('GET', '/'))).toBeUndefined();
    expect(sequence(plan, 4)).toBe('ss..');
  });

  it('can remove one rule or clear all', () => {
    const plan = new FaultPlan(createPrng(3));
    const remove = plan.add({ kind: '5xx', next: 5 });
    plan.add({ kind: 'stall', ms: 1, next: 5 });
    remove();
    expect(sequence(plan, 1)).toBe('s');
    plan.clear();
    expect(sequence(plan, 1)).toBe('.');
  });

  it('refuses nonsense', () => {
    const plan = new FaultPlan(createPrng(3));
    expect(() => plan.add({ kind: '5xx', status: 404 })).toThrow(RangeError);
    expect(() => plan.add({ kind: 'stall', ms: -1 })).toThrow(RangeError);
    expect(() => plan.add({ kind: '5xx', probability: 2 })).toThrow(RangeError);
    expect(() => plan.add({ kind: '5xx', next: 0 })).toThrow(RangeError);
  });
});
