// Files on the device from choosing to done: stored under their sha256, held back until the
// submission's data was acknowledged, sent by the engine's upload phase, resumed from the stored
// upload URL after a cut, never sent again once done. The tus client is replaced by an in-memory
// uploader (the real one is tested against the real server in tests/server/uploads-client.test.ts
// and end to end in tests/e2e/attachments.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { attachmentsOf, attachmentTotals, DRAFT_FILE_GRACE_MS, listUploadable, pruneDraftAttachments, storeAttachment } from '../../../src/db/attachments.ts';
import { deleteDraft, saveDraft } from '../../../src/db/drafts.ts';
import { buildEnvelope, discardRejected, requeueFixed, submitDraft } from '../../../src/db/outbox.ts';
import type { JangkauDb } from '../../../src/db/schema.ts';
import type { UploadOptions, UploadResult } from '../../../src/lib/tus-client.ts';
import type { SyncState } from '../../../src/sync/engine.ts';
import { FakeServer } from '../sync/fake-server.ts';
import { fakeJpeg, fakePdf, LAMPIRAN_FORM } from './fixtures.ts';
import { phoneWithUploads } from './phone.ts';
import { openStoredFile, SEALED_KEY } from '../../../src/db/crypto-at-rest.ts';
import { parseDeviceAuthorization } from '../../../core/protocol.ts';

const T0 = Date.parse('2026-12-01T02:00:00.000Z');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

/** An uploader with a server's memory: bytes received per sha256, and a script of cuts. */
class FakeUploads {
  readonly received = new Map<string, number>();
  readonly calls: { sha256: string; uploadUrl?: string; pushesBefore: number }[] = [];
  /** Per call: cut after this many more bytes (undefined: no cut), or refuse with a status. */
  script: ({ cutAfter: number } | { refuse: number; error: string } | undefined)[] = [];
  /** Refuse a device the server does not know, as the real uploads route does (401 device_unknown). */
  knownDevicesOnly = false;
  constructor(private readonly server: FakeServer) {}

  readonly upload = async (o: UploadOptions): Promise<UploadResult> => {
    this.calls.push({ sha256: o.sha256, ...(o.uploadUrl ? { uploadUrl: o.uploadUrl } : {}), pushesBefore: this.server.pushedIds().length });
    const device = parseDeviceAuthorization(await o.getAuth());
    if (this.knownDevicesOnly && !(device && this.server.isKnownDevice(device.deviceId))) {
      return { kind: 'rejected', status: 401, error: 'device_unknown', bytesSent: 0 };
    }
    const step = this.script.shift();
    if (step && 'refuse' in step) return { kind: 'rejected', status: step.refuse, error: step.error, bytesSent: 0 };
    const url = `http://kpu.test/api/v1/uploads/${o.sha256}`;
    o.onUploadUrl?.(url);
    const total = o.blob.size;
    let offset = this.received.get(o.sha256) ?? 0;
    const start = offset;
    const stop = step ? Math.min(total, offset + step.cutAfter) : total;
    while (offset < stop) {
      offset = Math.min(stop, offset + 1024);
      this.received.set(o.sha256, offset);
      o.onProgress?.({ offset, total });
    }
    if (offset < total) return { kind: 'offline', uploadUrl: url, bytesSent: offset - start };
    return { kind: 'done', uploadUrl: url, bytesSent: offset - start };
  };
}

function setup(now = T0) {
  const server = new FakeServer([...PUBLISHED_FORMS, LAMPIRAN_FORM]);
  const uploads = new FakeUploads(server);
  const { db, engine, close } = phoneWithUploads(server, uploads.upload, now);
  cleanups.push(close);
  return { db, server, uploads, engine };
}

async function fileWithPhoto(db: JangkauDb, seed: number, at = T0) {
  const photo = await fakeJpeg(seed);
  const thumb = new Blob([new Uint8Array([0xff, 0xd8, 1, 2])], { type: 'image/jpeg' });
  const stored = await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob, thumb }, at);
  expect(stored.ok).toBe(true);
  const id = ulid(at);
  const data = { judul: `Laporan ${seed}`, foto: { sha256: photo.sha256, type: 'image/jpeg', size: photo.blob.size } };
  const result = await submitDraft(db, LAMPIRAN_FORM, id, data, at);
  if (!result.ok) throw new Error(JSON.stringify(result));
  return { id, photo };
}

describe('attachments on the device', () => {
  it('a chosen file waits as part of its draft, then of its submission, and is held back until the data went', async () => {
    const { db } = setup();
    const photo = await fakeJpeg(1);
    await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, T0);
    expect((await db.attachments.get(photo.sha256))?.state).toBe('draft');
    expect(await listUploadable(db)).toEqual([]);

    const id = ulid(T0);
    await submitDraft(db, LAMPIRAN_FORM, id, { judul: 'Satu', foto: { sha256: photo.sha256, type: 'image/jpeg', size: photo.blob.size } }, T0);
    const row = await db.attachments.get(photo.sha256);
    expect(row).toMatchObject({ state: 'waiting', refs: [id], bytesSent: 0, size: photo.blob.size });
    // The submission is still in the outbox: its data has not gone, so neither may the file.
    expect(await listUploadable(db)).toEqual([]);
  });

  it('sync pushes the data first, then uploads the file; done drops the bytes, keeps the preview, and is never sent again', async () => {
    const { db, server, uploads, engine } = setup();
    const { id, photo } = await fileWithPhoto(db, 2);
    const states: SyncState[] = [];
    engine.subscribe((s) => states.push(s));

    const report = await engine.sync('manual');
    expect(report.outcome).toBe('ok');
    expect(report.uploaded).toEqual({ files: 1, rejected: 0, bytes: photo.blob.size });
    expect(uploads.calls).toEqual([{ sha256: photo.sha256, pushesBefore: 1 }]);
    expect(server.submissions.get(id)?.envelope.data.foto).toEqual({ sha256: photo.sha256, type: 'image/jpeg', size: photo.blob.size });

    const row = await db.attachments.get(photo.sha256);
    expect(row?.state).toBe('done');
    expect(row?.bytesSent).toBe(photo.blob.size);
    expect(row?.blob).toBeUndefined();
    expect(openStoredFile(row?.thumb)?.size).toBe(4);
    const last = states.filter((s) => s.uploads).at(-1)?.uploads;
    expect(last).toEqual({ files: 1, done: 1, bytes: photo.blob.size, sentBytes: photo.blob.size });

    await engine.sync('manual');
    expect(uploads.calls).toHaveLength(1);
  });

  it('no file goes while its data could not: a failed push leaves the file waiting', async () => {
    const { db, server, uploads, engine } = setup();
    const { id, photo } = await fileWithPhoto(db, 15);
    server.fail({ kind: 'offline' }, 'push');
    const report = await engine.sync('manual');
    expect(report.outcome).toBe('offline');
    expect(uploads.calls).toEqual([]);
    expect((await db.attachments.get(photo.sha256))?.state).toBe('waiting');
    expect((await db.outbox.get(id))?.state).toBe('queued');
  });

  it('a cut leaves the file uploading with its URL and offset; the next sync resumes there and sends only the rest', async () => {
    const { db, uploads, engine } = setup();
    const { id, photo } = await fileWithPhoto(db, 3);
    uploads.script = [{ cutAfter: 3000 }];

    const first = await engine.sync('manual');
    expect(first.outcome).toBe('offline');
    const cut = await db.attachments.get(photo.sha256);
    expect(cut).toMatchObject({ state: 'uploading', bytesSent: 3000, uploadUrl: `http://kpu.test/api/v1/uploads/${photo.sha256}` });
    expect(attachmentTotals(await attachmentsOf(db, id))).toEqual({ files: 1, done: 0, rejected: 0, bytes: 4096, sentBytes: 3000 });

    const second = await engine.sync('manual');
    expect(second.outcome).toBe('ok');
    expect(second.uploaded.bytes).toBe(4096 - 3000);
    expect(uploads.calls[1]?.uploadUrl).toBe(`http://kpu.test/api/v1/uploads/${photo.sha256}`);
    expect((await db.attachments.get(photo.sha256))?.state).toBe('done');
  });

  it('what a cut try learnt goes to the next sync: started before (no body in its creation), the cut body, a lossy link', async () => {
    const server = new FakeServer([...PUBLISHED_FORMS, LAMPIRAN_FORM]);
    const seen: UploadOptions[] = [];
    const cut = { from: 0, sentBytes: 2048 };
    const upload = async (o: UploadOptions): Promise<UploadResult> => {
      seen.push(o);
      if (seen.length === 1) {
        // A creation carrying the file, cut before its answer: no URL learnt.
        o.onCreating?.();
        return { kind: 'offline', bytesSent: o.blob.size, cut };
      }
      if (seen.length === 2) return { kind: 'offline', bytesSent: 0, lossy: true, cut: { from: 1024, sentBytes: 900 } };
      return { kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${o.sha256}`, bytesSent: o.blob.size };
    };
    const { db, engine, close } = phoneWithUploads(server, upload, T0);
    cleanups.push(close);
    const { photo } = await fileWithPhoto(db, 21);
    expect((await engine.sync('manual')).outcome).toBe('offline');
    expect(seen[0]).not.toHaveProperty('startedBefore');
    expect(await db.attachments.get(photo.sha256)).toMatchObject({ state: 'uploading', cut });
    expect((await engine.sync('manual')).outcome).toBe('offline');
    expect(seen[1]).toMatchObject({ startedBefore: true, lastCut: cut });
    expect(seen[1]).not.toHaveProperty('lossy');
    expect((await engine.sync('manual')).outcome).toBe('ok');
    expect(seen[2]).toMatchObject({ startedBefore: true, lossy: true, lastCut: { from: 1024, sentBytes: 900 } });
    const done = await db.attachments.get(photo.sha256);
    expect(done?.state).toBe('done');
    expect(done).not.toHaveProperty('cut');
  });

  it('a refused file is marked with the reason and the other files still go', async () => {
    const { db, uploads, engine } = setup();
    const a = await fileWithPhoto(db, 4, T0);
    const b = await fileWithPhoto(db, 5, T0 + 10);
    uploads.script = [{ refuse: 415, error: 'unsupported_media_type' }];

    const report = await engine.sync('manual');
    expect(report.outcome).toBe('ok');
    expect(report.uploaded).toMatchObject({ files: 1, rejected: 1 });
    expect(await db.attachments.get(a.photo.sha256)).toMatchObject({ state: 'rejected', error: 'unsupported_media_type' });
    expect((await db.attachments.get(b.photo.sha256))?.state).toBe('done');
  });

  it('a device the server lost (device_unknown, nothing to push) follows its requests again, and the file goes', async () => {
    const { db, server, uploads, engine } = setup();
    const { photo } = await fileWithPhoto(db, 6);
    uploads.script = [{ cutAfter: 1000 }];
    expect((await engine.sync('manual')).outcome).toBe('offline');
    // The server lost this device's row (no other secret bound to it: no 401 on the pull).
    const { deviceId } = (await db.meta.get('device'))?.value as { deviceId: string };
    server.forgetRegistration(deviceId);
    uploads.knownDevicesOnly = true;
    const report = await engine.sync('manual');
    expect(report.outcome).toBe('ok');
    expect((await db.attachments.get(photo.sha256))?.state).toBe('done');
    expect(server.isKnownDevice(deviceId)).toBe(true);
  });

  it('a credential refused even after registering leaves the file waiting, never refused, and is tried once a sync', async () => {
    const { db, uploads, engine } = setup();
    const { photo } = await fileWithPhoto(db, 60);
    uploads.script = [
      { refuse: 401, error: 'device_unknown' },
      { refuse: 401, error: 'device_unknown' },
    ];
    await engine.sync('manual');
    expect((await db.attachments.get(photo.sha256))?.state).toBe('waiting');
    expect(uploads.calls).toHaveLength(2);
  });

  it('after a renewed identity with nothing queued, a waiting file still goes (no endless device_unknown)', async () => {
    const { db, server, uploads, engine } = setup();
    const { id, photo } = await fileWithPhoto(db, 61);
    uploads.script = [{ cutAfter: 1000 }];
    expect((await engine.sync('manual')).outcome).toBe('offline');
    expect(await db.outbox.count()).toBe(0);
    // The server restored an older backup: this phone's id is bound to another secret.
    const old = (await db.meta.get('device'))?.value as { deviceId: string };
    server.forgetDevice(old.deviceId);
    server.setStatus(id, 'diproses');
    uploads.knownDevicesOnly = true;
    const report = await engine.sync('manual');
    expect(report.outcome).toBe('ok');
    expect((await db.attachments.get(photo.sha256))?.state).toBe('done');
    expect((await db.receipts.get(id))?.status).toBe('diproses');
  });

  it('the same photo in two requests is stored and sent once', async () => {
    const { db, uploads, engine } = setup();
    const photo = await fakeJpeg(7);
    const ref = { sha256: photo.sha256, type: 'image/jpeg', size: photo.blob.size };
    await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, T0);
    await submitDraft(db, LAMPIRAN_FORM, ulid(T0), { judul: 'A', foto: ref }, T0);
    await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, T0 + 1);
    const pdf = await fakePdf(1);
    await storeAttachment(db, { sha256: pdf.sha256, type: 'application/pdf', blob: pdf.blob }, T0 + 1);
    await submitDraft(
      db,
      LAMPIRAN_FORM,
      ulid(T0 + 1),
      { judul: 'B', anggota: [{ nama: 'Siti', dokumen: { sha256: pdf.sha256, type: 'application/pdf', size: pdf.blob.size } }], foto: ref },
      T0 + 1,
    );
    expect((await db.attachments.get(photo.sha256))?.refs).toHaveLength(2);
    await engine.sync('manual');
    expect(uploads.calls.map((c) => c.sha256).sort()).toEqual([photo.sha256, pdf.sha256].sort());
  });

  it('a full disk while storing a file is an answer, and the queue is untouched', async () => {
    const { db } = setup();
    const { id } = await fileWithPhoto(db, 8);
    const before = await db.outbox.toArray();
    const photo = await fakeJpeg(9);
    const spy = vi.spyOn(db.attachments, 'add').mockRejectedValue(new DOMException('full', 'QuotaExceededError'));
    const result = await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob });
    spy.mockRestore();
    expect(result).toEqual({ ok: false, reason: 'quota' });
    expect(await db.outbox.toArray()).toEqual(before);
    expect(await db.attachments.get(photo.sha256)).toBeUndefined();
    expect((await db.outbox.get(id))?.state).toBe('queued');
  });

  it('discarding a refused request or a draft deletes the files only it held', async () => {
    const { db, server, engine } = setup();
    const { id, photo } = await fileWithPhoto(db, 10);
    // The province refuses this one: its file must not go, and goes with it when discarded.
    server.fail({ kind: 'status', status: 200, body: { serverTime: new Date(T0).toISOString(), results: [{ id, outcome: 'rejected', reason: 'invalid_data', errors: [] }] } }, 'push');
    await engine.sync('manual');
    expect((await db.outbox.get(id))?.state).toBe('needs_fix');
    expect(await listUploadable(db)).toEqual([]);
    expect((await discardRejected(db, id)).ok).toBe(true);
    expect(await db.attachments.get(photo.sha256)).toBeUndefined();

    const draftPhoto = await fakeJpeg(11);
    await storeAttachment(db, { sha256: draftPhoto.sha256, type: 'image/jpeg', blob: draftPhoto.blob }, T0);
    const saved = await saveDraft(db, { formId: LAMPIRAN_FORM.formId, formVersion: 1, data: { foto: { sha256: draftPhoto.sha256, type: 'image/jpeg', size: draftPhoto.blob.size } } });
    if (!saved.ok) throw new Error('draft not saved');
    await deleteDraft(db, saved.draft.id);
    expect(await db.attachments.get(draftPhoto.sha256)).toBeUndefined();
  });

  it('pruning deletes only stale files no draft holds', async () => {
    const { db } = setup();
    const [held, replaced, fresh] = await Promise.all([fakeJpeg(12), fakeJpeg(13), fakeJpeg(14)]);
    for (const f of [held, replaced]) await storeAttachment(db, { sha256: f.sha256, type: 'image/jpeg', blob: f.blob }, T0);
    await storeAttachment(db, { sha256: fresh.sha256, type: 'image/jpeg', blob: fresh.blob }, T0 + DRAFT_FILE_GRACE_MS);
    await saveDraft(db, { formId: LAMPIRAN_FORM.formId, formVersion: 1, data: { foto: { sha256: held.sha256, type: 'image/jpeg', size: held.blob.size } } });
    expect(await pruneDraftAttachments(db, T0 + DRAFT_FILE_GRACE_MS + 1)).toBe(1);
    expect(await db.attachments.get(replaced.sha256)).toBeUndefined();
    expect(await db.attachments.get(held.sha256)).toBeDefined();
    expect(await db.attachments.get(fresh.sha256)).toBeDefined();
  });

  it('pruning keeps every file while a draft reads sealed (a locked phone, the service worker)', async () => {
    const { db } = setup();
    const orphan = await fakeJpeg(15);
    await storeAttachment(db, { sha256: orphan.sha256, type: 'image/jpeg', blob: orphan.blob }, T0);
    const saved = await saveDraft(db, { formId: LAMPIRAN_FORM.formId, formVersion: 1, data: { catatan: 'x' } });
    if (!saved.ok) throw new Error('draft not saved');
    // How an officer's draft reads without the key: its answers one sealed value.
    await db.drafts.update(saved.draft.id, { data: { [SEALED_KEY]: 'AAAA' } });
    expect(await pruneDraftAttachments(db, T0 + DRAFT_FILE_GRACE_MS + 1)).toBe(0);
    expect(await db.attachments.get(orphan.sha256)).toBeDefined();
    await deleteDraft(db, saved.draft.id);
    expect(await pruneDraftAttachments(db, T0 + DRAFT_FILE_GRACE_MS + 1)).toBe(1);
  });

  it('a phone at its storage quota still uploads its files and frees their bytes; the queue stays intact', async () => {
    const { db, server, uploads, engine } = setup();
    const { id, photo } = await fileWithPhoto(db, 30);
    // The data went; the photo was cut on its way: its bytes still fill the phone.
    uploads.script = [{ cutAfter: 1000 }];
    expect((await engine.sync('manual')).outcome).toBe('offline');
    server.setStatus(id, 'diproses', 'Sedang diproses');
    const second = await fileWithPhoto(db, 31, T0 + 10);
    const queued = await db.outbox.toArray();
    // The phone is full: every write that adds to a receipt, the queue or the sync bookkeeping is
    // refused as a browser refuses it, with a QuotaExceededError DOMException.
    const proto = globalThis.IDBObjectStore.prototype;
    const full = new Set(['receipts', 'outbox', 'meta']);
    const quota = (original: IDBObjectStore['put']) =>
      function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (full.has(this.name)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.apply(this, args);
      };
    const [originalPut, originalAdd] = [proto.put, proto.add];
    const put = vi.spyOn(proto, 'put').mockImplementation(quota(originalPut));
    const add = vi.spyOn(proto, 'add').mockImplementation(quota(originalAdd));
    let report;
    try {
      report = await engine.sync('manual');
    } finally {
      put.mockRestore();
      add.mockRestore();
    }
    // Storage failed, so the sync reports it, but the upload phase still ran and freed the bytes.
    expect(report.outcome).toBe('failed');
    expect(report.error).toMatch(/QuotaExceeded/);
    expect(report.uploaded.files).toBe(1);
    const sent = await db.attachments.get(photo.sha256);
    expect(sent?.state).toBe('done');
    expect(sent?.blob).toBeUndefined();
    // Nothing lost: the queued request (its answer not recorded) and its file wait as they were.
    expect(await db.outbox.toArray()).toEqual(queued);
    expect((await db.attachments.get(second.photo.sha256))?.state).toBe('waiting');
    // With room again, the next sync settles everything: the queued one is a duplicate at most.
    expect((await engine.sync('manual')).outcome).toBe('ok');
    expect(await db.outbox.count()).toBe(0);
    expect((await db.receipts.get(id))?.status).toBe('diproses');
    expect((await db.attachments.get(second.photo.sha256))?.state).toBe('done');
  });

  it("a sync's upload phase prunes stale files no draft holds", async () => {
    const { db, engine } = setup(T0 + DRAFT_FILE_GRACE_MS + 1);
    const orphan = await fakeJpeg(16);
    await storeAttachment(db, { sha256: orphan.sha256, type: 'image/jpeg', blob: orphan.blob }, T0);
    expect((await engine.sync('manual')).outcome).toBe('ok');
    expect(await db.attachments.get(orphan.sha256)).toBeUndefined();
  });
});

describe("the fix screen's files", () => {
  /** Files a request with a photo and has the province refuse it: it waits in "perlu perbaikan". */
  async function refused(seed: number) {
    const { db, server, uploads, engine } = setup(T0 + 2 * DRAFT_FILE_GRACE_MS);
    const { id, photo } = await fileWithPhoto(db, seed);
    server.fail({ kind: 'status', status: 200, body: { serverTime: new Date(T0).toISOString(), results: [{ id, outcome: 'rejected', reason: 'invalid_data', errors: [] }] } }, 'push');
    await engine.sync('manual');
    expect((await db.outbox.get(id))?.state).toBe('needs_fix');
    return { db, server, uploads, engine, id, photo };
  }

  it('a photo chosen on the fix screen survives the prune of a later sync and goes with "Kirim ulang"', async () => {
    const { db, engine, server, uploads, id, photo } = await refused(40);
    // On the fix screen (which saves no draft) the person replaces the photo, an hour and more
    // before tapping "Kirim ulang"; meanwhile a sync runs its upload phase, which prunes.
    const replacement = await fakeJpeg(41);
    const chosen = await storeAttachment(db, { sha256: replacement.sha256, type: 'image/jpeg', blob: replacement.blob }, T0, id);
    expect(chosen.ok).toBe(true);
    await engine.sync('manual');
    expect(await db.attachments.get(replacement.sha256)).toBeDefined();

    const data = { judul: 'Laporan 40', foto: { sha256: replacement.sha256, type: 'image/jpeg', size: replacement.blob.size } };
    expect(await requeueFixed(db, id, buildEnvelope(LAMPIRAN_FORM, id, data))).toEqual({ ok: true });
    // The replaced photo is let go; the chosen one is part of the request and goes after its data.
    expect(await db.attachments.get(photo.sha256)).toBeUndefined();
    expect((await db.attachments.get(replacement.sha256))?.refs).toEqual([id]);
    expect((await engine.sync('manual')).outcome).toBe('ok');
    expect(server.submissions.get(id)?.envelope.data).toMatchObject({ foto: { sha256: replacement.sha256 } });
    expect(uploads.calls.map((c) => c.sha256)).toEqual([replacement.sha256]);
    expect((await db.attachments.get(replacement.sha256))?.state).toBe('done');
  });

  it('a fix naming a file the phone does not hold is refused with missing_files, and nothing changes', async () => {
    const { db, id } = await refused(42);
    const before = await db.outbox.get(id);
    const gone = await fakeJpeg(43);
    const data = { judul: 'Laporan 42', foto: { sha256: gone.sha256, type: 'image/jpeg', size: gone.blob.size } };
    expect(await requeueFixed(db, id, buildEnvelope(LAMPIRAN_FORM, id, data))).toEqual({ ok: false, reason: 'missing_files', missing: [gone.sha256] });
    expect(await db.outbox.get(id)).toEqual(before);
  });

  it('choosing the same bytes again restarts their grace period', async () => {
    const { db } = setup();
    const photo = await fakeJpeg(44);
    await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, T0);
    await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, T0 + DRAFT_FILE_GRACE_MS);
    expect(await pruneDraftAttachments(db, T0 + DRAFT_FILE_GRACE_MS + 1)).toBe(0);
    expect(await db.attachments.get(photo.sha256)).toBeDefined();
  });

  it('filing a form naming a file the phone no longer holds is refused with missing_files; nothing is queued, the draft stays', async () => {
    const { db } = setup();
    // A photo chosen by a form that never claimed it; a sync whose clock ran an hour and more
    // ahead (the phone's clock corrected, or the worker's clock not the page's) pruned it before
    // the form's first autosave.
    const photo = await fakeJpeg(45);
    await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, T0);
    expect(await pruneDraftAttachments(db, T0 + DRAFT_FILE_GRACE_MS + 1)).toBe(1);
    const id = ulid(T0);
    const data = { judul: 'Laporan 45', foto: { sha256: photo.sha256, type: 'image/jpeg', size: photo.blob.size } };
    await saveDraft(db, { id, formId: LAMPIRAN_FORM.formId, formVersion: 1, data });
    expect(await submitDraft(db, LAMPIRAN_FORM, id, data, T0)).toEqual({ ok: false, reason: 'missing_files', missing: [photo.sha256] });
    expect(await db.outbox.get(id)).toBeUndefined();
    expect(await db.receipts.get(id)).toBeUndefined();
    expect(await db.drafts.get(id)).toBeDefined();
  });

  it('a photo the form claimed when chosen survives any clock before its first autosave, and goes with the request', async () => {
    const { db, engine, uploads } = setup();
    const photo = await fakeJpeg(46);
    const id = ulid(T0);
    await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, T0, id);
    // No draft yet; syncs whose clocks say a day and a week later prune.
    expect(await pruneDraftAttachments(db, T0 + 24 * 3_600_000)).toBe(0);
    expect(await pruneDraftAttachments(db, T0 + 8 * 24 * 3_600_000)).toBe(0);
    const data = { judul: 'Laporan 46', foto: { sha256: photo.sha256, type: 'image/jpeg', size: photo.blob.size } };
    const filed = await submitDraft(db, LAMPIRAN_FORM, id, data, T0);
    expect(filed.ok).toBe(true);
    expect((await db.attachments.get(photo.sha256))?.state).toBe('waiting');
    expect((await engine.sync('manual')).outcome).toBe('ok');
    expect(uploads.calls.map((c) => c.sha256)).toEqual([photo.sha256]);
  });

  it("a form's autosave lets go of the photo it replaced, and discarding the form lets go of its own", async () => {
    const { db } = setup();
    const [first, second] = await Promise.all([fakeJpeg(47), fakeJpeg(48)]);
    const id = ulid(T0);
    const ref = (f: { sha256: string; blob: Blob }) => ({ sha256: f.sha256, type: 'image/jpeg', size: f.blob.size });
    await storeAttachment(db, { sha256: first.sha256, type: 'image/jpeg', blob: first.blob }, T0, id);
    await saveDraft(db, { id, formId: LAMPIRAN_FORM.formId, formVersion: 1, data: { foto: ref(first) } });
    await storeAttachment(db, { sha256: second.sha256, type: 'image/jpeg', blob: second.blob }, T0, id);
    await saveDraft(db, { id, formId: LAMPIRAN_FORM.formId, formVersion: 1, data: { foto: ref(second) } });
    expect((await db.attachments.get(first.sha256))?.refs).toEqual([]);
    expect(await pruneDraftAttachments(db, T0 + DRAFT_FILE_GRACE_MS + 1)).toBe(1);
    expect(await db.attachments.get(first.sha256)).toBeUndefined();
    expect(await db.attachments.get(second.sha256)).toBeDefined();
    await deleteDraft(db, id);
    expect(await db.attachments.get(second.sha256)).toBeUndefined();
    // A form closed before its first autosave (the app killed): its claim dies with it, and the
    // file goes once it is a month old.
    const orphan = await fakeJpeg(49);
    await storeAttachment(db, { sha256: orphan.sha256, type: 'image/jpeg', blob: orphan.blob }, T0, ulid(T0 + 1));
    expect(await pruneDraftAttachments(db, T0 + 8 * 24 * 3_600_000)).toBe(0);
    expect(await pruneDraftAttachments(db, T0 + 31 * 24 * 3_600_000)).toBe(1);
  });
});
