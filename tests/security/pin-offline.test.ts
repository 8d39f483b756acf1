// Issue #12 finding 4, the thief's side: an officer's phone is locked, and its IndexedDB is copied
// (a stolen phone with USB debugging, a backup of the browser profile). The copy must give neither
// the device token (which would let the thief call the API as the officer) nor any answer, also
// not one pulled while the phone was locked; the only way in is to guess the PIN, and every guess
// costs the phone's memory-hard KDF, run with the parameters the copy itself names.
import 'fake-indexeddb/auto';
import { argon2id } from 'hash-wasm';
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from '../../core/ids.ts';
import { codecForKey } from '../../src/auth/at-rest-codec.ts';
import { createPinLock } from '../../src/auth/device-key.ts';
import { PHONE_PIN_KDF } from '../../src/auth/pin-kdf.ts';
import { PIN_LOCK_KEY, saveSession, SESSION_KEY } from '../../src/auth/session.ts';
import { atRestMiddleware, requireAtRestCodec, setAtRestCodec, setLockedCodec } from '../../src/db/crypto-at-rest.ts';
import { installLockedCodec } from '../../src/db/open-db.ts';
import { submitDraft } from '../../src/db/outbox.ts';
import { applyChanges } from '../../src/db/receipts.ts';
import { JangkauDb } from '../../src/db/schema.ts';
import { PPID, validPpid } from '../unit/db/test-db.ts';

const PIN = '274915';
const TOKEN = 'jkt_officer-device-token-7f3a9c1e5b2d4f6a';
const NIK = '1901024501900001';
const ANSWER = 'Salinan DPT Desa Kelabat dapat diambil hari Senin';

afterEach(() => {
  setAtRestCodec(undefined);
  setLockedCodec(undefined);
  requireAtRestCodec(false);
});

/** What the thief copies: every record of every store, as IndexedDB holds them. */
async function copyOf(name: string): Promise<Record<string, unknown[]>> {
  const raw = new JangkauDb(name);
  const out: Record<string, unknown[]> = {};
  for (const table of raw.tables) out[table.name] = await table.toArray();
  raw.close();
  return out;
}

describe('a copied IndexedDB of a locked officer phone', () => {
  it('holds no device token and no answer in the clear, and each PIN guess costs Argon2id at the phone’s parameters', async () => {
    const name = `stolen-${ulid()}`;
    const app = new JangkauDb(name).use(atRestMiddleware) as JangkauDb;
    // The phone as the officer set it up: login, then a PIN at the phone's real KDF cost.
    await saveSession(app, { token: TOKEN, deviceId: ulid(), account: { id: ulid(), username: 'p1', role: 'pantarlih', scope: '19.01', displayName: 'P' }, loggedInAt: 1 });
    const deviceKey = await createPinLock(app, PIN);
    setAtRestCodec(codecForKey(deviceKey));
    requireAtRestCodec(true);
    const { sealExistingRows } = await import('../../src/features/officer/seal-existing.ts');
    await sealExistingRows(app);
    const id = ulid();
    expect((await submitDraft(app, PPID, id, validPpid({ nik: NIK }))).ok).toBe(true);

    // Locked (inactivity); the worker then pulls the province's answer.
    setAtRestCodec(undefined);
    await installLockedCodec(app);
    await applyChanges(app, [{ seq: 1, submissionId: id, status: 'selesai', answer: ANSWER, at: new Date().toISOString() }], '1');
    app.close();

    const copy = await copyOf(name);
    const text = JSON.stringify(copy);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(NIK);
    expect(text).not.toContain(ANSWER);

    // The lock names a memory-hard KDF at the phone's cost; nothing in the copy checks a PIN cheaper.
    const meta = copy.meta as { key: string; value: unknown }[];
    const lock = meta.find((r) => r.key === PIN_LOCK_KEY)?.value as { kdf: typeof PHONE_PIN_KDF; salt: Uint8Array; iv: Uint8Array; wrapped: Uint8Array };
    expect(lock.kdf).toEqual(PHONE_PIN_KDF);
    expect(lock.kdf.alg).toBe('argon2id');
    expect(lock.kdf.memoryKiB).toBeGreaterThanOrEqual(19 * 1024);
    expect(Object.keys(lock).sort()).toEqual(['iv', 'kdf', 'publicKey', 'salt', 'v', 'wrapped']);
    const session = meta.find((r) => r.key === SESSION_KEY)?.value as { token: string };
    expect(session.token).not.toBe(TOKEN);

    // The thief's guess loop, one guess shown: only an Argon2id derivation at those parameters
    // tells a right PIN (the GCM tag), so a search of all 10^6 PINs pays it 10^6 times.
    async function guess(pin: string): Promise<boolean> {
      const kek = await argon2id({ password: pin, salt: lock.salt, iterations: lock.kdf.passes, parallelism: lock.kdf.lanes, memorySize: lock.kdf.memoryKiB, hashLength: 32, outputType: 'binary' });
      const key = await crypto.subtle.importKey('raw', Uint8Array.from(kek), 'AES-GCM', false, ['decrypt']);
      try {
        await crypto.subtle.decrypt({ name: 'AES-GCM', iv: Uint8Array.from(lock.iv) }, key, Uint8Array.from(lock.wrapped));
        return true;
      } catch {
        return false;
      }
    }
    expect(await guess('111112')).toBe(false);
    expect(await guess(PIN)).toBe(true);
  });
});
