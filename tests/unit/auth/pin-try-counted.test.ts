// Issue #12 finding 4: a PIN try is counted in storage before the KDF runs, so a page closed (or
// killed) in the middle of a derivation has still spent the try: a guesser cannot reload between
// tries to keep the count at zero. The KDF here never finishes for one PIN, as a killed page's.
import { describe, expect, it, vi } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { createPinLock, getPinTries, unlockWithPin } from '../../../src/auth/device-key.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { FAST_KDF } from '../../support/test-kdf.ts';

const KILLED = '999990';

vi.mock('../../../src/auth/pin-kdf.ts', async (original) => {
  const real = await original<typeof import('../../../src/auth/pin-kdf.ts')>();
  return {
    ...real,
    derivePinKey: (pin: string, ...rest: Parameters<typeof real.derivePinKey> extends [string, ...infer R] ? R : never) =>
      pin === KILLED ? Promise.reject(new Error('page closed during the KDF')) : real.derivePinKey(pin, ...rest),
  };
});

describe('a PIN try', () => {
  it('is counted before the KDF runs', async () => {
    const db = new JangkauDb(`pin-try-${ulid()}`);
    await createPinLock(db, '274915', FAST_KDF);
    for (const n of [1, 2]) {
      await expect(unlockWithPin(db, KILLED, () => 0)).rejects.toThrow('page closed');
      expect(await getPinTries(db)).toEqual({ failures: n });
    }
    db.close();
  });
});
