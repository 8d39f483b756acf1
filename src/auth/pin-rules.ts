// The local PIN's rules, pure: what a PIN must look like, and how long a person waits after
// wrong tries (the PIN is short, so the wait is what stops guessing on a found phone).

export const PIN_LENGTH = 6;
/** Wrong tries allowed before the first wait. */
export const FREE_TRIES = 3;
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 60 * 60_000;

export type PinProblem = 'pin_format' | 'pin_weak' | 'pin_mismatch';

/** Six digits, not one digit repeated, not a straight run up or down (123456, 987654). */
export function checkNewPin(pin: string, again: string): PinProblem | undefined {
  if (!new RegExp(`^[0-9]{${PIN_LENGTH}}$`).test(pin)) return 'pin_format';
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - digits[i]!));
  if (steps.size === 1 && [0, 1, -1].includes([...steps][0]!)) return 'pin_weak';
  if (pin !== again) return 'pin_mismatch';
  return undefined;
}

/** How long to wait after `failures` consecutive wrong tries: none for the first three, then
 * 30 s doubling with each further try, at most an hour. */
export function waitAfterFailures(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  return Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_TRIES));
}
