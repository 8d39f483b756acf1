// The phone's side of the wipe signal (#12 finding 4): a shared phone holds a resident's request
// (with its photo and the province's answer) and an officer's work (a coklit draft, a queued coklit
// entry, a receipt with a pulled answer, the downloaded voter list, the token). A sync's 401 makes
// the phone ask why; on `token_revoked_wipe` the officer's data goes, the resident's request stays,
// readable, and goes on syncing under the device's own credential. On `token_revoked` (a password
// change elsewhere) nothing goes.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { coklitPilkadaV1 } from '../../../core/forms/catalog/coklit-pilkada.ts';
import { ulid } from '../../../core/ids.ts';
import { API_PREFIX } from '../../../core/protocol.ts';
import { codecForKey } from '../../../src/auth/at-rest-codec.ts';
import { createPinLock } from '../../../src/auth/device-key.ts';
import { getSession, PIN_LOCK_KEY, saveSession, SESSION_KEY, type OfficerSession } from '../../../src/auth/session.ts';
import { saveAssignment } from '../../../src/db/assignment.ts';
import { atRestMiddleware, isSealedFile, openStoredFile, requireAtRestCodec, setAtRestCodec, setLockedCodec } from '../../../src/db/crypto-at-rest.ts';
import { saveDraft } from '../../../src/db/drafts.ts';
import { seedForms } from '../../../src/db/forms-cache.ts';
import { setMeta } from '../../../src/db/meta.ts';
import { wipeOfficerData } from '../../../src/auth/wipe.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import { applyChanges } from '../../../src/db/receipts.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { sealExistingRows } from '../../../src/features/officer/seal-existing.ts';
import { onUnauthorizedFor } from '../../../src/sync/unauthorized.ts';
import { sampleAnswers } from '../../support/form-filler.ts';
import { FAST_KDF } from '../../support/test-kdf.ts';
import { fakeJpeg } from '../attachments/fixtures.ts';
import { PPID, validPpid } from '../db/test-db.ts';
import { rawRecordsText } from '../../support/raw-records.ts';
import { storeSampleFiles } from '../../support/sample-files.ts';

const RESIDENT_NIK = '1901024501900001';
const VOTER_NIK = '1901015507800002';
const VOTER_NAME = 'Rahmat Hidayat';
const OFFICER_NOTE = 'Pemilih pindah ke Desa Riau';

afterEach(() => {
  setAtRestCodec(undefined);
  setLockedCodec(undefined);
  requireAtRestCodec(false);
});

/** A server that answers the phone's question (GET /auth/me) with this 401 code. */
function serverSays(code: string): typeof fetch {
  return (async (url: string | URL | Request) => {
    expect(String(url)).toBe(`${API_PREFIX}/auth/me`);
    return new Response(JSON.stringify({ error: code, message: '…' }), { status: 401, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
}

/** The shared phone: a resident filed first, then an officer logged in, set a PIN and worked. */
async function sharedPhone() {
  const name = `revoked-${ulid()}`;
  const db = new JangkauDb(name).use(atRestMiddleware) as JangkauDb;
  await seedForms(db, [PPID, coklitPilkadaV1]);
  const photo = await fakeJpeg(7, 4096);
  const resident = ulid();
  expect((await submitDraft(db, PPID, resident, validPpid({ nik: RESIDENT_NIK }))).ok).toBe(true);
  // A file waiting to upload for it (PPID has no file field; the row is what matters here).
  await db.attachments.put({ sha256: photo.sha256, type: 'image/jpeg', size: photo.bytes.length, blob: photo.blob, state: 'waiting', refs: [resident], bytesSent: 0, createdAt: Date.now() });

  const session: OfficerSession = {
    token: 'jkt_officer-token-of-the-stolen-phone-0001',
    deviceId: ulid(),
    account: { id: ulid(), username: 'pantarlih1', role: 'pantarlih', scope: '19.01.01.1001', displayName: 'Uji' },
    loggedInAt: Date.now(),
  };
  await saveSession(db, session);
  setAtRestCodec(codecForKey(await createPinLock(db, '274915', FAST_KDF)));
  requireAtRestCodec(true);
  await sealExistingRows(db);

  const entry = ulid();
  const answers = { ...sampleAnswers(coklitPilkadaV1), nik: VOTER_NIK, nama: VOTER_NAME, catatan: OFFICER_NOTE };
  await storeSampleFiles(db, coklitPilkadaV1, answers);
  const filed = await submitDraft(db, coklitPilkadaV1, entry, answers);
  expect(filed).toMatchObject({ ok: true });
  const draft = await saveDraft(db, { formId: coklitPilkadaV1.formId, formVersion: coklitPilkadaV1.version, data: { nik: VOTER_NIK } });
  expect(draft.ok).toBe(true);
  await applyChanges(db, [{ seq: 1, submissionId: resident, status: 'selesai', answer: 'Salinan dapat diambil Senin', at: new Date().toISOString() }], '1');
  await saveAssignment(db, '19.01.01.1001', [{ tps: '001', voters: [{ ...sampleVoter(), nik: VOTER_NIK, nama: VOTER_NAME }] }], new Date().toISOString());
  await setMeta(db, 'pullCursors', { [`officer:${session.deviceId}`]: '9', device: '1' });
  return { name, db, resident, entry, photo };
}

function sampleVoter() {
  return {
    desa: '19.01.01.1001',
    tps: '001',
    nik: VOTER_NIK,
    kk: '1901010101800001',
    nama: VOTER_NAME,
    jenisKelamin: 'L' as const,
    tempatLahir: 'Sungailiat',
    tanggalLahir: '1980-07-15',
    alamat: 'Jl. Pantai 3',
    rt: '001',
  };
}

describe('a revoked officer token on a shared phone', () => {
  it('token_revoked_wipe: the officer’s data goes, the resident’s request stays readable', async () => {
    const { name, db, resident, photo } = await sharedPhone();
    // Before: everything sealed under the device key, the resident's request and photo included.
    const before = await rawRecordsText(name);
    expect(before).toContain('officerPinLock');
    expect(before).not.toContain(RESIDENT_NIK);
    const sealedPhoto = new JangkauDb(name);
    expect(isSealedFile((await sealedPhoto.attachments.get(photo.sha256))?.blob)).toBe(true);
    sealedPhoto.close();

    const verdict = await onUnauthorizedFor(db, async () => (await getSession(db)) !== undefined, (d) =>
      import('../../../src/auth/revocation.ts').then((m) => m.settleRefusedToken(d, { fetch: serverSays('token_revoked_wipe') })),
    )();
    expect(verdict).toBe('login');

    // Gone: the key, the token, the officer's draft, entry, receipt, voter list and pull cursor.
    expect(await db.meta.get(PIN_LOCK_KEY)).toBeUndefined();
    expect(await db.meta.get(SESSION_KEY)).toBeUndefined();
    expect(await db.assignment.count()).toBe(0);
    expect((await db.drafts.toArray()).map((d) => d.formId)).toEqual([]);
    expect((await db.outbox.toArray()).map((o) => o.id)).toEqual([resident]);
    expect((await db.receipts.toArray()).map((r) => r.id)).toEqual([resident]);
    expect((await db.meta.get('pullCursors'))?.value).toEqual({ device: '1' });
    const after = await rawRecordsText(name);
    for (const secret of [VOTER_NIK, VOTER_NAME, OFFICER_NOTE, 'officerPinLock', 'jkt_officer-token']) expect(after).not.toContain(secret);

    // Kept, and readable with no key at all (as a resident's phone keeps it): the request, its
    // answer and its photo.
    const raw = new JangkauDb(name);
    const [queued] = await raw.outbox.toArray();
    expect(queued?.envelope.data).toMatchObject({ nik: RESIDENT_NIK });
    expect((await raw.receipts.get(resident))?.answer).toBe('Salinan dapat diambil Senin');
    const file = (await raw.attachments.get(photo.sha256))?.blob;
    expect(file).toBeInstanceOf(Blob);
    expect(new Uint8Array(await openStoredFile(file)!.arrayBuffer())).toEqual(photo.bytes);
    raw.close();
    // New work is written as on a resident's phone: no key needed, nothing refused.
    expect((await submitDraft(db, PPID, ulid(), validPpid())).ok).toBe(true);
  });

  it('token_revoked (a password change elsewhere): nothing is erased, a new login is asked', async () => {
    const { name, db } = await sharedPhone();
    const before = await rawRecordsText(name);
    const verdict = await onUnauthorizedFor(db, async () => true, (d) =>
      import('../../../src/auth/revocation.ts').then((m) => m.settleRefusedToken(d, { fetch: serverSays('token_revoked') })),
    )();
    expect(verdict).toBe('login');
    expect(await db.outbox.count()).toBe(2);
    expect(await db.drafts.count()).toBe(1);
    expect(await db.assignment.count()).toBe(1);
    expect(await getSession(db)).toMatchObject({ needsRelogin: true });
    expect((await rawRecordsText(name)).length).toBeGreaterThanOrEqual(before.length);
  });

  it('keeps exactly the resident’s rows, readable without any key, whatever the mix (property)', async () => {
    type Row = { who: 'resident' | 'officer'; draft: boolean; beforePin: boolean };
    const rowArb = fc.record({ who: fc.constantFrom<'resident' | 'officer'>('resident', 'officer'), draft: fc.boolean(), beforePin: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { maxLength: 6 }), async (rows: Row[]) => {
        const name = `mix-${ulid()}`;
        const db = new JangkauDb(name).use(atRestMiddleware) as JangkauDb;
        try {
          await seedForms(db, [PPID, coklitPilkadaV1]);
          const nikOf = (i: number) => `1901024501900${String(i + 101)}`;
          const kept = new Set<string>();
          const file = async (row: Row, i: number) => {
            const nik = nikOf(i);
            const form = row.who === 'resident' ? PPID : coklitPilkadaV1;
            const data = row.who === 'resident' ? validPpid({ nik }) : { ...sampleAnswers(coklitPilkadaV1), nik };
            let id: string;
            if (row.draft) {
              const saved = await saveDraft(db, { formId: form.formId, formVersion: form.version, data });
              if (!saved.ok) throw new Error('draft refused');
              id = saved.draft.id;
            } else {
              id = ulid();
              await storeSampleFiles(db, form, data);
              const filed = await submitDraft(db, form, id, data);
              if (!filed.ok) throw new Error(`filing refused: ${JSON.stringify(filed)}`);
            }
            if (row.who === 'resident') kept.add(id);
          };
          // A resident's rows before the officer's login (residents only), then the PIN, then both.
          const order = rows.map((row, i) => ({ row: row.who === 'officer' ? { ...row, beforePin: false } : row, i }));
          for (const { row, i } of order.filter((o) => o.row.beforePin)) await file(row, i);
          await saveSession(db, { token: 'jkt_mixed-phone-token-000000000000001', deviceId: ulid(), account: { id: ulid(), username: 'p', role: 'pantarlih', scope: '19.01.01.1001', displayName: 'P' }, loggedInAt: 1 });
          setAtRestCodec(codecForKey(await createPinLock(db, '274915', FAST_KDF)));
          requireAtRestCodec(true);
          await sealExistingRows(db);
          for (const { row, i } of order.filter((o) => !o.row.beforePin)) await file(row, i);

          await wipeOfficerData(db);

          const ids = new Set([...(await db.drafts.toArray()), ...(await db.receipts.toArray()), ...(await db.outbox.toArray())].map((r) => r.id));
          expect([...ids].sort()).toEqual([...kept].sort());
          const raw = await rawRecordsText(name);
          expect(raw).not.toContain('~sealed');
          for (const { row, i } of order) expect(raw.includes(nikOf(i))).toBe(row.who === 'resident');
        } finally {
          setAtRestCodec(undefined);
          requireAtRestCodec(false);
          db.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
