// Issue #12 finding 4, its last part: an officer's phone is snatched while unlocked (or its PIN was
// watched), with the day's coklit entries not sent yet, the village's voter list and the token. The
// officer reports it; an admin revokes the phone's token. The thief brings the phone online: its
// first sync must erase the officer's data (the voter list, the entries, the answers, the key and
// the token) and leave the resident's own request, which the phone then still sends as the
// resident's. Before, the 401 only asked for a new login and the phone kept everything.
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { coklitPilkadaV1 } from '../../core/forms/catalog/coklit-pilkada.ts';
import { ulid } from '../../core/ids.ts';
import { codecForKey } from '../../src/auth/at-rest-codec.ts';
import { createPinLock } from '../../src/auth/device-key.ts';
import { officerOrDeviceAuth } from '../../src/auth/officer-auth.ts';
import { settleRefusedToken } from '../../src/auth/revocation.ts';
import { getSession, saveSession } from '../../src/auth/session.ts';
import { saveAssignment } from '../../src/db/assignment.ts';
import { atRestMiddleware, requireAtRestCodec, setAtRestCodec, setLockedCodec } from '../../src/db/crypto-at-rest.ts';
import { seedForms } from '../../src/db/forms-cache.ts';
import { submitDraft } from '../../src/db/outbox.ts';
import { JangkauDb } from '../../src/db/schema.ts';
import { sealExistingRows } from '../../src/features/officer/seal-existing.ts';
import { createApiClient } from '../../src/lib/api-client.ts';
import { createSyncEngine } from '../../src/sync/engine.ts';
import { onUnauthorizedFor } from '../../src/sync/unauthorized.ts';
import { bearer, officer, REGION, TEST_AUTH } from '../server/auth-fixtures.ts';
import { describeEachDialect, injectFetch } from '../server/helpers.ts';
import { sampleAnswers } from '../support/form-filler.ts';
import { FAST_KDF } from '../support/test-kdf.ts';
import { PPID, validPpid } from '../unit/db/test-db.ts';
import { rawRecordsText } from '../support/raw-records.ts';
import { storeSampleFiles } from '../support/sample-files.ts';

const ORIGIN = 'http://jangkau.test';
const RESIDENT_NIK = '1901024501900001';
const VOTER_NIK = '1901015507800002';
const VOTER_NAME = 'Rahmat Hidayat';

describeEachDialect(
  'a stolen officer phone, revoked by an admin, comes online',
  (ctx) => {
    it('erases the officer’s data on its first sync and keeps sending the resident’s request', async () => {
      const t = ctx();
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const name = `stolen-${ulid()}`;
      const phone = new JangkauDb(name).use(atRestMiddleware) as JangkauDb;
      const fetchImpl = injectFetch(t.app);
      const api = createApiClient({ baseUrl: ORIGIN, getAuth: officerOrDeviceAuth(phone), fetch: fetchImpl, compress: false });
      const engine = createSyncEngine({
        db: phone,
        api,
        locks: undefined,
        channel: null,
        onUnauthorized: onUnauthorizedFor(
          phone,
          async () => (await getSession(phone)) !== undefined,
          (db) => settleRefusedToken(db, { baseUrl: ORIGIN, fetch: fetchImpl }),
        ),
      });
      try {
        await seedForms(phone, [PPID, coklitPilkadaV1]);
        // A resident filed a request on this phone, offline; then the officer logged in on it.
        const resident = ulid();
        expect((await submitDraft(phone, PPID, resident, validPpid({ nik: RESIDENT_NIK }))).ok).toBe(true);
        await saveSession(phone, { token: pantarlih.token, deviceId: pantarlih.deviceId, account: { id: pantarlih.id, username: pantarlih.username, role: 'pantarlih', scope: REGION.village, displayName: 'P' }, loggedInAt: Date.now() });
        setAtRestCodec(codecForKey(await createPinLock(phone, '274915', FAST_KDF)));
        requireAtRestCodec(true);
        await sealExistingRows(phone);
        // A day in the field, out of signal: the voter list, and an entry not sent yet.
        await saveAssignment(phone, REGION.village, [{ tps: '001', voters: [{ desa: REGION.village, tps: '001', nik: VOTER_NIK, kk: '1901010101800001', nama: VOTER_NAME, jenisKelamin: 'L', tempatLahir: 'Sungailiat', tanggalLahir: '1980-07-15', alamat: 'Jl. Pantai 3', rt: '001' }] }], new Date().toISOString());
        const entry = ulid();
        const answers = { ...sampleAnswers(coklitPilkadaV1), desa: REGION.village, nik: VOTER_NIK, nama: VOTER_NAME };
        await storeSampleFiles(phone, coklitPilkadaV1, answers);
        expect((await submitDraft(phone, coklitPilkadaV1, entry, answers)).ok).toBe(true);

        // Snatched, unlocked. The officer reports it; the admin revokes the phone.
        const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${pantarlih.deviceId}/revoke`, headers: bearer(admin.token) });
        expect(revoked.json()).toEqual({ ok: true, wipeOnContact: true });

        // The thief brings it online.
        const first = await engine.sync('online');
        expect(first.outcome).toBe('auth');
        expect(await getSession(phone)).toBeUndefined();
        const left = await rawRecordsText(name);
        for (const gone of [VOTER_NIK, VOTER_NAME, pantarlih.token, 'officerPinLock', '~sealed']) expect(left).not.toContain(gone);
        expect(await phone.assignment.count()).toBe(0);
        expect((await phone.outbox.toArray()).map((r) => r.id)).toEqual([resident]);
        // Nothing of the officer reached the server through the revoked token.
        expect(await t.db.selectFrom('submissions').select('id').where('id', '=', entry).execute()).toEqual([]);

        // The resident's request goes on as the phone's own, on the next sync.
        const second = await engine.sync('manual');
        expect(second.outcome).toBe('ok');
        const stored = await t.db.selectFrom('submissions').select(['id', 'account_id']).where('id', '=', resident).execute();
        expect(stored).toEqual([{ id: resident, account_id: null }]);
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
