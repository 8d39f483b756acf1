// The upgrade path of an officer's phone from release 5 (issue #12 finding 4): a PBKDF2 lock, PIN
// tries kept with the time the wait ended (the phone's clock), the device token in the clear, and a
// receipt's answer pulled while locked and stored in the clear (#11.9). The v6 schema keeps the
// count and drops the clock; the first right PIN rewraps the key under Argon2id, and sealing what
// is there afterwards leaves neither the token nor the answer readable in the raw records.
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { codecForKey } from '../../../src/auth/at-rest-codec.ts';
import { getPinTries, PIN_TRIES_KEY, unlockWithPin } from '../../../src/auth/device-key.ts';
import { getSession, PIN_LOCK_KEY, SESSION_KEY } from '../../../src/auth/session.ts';
import { atRestMiddleware, requireAtRestCodec, setAtRestCodec } from '../../../src/db/crypto-at-rest.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { sealExistingRows } from '../../../src/features/officer/seal-existing.ts';
import { FAST_KDF } from '../../support/test-kdf.ts';
import { rawRecordsText } from '../../support/raw-records.ts';

const TOKEN = 'jkt_release5-token-0123456789abcdef';
const ANSWER = 'Data Bapak Sulaiman sudah diperbaiki di DPS';
const PIN = '274915';

/** Release 5's stores, as a phone still running it has them. */
class ReleaseFiveDb extends Dexie {
  constructor(name: string) {
    super(name);
    this.version(1).stores({ forms: '[formId+version], formId', drafts: 'id, formId, updatedAt', outbox: 'id, state, queuedAt', receipts: 'id, createdAt, state', meta: 'key' });
    this.version(2).stores({ receipts: 'id, createdAt, state, status' });
    this.version(3).stores({ attachments: 'sha256, state, *refs' });
    this.version(4).stores({ sops: 'sopId' });
    this.version(5).stores({ assignment: 'key, tps' });
  }
}

/** The v1 lock exactly as release 5 wrote it (PBKDF2-SHA-256, AES-GCM), over `deviceKey`. */
async function releaseFiveLock(pin: string, deviceKey: Uint8Array<ArrayBuffer>) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const iterations = 1000;
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const wrapped = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, deviceKey));
  return { v: 1, iterations, salt, iv, wrapped };
}

afterEach(() => {
  setAtRestCodec(undefined);
  requireAtRestCodec(false);
});

describe('an officer phone upgraded from release 5', () => {
  it('keeps the try count without the clock, rewraps the key under Argon2id and seals the token and clear answers', async () => {
    const name = `officer-upgrade-${ulid()}`;
    const deviceKey = crypto.getRandomValues(new Uint8Array(32));
    const old = new ReleaseFiveDb(name);
    const id = ulid();
    await old.table('meta').bulkPut([
      { key: PIN_LOCK_KEY, value: await releaseFiveLock(PIN, deviceKey) },
      { key: PIN_TRIES_KEY, value: { failures: 2, blockedUntil: Date.parse('2030-01-01T00:00:00Z') } },
      { key: SESSION_KEY, value: { token: TOKEN, deviceId: ulid(), account: { id: ulid(), username: 'p1', role: 'pantarlih', scope: '19.01.01.1001', displayName: 'Uji' }, loggedInAt: 1 } },
    ]);
    await old.table('receipts').put({ id, formId: 'ppid-permohonan', formVersion: 1, title: 'x', createdAt: 1, state: 'sent', status: 'selesai', answer: ANSWER });
    old.close();

    const app = new JangkauDb(name).use(atRestMiddleware) as JangkauDb;
    await app.open();
    expect(app.verno).toBe(6);
    // The count survives; the end of the wait read from the phone's clock does not.
    expect((await app.meta.get(PIN_TRIES_KEY))?.value).toEqual({ failures: 2 });
    expect(await getPinTries(app)).toEqual({ failures: 2 });

    const unlocked = await unlockWithPin(app, PIN, () => 0, FAST_KDF);
    expect(unlocked).toMatchObject({ ok: true, migrated: true });
    if (!unlocked.ok) return;
    expect(unlocked.deviceKey).toEqual(deviceKey);
    const lock = (await app.meta.get(PIN_LOCK_KEY))?.value as { v: number; kdf: { alg: string } };
    expect(lock.v).toBe(2);
    expect(lock.kdf.alg).toBe('argon2id');
    expect(await getPinTries(app)).toEqual({ failures: 0 });

    setAtRestCodec(codecForKey(unlocked.deviceKey));
    requireAtRestCodec(true);
    await sealExistingRows(app);
    const stored = await rawRecordsText(name);
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain(ANSWER);
    // Through the unlocked app: the same token and answer.
    expect((await getSession(app))?.token).toBe(TOKEN);
    expect((await app.receipts.get(id))?.answer).toBe(ANSWER);
    // Locked, the token cannot be read at all.
    setAtRestCodec(undefined);
    expect((await getSession(app))?.token).toBeUndefined();
    // The new lock opens with the same PIN under Argon2id.
    expect(await unlockWithPin(app, PIN, () => 0)).toMatchObject({ ok: true, migrated: false });
    app.close();
  });
});
