// The safety copy carries the files the server does not have yet: those of unsent requests, and
// those whose request already went while the file did not. On the second phone they are stored
// under their sha256 and sent by its sync, data first; a file the server has stays behind.
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { storeAttachment } from '../../../src/db/attachments.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import type { JangkauDb } from '../../../src/db/schema.ts';
import { exportSafetyCopy, importSafetyCopy } from '../../../src/lib/safety-copy.ts';
import type { UploadOptions, UploadResult } from '../../../src/lib/tus-client.ts';
import { FakeServer } from '../sync/fake-server.ts';
import { fakeJpeg, LAMPIRAN_FORM } from './fixtures.ts';
import { phoneWithUploads } from './phone.ts';

const PASS = 'perahu ke pulau lepar';
const T0 = Date.parse('2026-12-01T02:00:00.000Z');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0)) fn();
});

/** Files the "server" holds in full, shared by both phones' uploaders. */
class Store {
  readonly files = new Map<string, Uint8Array>();
  /** When set, uploads stop after this many bytes (the link goes). */
  cutAfter: number | undefined;
  readonly upload = async (o: UploadOptions): Promise<UploadResult> => {
    const bytes = new Uint8Array(await o.blob.arrayBuffer());
    if (this.cutAfter !== undefined) {
      o.onProgress?.({ offset: this.cutAfter, total: bytes.length });
      return { kind: 'offline', uploadUrl: `http://kpu.test/api/v1/uploads/${o.sha256}`, bytesSent: this.cutAfter };
    }
    this.files.set(o.sha256, bytes);
    return { kind: 'done', uploadUrl: `http://kpu.test/api/v1/uploads/${o.sha256}`, bytesSent: bytes.length };
  };
}

function phone(server: FakeServer, store: Store) {
  const p = phoneWithUploads(server, store.upload, T0);
  cleanups.push(p.close);
  return p;
}

async function fileWithPhoto(db: JangkauDb, seed: number, at: number) {
  const photo = await fakeJpeg(seed);
  await storeAttachment(db, { sha256: photo.sha256, type: 'image/jpeg', blob: photo.blob }, at);
  const id = ulid(at);
  const result = await submitDraft(db, LAMPIRAN_FORM, id, { judul: `Foto ${seed}`, foto: { sha256: photo.sha256, type: 'image/jpeg', size: photo.blob.size } }, at);
  if (!result.ok) throw new Error('not filed');
  return { id, photo };
}

describe('safety copy with files', () => {
  it('carries unsent files to a second phone, which sends each once, data first', async () => {
    const server = new FakeServer([...PUBLISHED_FORMS, LAMPIRAN_FORM]);
    const store = new Store();
    const a = phone(server, store);

    // Sent with its photo: nothing of it is carried.
    const done = await fileWithPhoto(a.db, 1, T0);
    await a.engine.sync('manual');
    expect(store.files.has(done.photo.sha256)).toBe(true);
    // Data sent, photo cut off on the way: the photo is carried on its own.
    const half = await fileWithPhoto(a.db, 2, T0 + 10);
    store.cutAfter = 1000;
    await a.engine.sync('manual');
    expect(await a.db.outbox.get(half.id)).toBeUndefined();
    expect((await a.db.attachments.get(half.photo.sha256))?.state).toBe('uploading');
    // Nothing sent yet: request and photo are carried together.
    const unsent = await fileWithPhoto(a.db, 3, T0 + 20);

    const copy = await exportSafetyCopy(a.db, PASS);
    expect(copy.items).toBe(1);

    const b = phone(server, store);
    expect(await importSafetyCopy(b.db, copy.blob, 'perahu ke pulau pongok')).toEqual({ ok: false, reason: 'wrong_passphrase' });
    expect(await b.db.attachments.count()).toBe(0);
    expect(await importSafetyCopy(b.db, copy.blob, PASS)).toEqual({ ok: true, imported: 1, skipped: 0 });
    expect((await b.db.attachments.toArray()).map((r) => [r.sha256, r.state, r.refs]).sort()).toEqual(
      [
        [half.photo.sha256, 'waiting', []],
        [unsent.photo.sha256, 'waiting', [unsent.id]],
      ].sort(),
    );
    // Importing again adds nothing.
    expect(await importSafetyCopy(b.db, copy.blob, PASS)).toEqual({ ok: true, imported: 0, skipped: 1 });
    expect(await b.db.attachments.count()).toBe(2);

    store.cutAfter = undefined;
    const report = await b.engine.sync('manual');
    expect(report.outcome).toBe('ok');
    expect(report.uploaded.files).toBe(2);
    for (const f of [half.photo, unsent.photo]) expect(store.files.get(f.sha256)).toEqual(f.bytes);
    expect(server.pushedIds().filter((id) => id === unsent.id)).toHaveLength(1);
    expect([...server.submissions.keys()].sort()).toEqual([done.id, half.id, unsent.id].sort());
    // Four key derivations at 600,000 PBKDF2 rounds: seconds on a busy machine.
  }, 60_000);
});
