// The sync waits until the opening screen is drawn: shown by the shell and released by every
// screen that held it, in any order; never before.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

type Step = { kind: 'shown' } | { kind: 'hold' } | { kind: 'release'; which: number; twice: boolean };
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant({ kind: 'shown' as const }),
  fc.constant({ kind: 'hold' as const }),
  fc.record({ kind: fc.constant('release' as const), which: fc.nat(5), twice: fc.boolean() }),
);

describe('first screen drawn', () => {
  it('resolves exactly when the screen was shown and no hold is left', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 20 }), async (steps) => {
        vi.resetModules();
        const m = await import('../../../src/app/first-screen.ts');
        let drawn = false;
        void m.whenFirstScreenDrawn().then(() => (drawn = true));
        let shown = false;
        const releases: (() => void)[] = [];
        const open = new Set<number>();
        for (const s of steps) {
          if (s.kind === 'shown') {
            m.firstScreenShown();
            shown = true;
          } else if (s.kind === 'hold') {
            if (drawn) continue;
            open.add(releases.length);
            releases.push(m.holdFirstScreen());
          } else if (releases.length > 0) {
            const i = s.which % releases.length;
            releases[i]!();
            if (s.twice) releases[i]!();
            open.delete(i);
          }
          await Promise.resolve();
          await Promise.resolve();
          if (!drawn) expect(shown && open.size === 0).toBe(false);
        }
        expect(drawn).toBe(shown && open.size === 0);
      }),
      { numRuns: 200 },
    );
  });
});
