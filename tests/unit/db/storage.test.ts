// Drafts, device identity, the forms cache and status changes on receipts.
import { afterEach, describe, expect, it } from 'vitest';
import { isUlid, ulid } from '../../../core/ids.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { deviceAuth, getDeviceIdentity } from '../../../src/db/device-identity.ts';
import { deleteDraft, listDrafts, saveDraft } from '../../../src/db/drafts.ts';
import { cacheForms, getForm, listOfferedForms, seedForms } from '../../../src/db/forms-cache.ts';
import { getSyncMeta, putSyncMeta } from '../../../src/db/meta.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import { applyChanges, listReceipts } from '../../../src/db/receipts.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { isQuotaError } from '../../../src/db/errors.ts';
import { openTestDb, PPID, validPpid } from './test-db.ts';

const dbs: JangkauDb[] = [];
function freshDb(): JangkauDb {
  const db = openTestDb();
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('drafts', () => {
  it('creates an id, keeps createdAt and moves updatedAt on each save', async () => {
    const db = freshDb();
    const first = await saveDraft(db, { formId: PPID.formId, formVersion: 1, data: { nama: 'S' } }, 1_000);
    if (!first.ok) throw new Error('save failed');
    expect(isUlid(first.draft.id)).toBe(true);
    const second = await saveDraft(db, { id: first.draft.id, formId: PPID.formId, formVersion: 1, data: { nama: 'Siti' } }, 5_000);
    expect(second).toEqual({ ok: true, draft: { ...first.draft, data: { nama: 'Siti' }, createdAt: 1_000, updatedAt: 5_000 } });
    expect(await db.drafts.get(first.draft.id)).toEqual(second.ok && second.draft);
  });

  it('lists drafts most recently edited first, and deletes them', async () => {
    const db = freshDb();
    const a = await saveDraft(db, { formId: 'a', formVersion: 1, data: {} }, 1);
    const b = await saveDraft(db, { formId: 'b', formVersion: 1, data: {} }, 2);
    await saveDraft(db, { id: a.ok ? a.draft.id : '', formId: 'a', formVersion: 1, data: { x: '1' } }, 3);
    expect((await listDrafts(db)).map((d) => d.formId)).toEqual(['a', 'b']);
    expect((await listDrafts(db, 'b')).map((d) => d.id)).toEqual([b.ok && b.draft.id]);
    await deleteDraft(db, b.ok ? b.draft.id : '');
    expect(await listDrafts(db)).toHaveLength(1);
  });

  it('does not bring back the draft of a request already filed (late autosave from another tab)', async () => {
    const db = freshDb();
    const id = ulid();
    await submitDraft(db, PPID, id, validPpid());
    const late = await saveDraft(db, { id, formId: PPID.formId, formVersion: 1, data: validPpid() });
    expect(late.ok).toBe(false);
    expect(!late.ok && late.reason).toBe('submitted');
    expect(await db.drafts.count()).toBe(0);
  });
});

describe('device identity', () => {
  it('is created once and kept, even when two contexts ask at the same time', async () => {
    const db = freshDb();
    const other = new JangkauDb(db.name);
    dbs.push(other);
    const [a, b] = await Promise.all([getDeviceIdentity(db), getDeviceIdentity(other)]);
    expect(a).toEqual(b);
    expect(isUlid(a.deviceId)).toBe(true);
    expect(a.deviceSecret).toMatch(/^[A-Za-z0-9_-]{16,128}$/);
    expect(await getDeviceIdentity(db)).toEqual(a);
    expect(await deviceAuth(db)()).toBe(`Device ${a.deviceId}.${a.deviceSecret}`);
  });
});

describe('forms cache', () => {
  const v2: FormDef = { ...PPID, version: 2, title: { id: 'Permohonan Informasi Publik (baru)', en: 'Public information request (new)' } };
  const other: FormDef = { ...PPID, formId: 'keberatan', version: 1 };

  it('seeds the bundled forms once, so a fresh install can file before its first pull', async () => {
    const db = freshDb();
    await seedForms(db, PUBLISHED_FORMS);
    await seedForms(db, PUBLISHED_FORMS);
    expect(await db.forms.count()).toBe(PUBLISHED_FORMS.length);
    const offered = (await listOfferedForms(db)).map((f) => [f.formId, f.version]);
    expect(offered).toHaveLength(new Set(PUBLISHED_FORMS.map((f) => f.formId)).size);
    expect(offered).toContainEqual(['ppid-permohonan', 1]);
    expect(await getForm(db, 'ppid-permohonan', 1)).toEqual(PPID);
  });

  it('offers the newest non-retired version of each form and keeps old versions readable', async () => {
    const db = freshDb();
    await seedForms(db, PUBLISHED_FORMS);
    await cacheForms(db, { forms: [PPID, v2, other], retired: [] });
    // Only the two forms this test publishes; the other bundled forms are offered as seeded.
    const ours = async () => (await listOfferedForms(db)).filter((f) => f.formId === 'keberatan' || f.formId === 'ppid-permohonan').map((f) => [f.formId, f.version]);
    expect(await ours()).toEqual([
      ['keberatan', 1],
      ['ppid-permohonan', 2],
    ]);

    // v2 withdrawn: v1 is offered again; a retired version the server no longer lists stays cached.
    await cacheForms(db, { forms: [PPID], retired: [{ formId: 'ppid-permohonan', version: 2 }, { formId: 'keberatan', version: 1 }] });
    expect(await ours()).toEqual([['ppid-permohonan', 1]]);
    expect(await getForm(db, 'ppid-permohonan', 2)).toEqual(v2);
    expect(await getForm(db, 'keberatan', 1)).toEqual(other);
    expect(await getForm(db, 'keberatan', 9)).toBeUndefined();

    // Seeding again does not undo what the server said.
    await seedForms(db, [v2]);
    expect((await listOfferedForms(db)).filter((f) => f.formId === PPID.formId).map((f) => f.version)).toEqual([1]);
  });
});

describe('status changes on receipts', () => {
  it('applies changes in seq order, ignores replays and stores the cursor', async () => {
    const db = freshDb();
    const id = ulid();
    await submitDraft(db, PPID, id, validPpid());
    const change = (seq: number, status: 'diterima' | 'diproses' | 'selesai', answer?: string) => ({
      seq,
      submissionId: id,
      status,
      at: `2026-12-0${seq}T00:00:00Z`,
      ...(answer ? { answer } : {}),
    });

    expect(await applyChanges(db, [change(1, 'diterima'), change(3, 'selesai', 'Terlampir.')], '3')).toBe(2);
    // A replayed page, and an older change arriving late, change nothing.
    expect(await applyChanges(db, [change(2, 'diproses'), change(3, 'selesai', 'Terlampir.')], '3')).toBe(0);
    // Changes for requests this device does not hold are skipped.
    expect(await applyChanges(db, [{ ...change(4, 'diproses'), submissionId: ulid() }], '4')).toBe(0);

    const receipt = (await listReceipts(db))[0]!;
    expect(receipt).toMatchObject({ status: 'selesai', answer: 'Terlampir.', statusSeq: 3, statusAt: '2026-12-03T00:00:00Z' });
    expect((await db.meta.get('pullCursor'))?.value).toBe('4');
  });
});

describe('meta and errors', () => {
  it('keeps lastSyncAt and nextAttemptAt as their own keys, for screens to watch', async () => {
    const db = freshDb();
    expect(await getSyncMeta(db)).toEqual({ failures: 0 });
    await putSyncMeta(db, { failures: 2, nextAttemptAt: 9, lastSyncAt: 5, lastOutcome: 'offline' });
    expect((await db.meta.get('lastSyncAt'))?.value).toBe(5);
    expect((await db.meta.get('nextAttemptAt'))?.value).toBe(9);
    await putSyncMeta(db, { failures: 0, lastSyncAt: 7, lastOutcome: 'ok' });
    expect(await getSyncMeta(db)).toEqual({ failures: 0, lastSyncAt: 7, lastOutcome: 'ok' });
  });

  it('recognises a quota error directly or wrapped by Dexie', () => {
    const dom = new DOMException('full', 'QuotaExceededError');
    expect(isQuotaError(dom)).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: dom })).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
    expect(isQuotaError(undefined)).toBe(false);
  });
});
