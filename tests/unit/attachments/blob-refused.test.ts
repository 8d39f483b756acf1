// WebKit refuses a Blob in IndexedDB in an ephemeral session (a private window, and the
// WebKitWebDriver session of tests/e2e/engine-webkit.test.ts): put() throws a DataCloneError
// ("BlobURLs are not yet supported"). There the photo must still be kept and queued: its bytes are
// stored as an ArrayBuffer instead, read back as the same file, sent byte for byte, and sealed like
// any file once an officer's PIN is set. Where Blobs are kept, nothing changes.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { codecForKey } from '../../../src/auth/at-rest-codec.ts';
import { createPinLock } from '../../../src/auth/device-key.ts';
import { listUploadable, storeAttachment } from '../../../src/db/attachments.ts';
import {
  atRestMiddleware,
  isSealedFile,
  openStoredFile,
  requireAtRestCodec,
  setAtRestCodec,
  setFilesAsBytes,
} from '../../../src/db/crypto-at-rest.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { sealExistingRows } from '../../../src/features/officer/seal-existing.ts';
import { exportSafetyCopy, importSafetyCopy } from '../../../src/lib/safety-copy.ts';
import type { UploadOptions, UploadResult } from '../../../src/lib/tus-client.ts';
import { FAST_KDF } from '../../support/test-kdf.ts';
import { FakeServer } from '../sync/fake-server.ts';
import { fakeJpeg, LAMPIRAN_FORM } from './fixtures.ts';
import { phoneWithUploads } from './phone.ts';

const T0 = Date.parse('2026-12-07T02:00:00.000Z');

function holdsBlob(value: unknown, seen = new Set<unknown>()): boolean {
  if (value instanceof Blob) return true;
  if (typeof value !== 'object' || value === null || seen.has(value) || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return false;
  seen.add(value);
  return Object.values(value).some((v) => holdsBlob(v, seen));
}

/** The engine's refusal, as WebKit's IDBObjectStore.put/add throws it in an ephemeral session. */
function refuseBlobs(): () => void {
  const proto = globalThis.IDBObjectStore.prototype;
  const { put, add } = proto;
  const refusing = (original: typeof put) =>
    function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (holdsBlob(value)) throw new DOMException('Failed to store record in an IDBObjectStore: BlobURLs are not yet supported.', 'DataCloneError');
      return original.call(this, value, key);
    };
  proto.put = refusing(put);
  proto.add = refusing(add);
  return () => {
    proto.put = put;
    proto.add = add;
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
  setFilesAsBytes(false);
  setAtRestCodec(undefined);
  requireAtRestCodec(false);
});

function openPair(): { app: JangkauDb; raw: JangkauDb } {
  const name = `blob-refused-${ulid()}`;
  return { app: new JangkauDb(name).use(atRestMiddleware) as JangkauDb, raw: new JangkauDb(name) };
}

function uploads() {
  const received = new Map<string, Uint8Array>();
  const upload = async (o: UploadOptions): Promise<UploadResult> => {
    received.set(o.sha256, new Uint8Array(await o.blob.arrayBuffer()));
    o.onProgress?.({ offset: o.blob.size, total: o.blob.size });
    return { kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${o.sha256}`, bytesSent: o.blob.size };
  };
  return { received, upload };
}

const bytesOf = async (blob: Blob | undefined) => (blob ? new Uint8Array(await blob.arrayBuffer()) : undefined);

describe('an engine that refuses a Blob in IndexedDB', () => {
  it('keeps, queues and sends every photo byte for byte (the bytes stored as an ArrayBuffer)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 64, max: 20_000 }), fc.boolean(), async (seed, size, withThumb) => {
        setFilesAsBytes(false);
        const undo = refuseBlobs();
        const { app, raw } = openPair();
        const server = new FakeServer([...PUBLISHED_FORMS, LAMPIRAN_FORM]);
        const { received, upload } = uploads();
        const phone = phoneWithUploads(server, upload, T0, { db: app });
        try {
          const photo = await fakeJpeg(seed, size);
          const thumb = await fakeJpeg(seed + 1, 200);
          const stored = await storeAttachment(app, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob, ...(withThumb ? { thumb: thumb.blob } : {}) }, T0);
          expect(stored.ok).toBe(true);
          // What IndexedDB holds: no Blob, and the same bytes and type read back.
          const row = await raw.attachments.get(photo.sha256);
          expect(holdsBlob(row)).toBe(false);
          expect(await bytesOf(openStoredFile(row?.blob))).toEqual(photo.bytes);
          expect(openStoredFile(row?.blob)?.type).toBe('image/jpeg');
          if (withThumb) expect(await bytesOf(openStoredFile(row?.thumb))).toEqual(thumb.bytes);

          const id = ulid(T0);
          const filed = await submitDraft(app, LAMPIRAN_FORM, id, { judul: 'Foto TPS', foto: { sha256: photo.sha256, type: 'image/jpeg', size } }, T0);
          expect(filed.ok).toBe(true);
          expect((await app.attachments.get(photo.sha256))?.state).toBe('waiting');
          const report = await phone.engine.sync('manual');
          expect(report.outcome).toBe('ok');
          expect(received.get(photo.sha256)).toEqual(photo.bytes);
          expect(server.pushedIds().filter((x) => x === id)).toHaveLength(1);
          expect((await app.attachments.get(photo.sha256))?.state).toBe('done');
        } finally {
          phone.close();
          undo();
        }
      }),
      { numRuns: 8 },
    );
  }, 60_000);

  it('where Blobs are kept, stores the Blob as before', async () => {
    const { app, raw } = openPair();
    const photo = await fakeJpeg(7);
    expect((await storeAttachment(app, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, T0)).ok).toBe(true);
    expect((await raw.attachments.get(photo.sha256))?.blob).toBeInstanceOf(Blob);
  });

  it('reads rows of both forms: a Blob stored before, bytes after the refusal', async () => {
    const { app } = openPair();
    const before = await fakeJpeg(8);
    await storeAttachment(app, { sha256: before.sha256, type: 'image/jpeg', blob: before.blob }, T0);
    await app.attachments.update(before.sha256, { state: 'waiting' });
    cleanups.push(refuseBlobs());
    const after = await fakeJpeg(9);
    await storeAttachment(app, { sha256: after.sha256, type: 'image/jpeg', blob: after.blob }, T0);
    await app.attachments.update(after.sha256, { state: 'waiting' });
    const ready = await listUploadable(app);
    expect(ready.map((r) => r.sha256).sort()).toEqual([before.sha256, after.sha256].sort());
    for (const [sha, f] of [[before.sha256, before], [after.sha256, after]] as const) {
      expect(await bytesOf(openStoredFile(ready.find((r) => r.sha256 === sha)?.blob))).toEqual(f.bytes);
    }
  });

  it('seals the stored bytes when a PIN is set: nothing of the photo stays in the clear', async () => {
    cleanups.push(refuseBlobs());
    const { app, raw } = openPair();
    const photo = await fakeJpeg(11, 8192);
    await storeAttachment(app, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, T0);
    setAtRestCodec(codecForKey(await createPinLock(app, '274915', FAST_KDF)));
    requireAtRestCodec(true);
    await sealExistingRows(app);
    const row = await raw.attachments.get(photo.sha256);
    expect(isSealedFile(row?.blob)).toBe(true);
    expect(holdsBlob(row)).toBe(false);
    expect(await bytesOf(openStoredFile((await app.attachments.get(photo.sha256))?.blob))).toEqual(photo.bytes);
  });

  it('imports a safety copy with its photo', async () => {
    const server = new FakeServer([...PUBLISHED_FORMS, LAMPIRAN_FORM]);
    const a = phoneWithUploads(server, uploads().upload, T0);
    cleanups.push(a.close);
    const photo = await fakeJpeg(12);
    await storeAttachment(a.db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, T0);
    const id = ulid(T0);
    expect((await submitDraft(a.db, LAMPIRAN_FORM, id, { judul: 'Foto', foto: { sha256: photo.sha256, type: 'image/jpeg', size: photo.blob.size } }, T0)).ok).toBe(true);
    const copy = await exportSafetyCopy(a.db, 'perahu ke pulau lepar');

    cleanups.push(refuseBlobs());
    const { app } = openPair();
    expect(await importSafetyCopy(app, copy.blob, 'perahu ke pulau lepar')).toEqual({ ok: true, imported: 1, skipped: 0 });
    expect(await bytesOf(openStoredFile((await app.attachments.get(photo.sha256))?.blob))).toEqual(photo.bytes);
  }, 60_000);
});
