// The device key and the PIN that guards it. At the first login the officer sets a 6-digit PIN; a
// random 256-bit device key is made, and a key derived from the PIN (PBKDF2-SHA-256 over a random
// salt, WebCrypto) wraps it with AES-GCM. Only the wrapped key is stored: unlocking derives the
// wrapping key again, and a wrong PIN fails the GCM tag. Wrong tries are counted in storage, so a
// restart does not reset the wait (pin-rules.ts).
import type { JangkauDb } from '../db/schema.ts';
import { waitAfterFailures } from './pin-rules.ts';
import { PIN_LOCK_KEY } from './session.ts';

export const PIN_TRIES_KEY = 'officerPinTries';
const PBKDF2_ITERATIONS = 310_000;

export interface PinLockRecord {
  v: 1;
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  wrapped: Uint8Array<ArrayBuffer>;
}

export interface PinTries {
  failures: number;
  /** No try is taken before this time (ms since epoch). */
  blockedUntil: number;
}

export type UnlockResult =
  | { ok: true; deviceKey: Uint8Array }
  | { ok: false; reason: 'wrong_pin'; failures: number; blockedUntil: number }
  | { ok: false; reason: 'wait'; blockedUntil: number }
  | { ok: false; reason: 'no_pin' };

async function wrappingKey(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Makes a new device key, stores it wrapped under `pin`, and returns it. */
export async function createPinLock(db: JangkauDb, pin: string, iterations = PBKDF2_ITERATIONS): Promise<Uint8Array> {
  const deviceKey = crypto.getRandomValues(new Uint8Array(32));
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await wrappingKey(pin, salt, iterations);
  const wrapped = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, deviceKey));
  const record: PinLockRecord = { v: 1, iterations, salt, iv, wrapped };
  await db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: PIN_LOCK_KEY, value: record });
    await db.meta.delete(PIN_TRIES_KEY);
  });
  return deviceKey;
}

export async function getPinTries(db: JangkauDb): Promise<PinTries> {
  const value = (await db.meta.get(PIN_TRIES_KEY))?.value as PinTries | undefined;
  return value ?? { failures: 0, blockedUntil: 0 };
}

/** Unwraps the device key with `pin`, honouring and updating the wait after wrong tries. */
export async function unlockWithPin(db: JangkauDb, pin: string, now: () => number = Date.now): Promise<UnlockResult> {
  const record = (await db.meta.get(PIN_LOCK_KEY))?.value as PinLockRecord | undefined;
  if (!record) return { ok: false, reason: 'no_pin' };
  const tries = await getPinTries(db);
  if (now() < tries.blockedUntil) return { ok: false, reason: 'wait', blockedUntil: tries.blockedUntil };
  try {
    const key = await wrappingKey(pin, record.salt, record.iterations);
    const deviceKey = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, key, record.wrapped));
    if (tries.failures > 0) await db.meta.delete(PIN_TRIES_KEY);
    return { ok: true, deviceKey };
  } catch {
    const failures = tries.failures + 1;
    const blockedUntil = now() + waitAfterFailures(failures);
    await db.meta.put({ key: PIN_TRIES_KEY, value: { failures, blockedUntil } satisfies PinTries });
    return { ok: false, reason: 'wrong_pin', failures, blockedUntil };
  }
}
