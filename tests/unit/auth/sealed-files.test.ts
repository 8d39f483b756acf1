// Photos and documents on an officer's device (issue #6): stored sealed with the device key, the
// preview too, so a scan of the raw records finds none of their bytes; the upload phase opens a
// file just before sending it, and while the device is locked the files wait, byte for byte
// intact, until the PIN unlocks it. Files stored before the PIN was set are sealed when it is.
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_KDF } from '../../support/test-kdf.ts';
import { ulid } from '../../../core/ids.ts';
import { codecForKey } from '../../../src/auth/at-rest-codec.ts';
import { createPinLock } from '../../../src/auth/device-key.ts';
import { listUploadable, storeAttachment } from '../../../src/db/attachments.ts';
import { atRestMiddleware, DeviceLockedError, isSealedFile, openStoredFile, requireAtRestCodec, setAtRestCodec, type StoredFile } from '../../../src/db/crypto-at-rest.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { sealExistingRows } from '../../../src/features/officer/seal-existing.ts';
import type { UploadOptions, UploadResult } from '../../../src/lib/tus-client.ts';
import { createUploadPhase } from '../../../src/sync/upload-phase.ts';
import { fakeJpeg } from '../attachments/fixtures.ts';


function openPair(): { app: JangkauDb; raw: JangkauDb } {
  const name = `sealed-files-${ulid()}`;
  return { app: new JangkauDb(name).use(atRestMiddleware) as JangkauDb, raw: new JangkauDb(name) };
}

async function bytesOf(file: StoredFile | undefined): Promise<Uint8Array> {
  if (file === undefined) return new Uint8Array();
  if (file instanceof Blob) return new Uint8Array(await file.arrayBuffer());
  return isSealedFile(file) ? file['~sealed'] : new Uint8Array(file['~bytes']);
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Every byte the attachments store holds, as IndexedDB keeps it (no middleware): files and fields. */
async function rawAttachmentBytes(raw: JangkauDb): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const row of await raw.attachments.toArray()) {
    out.push(await bytesOf(row.blob), await bytesOf(row.thumb), new TextEncoder().encode(JSON.stringify(row)));
  }
  return out;
}

/** Some bytes from the middle of a file: what a scan for it looks for. */
const sample = (bytes: Uint8Array) => bytes.slice(100, 132);

async function photo(seed: number) {
  const file = await fakeJpeg(seed, 8192);
  const thumb = await fakeJpeg(seed + 1000, 600);
  return { ...file, thumb };
}

/** An uploader that keeps what it received. */
function memoryUploads() {
  const received = new Map<string, Uint8Array>();
  const upload = async (o: UploadOptions): Promise<UploadResult> => {
    received.set(o.sha256, new Uint8Array(await o.blob.arrayBuffer()));
    o.onProgress?.({ offset: o.blob.size, total: o.blob.size });
    return { kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${o.sha256}`, bytesSent: o.blob.size };
  };
  return { received, upload };
}

afterEach(() => {
  setAtRestCodec(undefined);
  requireAtRestCodec(false);
});

describe("officers' photos at rest", () => {
  it('stores a photo and its preview sealed: the raw records hold none of their bytes', async () => {
    const { app, raw } = openPair();
    setAtRestCodec(codecForKey(await createPinLock(app, '274915', FAST_KDF)));
    requireAtRestCodec(true);
    const p = await photo(1);
    expect((await storeAttachment(app, { sha256: p.sha256, type: p.blob.type, blob: p.blob, thumb: p.thumb.blob })).ok).toBe(true);

    const stored = await rawAttachmentBytes(raw);
    expect(stored.reduce((n, b) => n + b.length, 0)).toBeGreaterThan(8192);
    for (const bytes of stored) {
      expect(contains(bytes, sample(p.bytes))).toBe(false);
      expect(contains(bytes, sample(p.thumb.bytes))).toBe(false);
    }
    // Read through the app the row stays sealed; its bytes open only where they are needed.
    const row = await app.attachments.get(p.sha256);
    expect(isSealedFile(row?.blob)).toBe(true);
    expect(await bytesOf(openStoredFile(row?.blob))).toEqual(p.bytes);
    expect(await bytesOf(openStoredFile(row?.thumb))).toEqual(p.thumb.bytes);
    expect(openStoredFile(row?.blob)?.type).toBe('image/jpeg');
  });

  it('locked: files wait and no new one is stored; unlocked: they are sent as they were chosen', async () => {
    const { app, raw } = openPair();
    const key = await createPinLock(app, '274915', FAST_KDF);
    setAtRestCodec(codecForKey(key));
    requireAtRestCodec(true);
    const p = await photo(2);
    await storeAttachment(app, { sha256: p.sha256, type: p.blob.type, blob: p.blob, thumb: p.thumb.blob });
    // Part of a submission the server already acknowledged: due for upload.
    await app.attachments.update(p.sha256, { state: 'waiting' });

    // Locked (a restart, or the worker): no key in memory.
    setAtRestCodec(undefined);
    const { received, upload } = memoryUploads();
    const phase = createUploadPhase({ db: app, baseUrl: 'http://kpu.test/api/v1/uploads', getAuth: () => 'Bearer uji', upload });
    expect(await listUploadable(app)).toEqual([]);
    expect(await phase.run(() => undefined)).toEqual({ kind: 'ok', uploaded: 0, rejected: 0, bytesSent: 0 });
    expect(received.size).toBe(0);
    expect((await app.attachments.get(p.sha256))?.state).toBe('waiting');
    const other = await photo(3);
    await expect(storeAttachment(app, { sha256: other.sha256, type: other.blob.type, blob: other.blob })).rejects.toBeInstanceOf(DeviceLockedError);

    setAtRestCodec(codecForKey(key));
    expect(await phase.run(() => undefined)).toMatchObject({ kind: 'ok', uploaded: 1 });
    expect(received.get(p.sha256)).toEqual(p.bytes);
    const done = await raw.attachments.get(p.sha256);
    expect(done?.state).toBe('done');
    expect(done?.blob).toBeUndefined();
    // The preview stays, still sealed.
    expect(isSealedFile(done?.thumb)).toBe(true);
    expect(contains(await bytesOf(done?.thumb), sample(p.thumb.bytes))).toBe(false);
  });

  it('seals the files a device held before its PIN was set', async () => {
    const { app, raw } = openPair();
    const p = await photo(4);
    await storeAttachment(app, { sha256: p.sha256, type: p.blob.type, blob: p.blob, thumb: p.thumb.blob });
    expect((await rawAttachmentBytes(raw)).some((b) => contains(b, sample(p.bytes)))).toBe(true);

    setAtRestCodec(codecForKey(await createPinLock(app, '274915', FAST_KDF)));
    requireAtRestCodec(true);
    await sealExistingRows(app);
    for (const bytes of await rawAttachmentBytes(raw)) {
      expect(contains(bytes, sample(p.bytes))).toBe(false);
      expect(contains(bytes, sample(p.thumb.bytes))).toBe(false);
    }
    expect(await bytesOf(openStoredFile((await app.attachments.get(p.sha256))?.blob))).toEqual(p.bytes);
  });
});
