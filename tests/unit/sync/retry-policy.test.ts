// The retry rule of core/sync-retry.ts (issue #18): a lost link is probed at a short steady
// cadence, a busy province is waited out as it asks, and only other failures grow the delay,
// once per burst.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextDelayMs } from '../../../core/backoff.ts';
import { afterRun, DEFAULT_PROBE, DEFAULT_RETRY_POLICY, planRun, probeCapMs, probeDelayMs, type RetryState, type RunEnd } from '../../../core/sync-retry.ts';

const T = 1_796_000_000_000;
const fresh: RetryState = { failures: 0, linkDown: false };
const facts = (at: number, extra: Partial<{ startedAt: number; answered: boolean; hasWork: boolean }> = {}) => ({
  startedAt: at - 500,
  endedAt: at,
  answered: false,
  hasWork: true,
  ...extra,
});
const max = () => 0.999_999;

describe('retry policy', () => {
  it('a lost link: the probe cadence, nothing grows; fast while the link was seen lately, slower after a long silence', () => {
    const lately = afterRun({ ...fresh, linkSeenAt: T - 10_000 }, { kind: 'link' }, facts(T), DEFAULT_RETRY_POLICY, () => 0.5);
    expect(lately).toEqual({ failures: 0, linkDown: true, linkSeenAt: T - 10_000, nextAttemptAt: T + DEFAULT_PROBE.fastMs });
    const silent = afterRun({ ...fresh, linkSeenAt: T - 3_600_000 }, { kind: 'link' }, facts(T), DEFAULT_RETRY_POLICY, () => 0.5);
    expect(silent.nextAttemptAt).toBe(T + DEFAULT_PROBE.slowMs);
    // Earlier server errors are remembered, not grown, and do not slow the probes.
    const afterErrors = afterRun({ failures: 6, linkDown: false, nextAttemptAt: T - 1 }, { kind: 'link' }, facts(T), DEFAULT_RETRY_POLICY, max);
    expect(afterErrors.failures).toBe(6);
    expect(afterErrors.nextAttemptAt! - T).toBeLessThanOrEqual(probeCapMs());
  });

  it('a lost link with nothing to send is retried on the backoff, not probed', () => {
    const next = afterRun(fresh, { kind: 'link' }, facts(T, { hasWork: false }), DEFAULT_RETRY_POLICY, max);
    expect(next).toMatchObject({ failures: 1, linkDown: true, nextAttemptAt: T + nextDelayMs(0, undefined, max) });
  });

  it('a busy province: no sooner than Retry-After, spread by at most a second, the count kept', () => {
    for (const r of [0, 0.5, max()]) {
      const next = afterRun({ failures: 3, linkDown: false }, { kind: 'busy', retryAfterMs: 4_000 }, facts(T, { answered: true }), DEFAULT_RETRY_POLICY, () => r);
      expect(next.failures).toBe(3);
      expect(next.linkSeenAt).toBe(T);
      expect(next.nextAttemptAt! - T).toBeGreaterThanOrEqual(4_000);
      expect(next.nextAttemptAt! - T).toBeLessThanOrEqual(5_000);
    }
  });

  it('a server error grows the backoff; another failing before its retry is the same burst', () => {
    const one = afterRun(fresh, { kind: 'error' }, facts(T, { answered: true }), DEFAULT_RETRY_POLICY, max);
    expect(one).toMatchObject({ failures: 1, nextAttemptAt: T + nextDelayMs(0, undefined, max) });
    // Started 100 ms later by another trigger, before the scheduled retry: still one failure.
    const burst = afterRun(one, { kind: 'error' }, facts(T + 200, { startedAt: T + 100 }), DEFAULT_RETRY_POLICY, max);
    expect(burst.failures).toBe(1);
    expect(burst.nextAttemptAt).toBeGreaterThanOrEqual(one.nextAttemptAt!);
    // The retry on time, failing again: two.
    const two = afterRun(burst, { kind: 'error' }, facts(burst.nextAttemptAt! + 300, { startedAt: burst.nextAttemptAt! }), DEFAULT_RETRY_POLICY, max);
    expect(two).toMatchObject({ failures: 2, nextAttemptAt: burst.nextAttemptAt! + 300 + nextDelayMs(1, undefined, max) });
  });

  it('ok resets everything and remembers the link; refused credentials set no timer', () => {
    expect(afterRun({ failures: 4, linkDown: true, nextAttemptAt: T + 9 }, { kind: 'ok' }, facts(T, { answered: true }))).toEqual({ failures: 0, linkDown: false, linkSeenAt: T });
    expect(afterRun({ failures: 4, linkDown: false, nextAttemptAt: T + 9 }, { kind: 'auth' }, facts(T, { answered: true }))).toEqual({ failures: 4, linkDown: false, linkSeenAt: T });
  });

  // ---- Properties over sequences of runs.

  const end: fc.Arbitrary<RunEnd> = fc.oneof(
    fc.constant<RunEnd>({ kind: 'ok' }),
    fc.constant<RunEnd>({ kind: 'link' }),
    fc.constant<RunEnd>({ kind: 'error' }),
    fc.constant<RunEnd>({ kind: 'auth' }),
    fc.integer({ min: 0, max: 120_000 }).map<RunEnd>((retryAfterMs) => ({ kind: 'busy', retryAfterMs })),
  );
  interface Step {
    end: RunEnd;
    onTime: boolean;
    gapMs: number;
    durationMs: number;
    answered: boolean;
    random: number;
  }
  const step: fc.Arbitrary<Step> = fc.record({
    end,
    /** Whether the run waited for its scheduled time (the timer) or jumped ahead (another trigger). */
    onTime: fc.boolean(),
    gapMs: fc.integer({ min: 0, max: 600_000 }),
    durationMs: fc.integer({ min: 0, max: 60_000 }),
    answered: fc.boolean(),
    random: fc.double({ min: 0, max: 1, noNaN: true }),
  });

  function replay(steps: readonly Step[], visit: (before: RetryState, after: RetryState, s: Step, at: number) => void): void {
    let state: RetryState = fresh;
    let t = T;
    for (const s of steps) {
      const startedAt = s.onTime && state.nextAttemptAt !== undefined ? Math.max(t, state.nextAttemptAt) : t + s.gapMs;
      const endedAt = startedAt + s.durationMs;
      // A run that ended for want of a link got no answer.
      const answered = s.end.kind === 'link' ? false : s.end.kind === 'ok' ? true : s.answered || s.end.kind !== 'error';
      const next = afterRun(state, s.end, { startedAt, endedAt, answered, hasWork: true }, DEFAULT_RETRY_POLICY, () => s.random);
      visit(state, next, s, endedAt);
      state = next;
      t = endedAt;
    }
  }

  it('the delay after any number of link failures, whatever came before, never exceeds the probe cap', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.integer({ min: 1, max: 500 }), (steps, links) => {
        const all: Step[] = [...steps, ...Array.from({ length: links }, (_, i) => ({ end: { kind: 'link' } as RunEnd, onTime: i % 2 === 0, gapMs: 0, durationMs: 10, answered: false, random: (i * 0.618) % 1 }))];
        replay(all, (before, after, s, at) => {
          if (s.end.kind !== 'link') return;
          expect(after.nextAttemptAt! - at).toBeLessThanOrEqual(probeCapMs());
          expect(after.nextAttemptAt! - at).toBeGreaterThan(0);
          // A lost link never grows the count.
          expect(after.failures).toBe(before.failures);
        });
      }),
    );
  });

  it('the count grows by at most one per run, only on an error started on time (or after a success), and a busy answer is honoured', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
        replay(steps, (before, after, s, at) => {
          expect(after.failures - before.failures).toBeLessThanOrEqual(1);
          if (after.failures > before.failures) expect(s.end.kind).toBe('error');
          if (s.end.kind === 'error' && before.failures > 0 && !s.onTime && before.nextAttemptAt !== undefined && at - s.durationMs < before.nextAttemptAt) {
            expect(after.failures).toBe(before.failures);
          }
          if (s.end.kind === 'busy') expect(after.nextAttemptAt! - at).toBeGreaterThanOrEqual(s.end.retryAfterMs);
          if (s.end.kind === 'ok') expect(after).toEqual({ failures: 0, linkDown: false, linkSeenAt: at });
          if (after.nextAttemptAt !== undefined) expect(after.nextAttemptAt).toBeGreaterThanOrEqual(at);
        });
      }),
    );
  });

  it('probe delays stay within the cadence and its jitter', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 7_200_000 }), (r, sinceSeen) => {
        const d = probeDelayMs(T - sinceSeen, T, DEFAULT_PROBE, () => r);
        const base = sinceSeen < DEFAULT_PROBE.fastForMs ? DEFAULT_PROBE.fastMs : DEFAULT_PROBE.slowMs;
        expect(d).toBeGreaterThanOrEqual(Math.floor(base * (1 - DEFAULT_PROBE.jitter)));
        expect(d).toBeLessThanOrEqual(Math.ceil(base * (1 + DEFAULT_PROBE.jitter)));
      }),
    );
  });

  it('after a lost link with items to send, the push is the probe: alone, first, sized to a window; else a probe, never for "Kirim sekarang"', () => {
    expect(planRun(true, true, false)).toEqual({ probeFirst: false, pushBeforePull: true, fitFirstPush: true });
    expect(planRun(true, false, false)).toEqual({ probeFirst: true, pushBeforePull: false, fitFirstPush: false });
    expect(planRun(true, false, true)).toEqual({ probeFirst: false, pushBeforePull: false, fitFirstPush: false });
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), (linkDown, hasWork, manual) => {
        const plan = planRun(linkDown, hasWork, manual);
        // A link that answered last time: push and pull together, as they always went.
        if (!linkDown) expect(plan).toEqual({ probeFirst: false, pushBeforePull: false, fitFirstPush: false });
        // Never a probe and a push both ahead of the window's first useful byte.
        expect(plan.probeFirst && plan.pushBeforePull).toBe(false);
        // With items waiting, nothing but the push goes first.
        if (linkDown && hasWork) expect(plan.pushBeforePull && plan.fitFirstPush && !plan.probeFirst).toBe(true);
        if (manual) expect(plan.probeFirst).toBe(false);
      }),
    );
  });
});
