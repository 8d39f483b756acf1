// The device key and the PIN that guards it. At the first login the officer sets a 6-digit PIN; a
// random 256-bit device key is made, and a key derived from the PIN (Argon2id over a random salt,
// pin-kdf.ts) wraps it with AES-GCM. Only the wrapped key is stored, with the device's public key
// (device-seal.ts), which lets a locked phone seal what it writes.
//
// Six digits are a small space: whoever copies IndexedDB can try them all, paying the KDF for each
// (docs/security.md gives the cost). On the phone itself the tries are counted in storage before
// each one runs (so closing the page in the middle of a try does not undo it), the waits between
// them run on the page's monotonic clock (setting the phone's clock forward skips nothing; a
// restart starts the wait again), and after WIPE_AFTER_FAILURES wrong PINs in a row the officer's
// data is erased (wipe.ts).
import type { JangkauDb } from '../db/schema.ts';
import { devicePublicKey } from './device-seal.ts';
import { derivePinKey, PHONE_PIN_KDF, type PinKdfParams } from './pin-kdf.ts';
import { waitAfterFailures } from './pin-rules.ts';
import { PIN_LOCK_KEY } from './session.ts';
import { wipeOfficerData } from './wipe.ts';

export const PIN_TRIES_KEY = 'officerPinTries';
/** Wrong PINs in a row after which the officer's data on the phone is erased. */
export const WIPE_AFTER_FAILURES = 10;

/** The first release's lock (PBKDF2); replaced by a v2 lock at its next unlock. */
export interface PinLockRecordV1 {
  v: 1;
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  wrapped: Uint8Array<ArrayBuffer>;
}

export interface PinLockRecordV2 {
  v: 2;
  kdf: PinKdfParams;
  salt: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  wrapped: Uint8Array<ArrayBuffer>;
  /** The device's X25519 public key: a locked phone seals to it (device-seal.ts). */
  publicKey: Uint8Array;
}

export type PinLockRecord = PinLockRecordV1 | PinLockRecordV2;

/** Wrong tries in a row, counted before each try runs. No clock: the waits are the page's. */
export interface PinTries {
  failures: number;
}

export type UnlockResult =
  /** `migrated`: the lock was a v1 (PBKDF2) one and is now v2; rows written meanwhile want sealing. */
  | { ok: true; deviceKey: Uint8Array; migrated: boolean }
  | { ok: false; reason: 'wrong_pin'; failures: number; triesLeft: number; waitMs: number }
  | { ok: false; reason: 'wait'; waitMs: number }
  /** Too many wrong PINs: the officer's data on this phone was erased. */
  | { ok: false; reason: 'wiped' }
  | { ok: false; reason: 'no_pin' };

/** Milliseconds that only move forward and cannot be set by the phone's owner. */
const monotonic = (): number => performance.now();
/** When the next try may run, per database, on the monotonic clock of this page or worker. */
const notBefore = new Map<string, number>();

async function aesKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', Uint8Array.from(raw), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

async function pbkdf2Key(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
}

async function wrapUnder(pin: string, deviceKey: Uint8Array, kdf: PinKdfParams): Promise<PinLockRecordV2> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const kek = await derivePinKey(pin, salt, kdf);
  const key = await aesKey(kek);
  kek.fill(0);
  const wrapped = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, Uint8Array.from(deviceKey)));
  return { v: 2, kdf, salt, iv, wrapped, publicKey: devicePublicKey(deviceKey) };
}

/** The device's public key, when a v2 lock holds one: what a locked phone seals to. */
export function lockPublicKey(record: unknown): Uint8Array | undefined {
  const r = record as Partial<PinLockRecordV2> | undefined;
  return r?.v === 2 && r.publicKey instanceof Uint8Array ? r.publicKey : undefined;
}

/** Makes a new device key, stores it wrapped under `pin`, and returns it. */
export async function createPinLock(db: JangkauDb, pin: string, kdf: PinKdfParams = PHONE_PIN_KDF): Promise<Uint8Array> {
  const deviceKey = crypto.getRandomValues(new Uint8Array(32));
  const record = await wrapUnder(pin, deviceKey, kdf);
  await db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: PIN_LOCK_KEY, value: record });
    await db.meta.delete(PIN_TRIES_KEY);
  });
  notBefore.delete(db.name);
  return deviceKey;
}

export async function getPinTries(db: JangkauDb): Promise<PinTries> {
  const value = (await db.meta.get(PIN_TRIES_KEY))?.value as Partial<PinTries> | undefined;
  return { failures: typeof value?.failures === 'number' ? value.failures : 0 };
}

/** The device key if `pin` unwraps it; undefined for a wrong PIN (the GCM tag fails). */
async function unwrap(record: PinLockRecord, pin: string): Promise<Uint8Array | undefined> {
  try {
    if (record.v === 1) {
      const key = await pbkdf2Key(pin, record.salt, record.iterations);
      return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, key, record.wrapped));
    }
    const kek = await derivePinKey(pin, record.salt, record.kdf);
    const key = await aesKey(kek);
    kek.fill(0);
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, key, record.wrapped));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'OperationError') return undefined;
    throw error;
  }
}

/**
 * Unwraps the device key with `pin`. The try is counted before it runs; a right PIN clears the
 * count, the WIPE_AFTER_FAILURES-th wrong one in a row erases the officer's data. A v1 lock is
 * rewrapped under Argon2id on its first right PIN (`migrated`).
 */
export async function unlockWithPin(
  db: JangkauDb,
  pin: string,
  clock: () => number = monotonic,
  upgradeKdf: PinKdfParams = PHONE_PIN_KDF,
): Promise<UnlockResult> {
  const record = (await db.meta.get(PIN_LOCK_KEY))?.value as PinLockRecord | undefined;
  if (!record) return { ok: false, reason: 'no_pin' };
  const counted = await db.transaction('rw', db.meta, async (): Promise<{ waitMs: number } | { failures: number }> => {
    const { failures } = await getPinTries(db);
    const waitMs = (notBefore.get(db.name) ?? (failures > 0 ? clock() + waitAfterFailures(failures) : 0)) - clock();
    if (!notBefore.has(db.name) && failures > 0) notBefore.set(db.name, clock() + waitMs);
    if (waitMs > 0) return { waitMs };
    await db.meta.put({ key: PIN_TRIES_KEY, value: { failures: failures + 1 } satisfies PinTries });
    return { failures: failures + 1 };
  });
  if ('waitMs' in counted) return { ok: false, reason: 'wait', waitMs: counted.waitMs };
  const deviceKey = await unwrap(record, pin);
  if (!deviceKey) {
    const failures = counted.failures;
    if (failures >= WIPE_AFTER_FAILURES) {
      await wipeOfficerData(db);
      notBefore.delete(db.name);
      return { ok: false, reason: 'wiped' };
    }
    const waitMs = waitAfterFailures(failures);
    notBefore.set(db.name, clock() + waitMs);
    return { ok: false, reason: 'wrong_pin', failures, triesLeft: WIPE_AFTER_FAILURES - failures, waitMs };
  }
  notBefore.delete(db.name);
  const migrated = record.v === 1;
  const next = migrated ? await wrapUnder(pin, deviceKey, upgradeKdf) : undefined;
  await db.transaction('rw', db.meta, async () => {
    if (next) await db.meta.put({ key: PIN_LOCK_KEY, value: next });
    await db.meta.delete(PIN_TRIES_KEY);
  });
  return { ok: true, deviceKey, migrated };
}
