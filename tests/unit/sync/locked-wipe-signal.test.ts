// A LOCKED officer phone hears an admin's revocation (#12 finding 4). Its token is sealed under the
// device key, so it never meets the 401 `token_revoked_wipe`; it syncs under its own device
// credential, sending the revocation check its login left in the clear. An answer carrying
// `x-jangkau-wipe: officer` makes the phone erase, with no key in memory, what it can: the wrapped
// key, the sealed token, the check, every sealed row (the officer's, and a resident's sealed while
// the PIN was set: nobody can open those once the key is gone), the voter list and the officer's
// pull cursor. The device's own identity and the forms stay. An answer without it erases nothing.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { coklitPilkadaV1 } from '../../../core/forms/catalog/coklit-pilkada.ts';
import { ulid } from '../../../core/ids.ts';
import { REVOCATION_CHECK_HEADER, WIPE_HEADER } from '../../../core/protocol.ts';
import { codecForKey, lockedCodecFor } from '../../../src/auth/at-rest-codec.ts';
import { createPinLock, lockPublicKey } from '../../../src/auth/device-key.ts';
import { officerOrDeviceAuth } from '../../../src/auth/officer-auth.ts';
import { getSession, PIN_LOCK_KEY, REVOCATION_CHECK_KEY, saveSession, SESSION_KEY } from '../../../src/auth/session.ts';
import { saveAssignment } from '../../../src/db/assignment.ts';
import { atRestMiddleware, requireAtRestCodec, setAtRestCodec, setLockedCodec } from '../../../src/db/crypto-at-rest.ts';
import { getDeviceIdentity } from '../../../src/db/device-identity.ts';
import { seedForms } from '../../../src/db/forms-cache.ts';
import { setMeta } from '../../../src/db/meta.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { sealExistingRows } from '../../../src/features/officer/seal-existing.ts';
import { createApiClient } from '../../../src/lib/api-client.ts';
import { createSyncEngine } from '../../../src/sync/engine.ts';
import { pullIdentities } from '../../../src/sync/pull-identities.ts';
import { pushIdentities } from '../../../src/sync/send-identities.ts';
import { keepRevocationCheck, newRevocationCheck, revocationCheckOf, wipeSignal } from '../../../src/sync/wipe-signal.ts';
import { sampleAnswers } from '../../support/form-filler.ts';
import { FAST_KDF } from '../../support/test-kdf.ts';
import { PPID, validPpid } from '../db/test-db.ts';
import { rawRecordsText } from '../../support/raw-records.ts';
import { storeSampleFiles } from '../../support/sample-files.ts';

const VOTER_NIK = '1901015507800002';
const VOTER_NAME = 'Rahmat Hidayat';
const RESIDENT_NIK = '1901024501900001';
const TOKEN = 'jkt_officer-token-of-the-locked-phone-0001';

afterEach(() => {
  setAtRestCodec(undefined);
  setLockedCodec(undefined);
  requireAtRestCodec(false);
});

/** A server that answers every sync request; with the wipe header to `check` when `revoked`. */
function server(check: () => string, revoked: boolean, seen: Headers[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    seen.push(request.headers);
    const url = new URL(request.url);
    const signal: Record<string, string> = revoked && request.headers.get(REVOCATION_CHECK_HEADER) === check() ? { [WIPE_HEADER]: 'officer' } : {};
    const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...signal } });
    if (url.pathname.endsWith('/changes')) return json({ changes: [], cursor: '0', more: false });
    if (url.pathname.endsWith('/forms')) return json({ forms: [PPID, coklitPilkadaV1], retired: [] });
    if (url.pathname.endsWith('/follow')) return json({ following: [] });
    if (url.pathname.endsWith('/push')) {
      const { items } = (await request.json()) as { items: { id: string }[] };
      return json({ serverTime: new Date().toISOString(), results: items.map((i) => ({ id: i.id, outcome: 'accepted', receivedAt: new Date().toISOString() })) });
    }
    return new Response('{}', { status: 404 });
  }) as typeof fetch;
}

/** An officer's phone, logged in (with a check), PIN set, a day's work, then LOCKED: no key in memory. */
async function lockedPhone() {
  const name = `locked-${ulid()}`;
  const db = new JangkauDb(name).use(atRestMiddleware) as JangkauDb;
  await seedForms(db, [PPID, coklitPilkadaV1]);
  const own = await getDeviceIdentity(db);
  const resident = ulid();
  expect((await submitDraft(db, PPID, resident, validPpid({ nik: RESIDENT_NIK }))).ok).toBe(true);
  const tokenId = ulid();
  await saveSession(db, { token: TOKEN, deviceId: tokenId, account: { id: ulid(), username: 'pantarlih1', role: 'pantarlih', scope: '19.01.01.1001', displayName: 'Uji' }, loggedInAt: Date.now() });
  const check = newRevocationCheck();
  await keepRevocationCheck(db, tokenId, check);
  setAtRestCodec(codecForKey(await createPinLock(db, '274915', FAST_KDF)));
  requireAtRestCodec(true);
  await sealExistingRows(db);
  const entry = ulid();
  const answers = { ...sampleAnswers(coklitPilkadaV1), nik: VOTER_NIK, nama: VOTER_NAME };
  await storeSampleFiles(db, coklitPilkadaV1, answers);
  expect((await submitDraft(db, coklitPilkadaV1, entry, answers)).ok).toBe(true);
  await saveAssignment(db, '19.01.01.1001', [{ tps: '001', voters: [{ desa: '19.01.01.1001', tps: '001', nik: VOTER_NIK, kk: '1901010101800001', nama: VOTER_NAME, jenisKelamin: 'L', tempatLahir: 'Sungailiat', tanggalLahir: '1980-07-15', alamat: 'Jl. Pantai 3', rt: '001' }] }], new Date().toISOString());
  await setMeta(db, 'pullCursors', { [`officer:${tokenId}`]: '9', device: '1' });
  // Locked: the key leaves memory; what the phone writes now is sealed to the device's public key.
  setAtRestCodec(undefined);
  setLockedCodec(lockedCodecFor(lockPublicKey((await db.meta.get(PIN_LOCK_KEY))?.value)!));
  expect((await getSession(db))?.token).toBeUndefined();
  return { name, db, own, tokenId, check, resident, entry };
}

function engineFor(db: JangkauDb, fetchImpl: typeof fetch) {
  const signal = wipeSignal({ db, locks: undefined });
  const api = createApiClient({ baseUrl: 'http://jangkau.test', getAuth: officerOrDeviceAuth(db), fetch: fetchImpl, compress: false, revocationCheck: revocationCheckOf(db), onWipeSignal: signal.heard });
  const engine = createSyncEngine({ db, api, locks: undefined, channel: null, pushAs: () => pushIdentities(db), pullAs: () => pullIdentities(db) });
  return signal.wrap(engine);
}

describe('a locked officer phone and the wipe signal', () => {
  it('revoked by an admin: its sync as a resident erases the officer’s sealed data and key, with no key in memory', async () => {
    const phone = await lockedPhone();
    const seen: Headers[] = [];
    const engine = engineFor(phone.db, server(() => `${phone.tokenId}.${phone.check}`, true, seen));
    try {
      const report = await engine.sync('online');
      expect(report.outcome).toBe('ok');
      // It asked under its own credential, never the officer's token (which it cannot open).
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.some((h) => h.get('authorization') === `Device ${phone.own.deviceId}.${phone.own.deviceSecret}` && h.get(REVOCATION_CHECK_HEADER) === `${phone.tokenId}.${phone.check}`)).toBe(true);
      expect(seen.every((h) => !h.get('authorization')?.startsWith('Bearer'))).toBe(true);

      for (const key of [PIN_LOCK_KEY, SESSION_KEY, REVOCATION_CHECK_KEY]) expect(await phone.db.meta.get(key)).toBeUndefined();
      expect(await phone.db.assignment.count()).toBe(0);
      expect(await phone.db.outbox.count()).toBe(0);
      expect(await phone.db.drafts.count()).toBe(0);
      expect((await phone.db.meta.get('pullCursors'))?.value).toEqual({ device: '1' });
      const left = await rawRecordsText(phone.name);
      for (const gone of [VOTER_NIK, VOTER_NAME, TOKEN, phone.check, 'officerPinLock', '~sealed']) expect(left).not.toContain(gone);
      // Kept: the phone's own identity and the forms; it goes on as a resident's phone.
      expect(await getDeviceIdentity(phone.db)).toEqual(phone.own);
      expect(await phone.db.forms.count()).toBeGreaterThan(0);
      expect((await submitDraft(phone.db, PPID, ulid(), validPpid())).ok).toBe(true);
    } finally {
      engine.close();
      phone.db.close();
    }
  });

  it('no signal in the answers (a password change, or not revoked): nothing is erased', async () => {
    const phone = await lockedPhone();
    const before = await rawRecordsText(phone.name);
    const engine = engineFor(phone.db, server(() => `${phone.tokenId}.${phone.check}`, false, []));
    try {
      expect((await engine.sync('online')).outcome).toBe('ok');
      expect(await phone.db.meta.get(PIN_LOCK_KEY)).toBeDefined();
      expect(await phone.db.meta.get(REVOCATION_CHECK_KEY)).toBeDefined();
      expect(await phone.db.assignment.count()).toBe(1);
      expect(await phone.db.outbox.count()).toBe(2);
      expect((await rawRecordsText(phone.name)).length).toBeGreaterThanOrEqual(before.length * 0.9);
    } finally {
      engine.close();
      phone.db.close();
    }
  });

  it('a signal for an earlier login’s check (a new login replaced it) erases nothing', async () => {
    const phone = await lockedPhone();
    const old = `${phone.tokenId}.${phone.check}`;
    const answers = server(() => old, true, []);
    // The answer to the old check says wipe; before the sync ends, an officer logs in anew.
    const replaced = (async (input: string | URL | Request, init?: RequestInit) => {
      const answer = await answers(input, init);
      if (answer.headers.get(WIPE_HEADER)) await keepRevocationCheck(phone.db, ulid(), newRevocationCheck());
      return answer;
    }) as typeof fetch;
    const engine = engineFor(phone.db, replaced);
    try {
      await engine.sync('online');
      expect(await phone.db.meta.get(PIN_LOCK_KEY)).toBeDefined();
      expect(await phone.db.assignment.count()).toBe(1);
    } finally {
      engine.close();
      phone.db.close();
    }
  });
});
