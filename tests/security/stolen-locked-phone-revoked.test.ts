// Issue #12 finding 4, a locked phone: an officer's phone is snatched while LOCKED (the thief has
// neither the PIN nor the key), with the day's coklit entries not sent yet, the village's voter list
// and the token, all sealed under the device key. The officer reports it; an admin revokes the
// phone's token. The thief never unlocks it, but the phone still syncs as a resident's (under its
// own device credential: the page, or the service worker with the page closed). That first contact
// must erase the officer's data. Before, only a sync sending the officer's token (an unlocked phone)
// could hear the revocation, and a locked phone kept the sealed data, and the wrapped key, for an
// offline attack on the PIN.
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { coklitPilkadaV1 } from '../../core/forms/catalog/coklit-pilkada.ts';
import { ulid } from '../../core/ids.ts';
import { codecForKey, lockedCodecFor } from '../../src/auth/at-rest-codec.ts';
import { createPinLock, lockPublicKey } from '../../src/auth/device-key.ts';
import { officerOrDeviceAuth } from '../../src/auth/officer-auth.ts';
import { getSession, PIN_LOCK_KEY, saveSession } from '../../src/auth/session.ts';
import { saveAssignment } from '../../src/db/assignment.ts';
import { atRestMiddleware, requireAtRestCodec, setAtRestCodec, setLockedCodec } from '../../src/db/crypto-at-rest.ts';
import { getDeviceIdentity } from '../../src/db/device-identity.ts';
import { seedForms } from '../../src/db/forms-cache.ts';
import { submitDraft } from '../../src/db/outbox.ts';
import { JangkauDb } from '../../src/db/schema.ts';
import { sealExistingRows } from '../../src/features/officer/seal-existing.ts';
import { createApiClient } from '../../src/lib/api-client.ts';
import { createSyncEngine } from '../../src/sync/engine.ts';
import { pullIdentities } from '../../src/sync/pull-identities.ts';
import { pushIdentities } from '../../src/sync/send-identities.ts';
import { keepRevocationCheck, newRevocationCheck, revocationCheckOf, wipeSignal } from '../../src/sync/wipe-signal.ts';
import { bearer, officer, PASSWORD, REGION, TEST_AUTH } from '../server/auth-fixtures.ts';
import { describeEachDialect, injectFetch } from '../server/helpers.ts';
import { sampleAnswers } from '../support/form-filler.ts';
import { FAST_KDF } from '../support/test-kdf.ts';
import { PPID, validPpid } from '../unit/db/test-db.ts';
import { rawRecordsText } from '../support/raw-records.ts';
import { storeSampleFiles } from '../support/sample-files.ts';

const ORIGIN = 'http://jangkau.test';
const VOTER_NIK = '1901015507800002';
const VOTER_NAME = 'Rahmat Hidayat';
const RESIDENT_NIK = '1901024501900001';

describeEachDialect(
  'a stolen LOCKED officer phone, revoked by an admin, syncs as a resident',
  (ctx) => {
    it('erases the officer’s data at that first contact, without the PIN or the key', async () => {
      const t = ctx();
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const name = `stolen-locked-${ulid()}`;
      const phone = new JangkauDb(name).use(atRestMiddleware) as JangkauDb;
      const fetchImpl = injectFetch(t.app);
      const signal = wipeSignal({ db: phone, locks: undefined });
      const api = createApiClient({ baseUrl: ORIGIN, getAuth: officerOrDeviceAuth(phone), fetch: fetchImpl, compress: false, revocationCheck: revocationCheckOf(phone), onWipeSignal: signal.heard });
      const engine = signal.wrap(createSyncEngine({ db: phone, api, locks: undefined, channel: null, pushAs: () => pushIdentities(phone), pullAs: () => pullIdentities(phone) }));
      try {
        await seedForms(phone, [PPID, coklitPilkadaV1]);
        // The officer logs in on this phone as the app does: with a fresh revocation check.
        const check = newRevocationCheck();
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: pantarlih.username, password: PASSWORD, deviceLabel: 'HP dinas', revocationCheck: check } });
        expect(res.statusCode).toBe(200);
        const { token, deviceId } = res.json<{ token: string; deviceId: string }>();
        await saveSession(phone, { token, deviceId, account: { id: pantarlih.id, username: pantarlih.username, role: 'pantarlih', scope: REGION.village, displayName: 'P' }, loggedInAt: Date.now() });
        await keepRevocationCheck(phone, deviceId, check);
        setAtRestCodec(codecForKey(await createPinLock(phone, '274915', FAST_KDF)));
        requireAtRestCodec(true);
        await sealExistingRows(phone);
        // A day in the field, out of signal: the voter list, and an entry not sent yet.
        await saveAssignment(phone, REGION.village, [{ tps: '001', voters: [{ desa: REGION.village, tps: '001', nik: VOTER_NIK, kk: '1901010101800001', nama: VOTER_NAME, jenisKelamin: 'L', tempatLahir: 'Sungailiat', tanggalLahir: '1980-07-15', alamat: 'Jl. Pantai 3', rt: '001' }] }], new Date().toISOString());
        const entry = ulid();
        const answers = { ...sampleAnswers(coklitPilkadaV1), desa: REGION.village, nik: VOTER_NIK, nama: VOTER_NAME };
        await storeSampleFiles(phone, coklitPilkadaV1, answers);
        expect((await submitDraft(phone, coklitPilkadaV1, entry, answers)).ok).toBe(true);

        // The phone locks (idle); then it is snatched. The key is no longer in memory.
        setAtRestCodec(undefined);
        setLockedCodec(lockedCodecFor(lockPublicKey((await phone.meta.get(PIN_LOCK_KEY))?.value)!));
        expect((await getSession(phone))?.token).toBeUndefined();
        // The thief cannot file anything on it (a locked phone shows only the PIN screen and refuses
        // to write personal data); the sync still runs, timed by the service worker.
        await expect(submitDraft(phone, PPID, ulid(), validPpid({ nik: RESIDENT_NIK }))).rejects.toThrow(/locked/);

        // The officer reports it; the admin revokes the phone.
        const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${deviceId}/revoke`, headers: bearer(admin.token) });
        expect(revoked.json()).toEqual({ ok: true, wipeOnContact: true });

        // The locked phone comes online and syncs as a resident's phone.
        const own = await getDeviceIdentity(phone);
        await engine.sync('online');
        expect(await getSession(phone)).toBeUndefined();
        expect(await phone.meta.get(PIN_LOCK_KEY)).toBeUndefined();
        expect(await phone.assignment.count()).toBe(0);
        const left = await rawRecordsText(name);
        for (const gone of [VOTER_NIK, VOTER_NAME, token, check, 'officerPinLock', '~sealed']) expect(left).not.toContain(gone);
        expect((await phone.outbox.toArray()).map((r) => r.id)).not.toContain(entry);
        // Nothing of the officer reached the server; the phone is still the same resident's phone.
        expect(await t.db.selectFrom('submissions').select('id').where('id', '=', entry).execute()).toEqual([]);
        expect(await getDeviceIdentity(phone)).toEqual(own);
        // And it goes on working as one: a new request is filed and sent under its own credential.
        const next = ulid();
        expect((await submitDraft(phone, PPID, next, validPpid())).ok).toBe(true);
        expect((await engine.sync('manual')).outcome).toBe('ok');
        const stored = await t.db.selectFrom('submissions').select(['id', 'account_id']).where('id', '=', next).execute();
        expect(stored).toEqual([{ id: next, account_id: null }]);
      } finally {
        engine.close();
        setAtRestCodec(undefined);
        setLockedCodec(undefined);
        requireAtRestCodec(false);
        phone.close();
      }
    });
  },
  { auth: TEST_AUTH },
);
