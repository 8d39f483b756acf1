import { describe, expect, it } from 'vitest';
import { checkNewPin, waitAfterFailures } from '../../../src/auth/pin-rules.ts';

describe('PIN rules', () => {
  it.each([
    ['12345', '12345', 'pin_format'],
    ['12a456', '12a456', 'pin_format'],
    ['1234567', '1234567', 'pin_format'],
    ['000000', '000000', 'pin_weak'],
    ['123456', '123456', 'pin_weak'],
    ['987654', '987654', 'pin_weak'],
    ['274915', '274916', 'pin_mismatch'],
    ['274915', '274915', undefined],
    ['135791', '135791', undefined],
  ])('%s / %s → %s', (pin, again, problem) => {
    expect(checkNewPin(pin, again)).toBe(problem);
  });

  it('waits nothing for three tries, then 30 s doubling, capped at an hour', () => {
    expect([0, 1, 2].map(waitAfterFailures)).toEqual([0, 0, 0]);
    expect([3, 4, 5].map(waitAfterFailures)).toEqual([30_000, 60_000, 120_000]);
    expect(waitAfterFailures(40)).toBe(3_600_000);
  });
});
