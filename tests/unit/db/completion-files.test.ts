// A completion that carries a new photo (issue #14), on the phone's storage (fake-indexeddb): the
// photo chosen on the completion screen is held by the request (no prune takes it), becomes part of
// the queued completion and waits until the completion is acknowledged; a completion naming a file
// the phone does not hold is refused with missing_files and queues nothing. The first filing's photo
// stays (the server keeps it with the first version, and it may still be on its way).
import { expect, it } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { DRAFT_FILE_GRACE_MS, listUploadable, pruneDraftAttachments, storeAttachment } from '../../../src/db/attachments.ts';
import { awaitsCompletion, completionForm, queueCompletion } from '../../../src/db/completion.ts';
import { findForm, PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { validateForm } from '../../../core/forms/validate.ts';
import { applyPushResults, submitDraft } from '../../../src/db/outbox.ts';
import type { JangkauDb } from '../../../src/db/schema.ts';
import { fakeJpeg, LAMPIRAN_FORM } from '../attachments/fixtures.ts';
import { openTestDb } from './test-db.ts';

const T0 = Date.parse('2026-12-01T02:00:00.000Z');

const refOf = (f: { sha256: string; blob: Blob }) => ({ sha256: f.sha256, type: 'image/jpeg', size: f.blob.size });

/** The server acknowledged whatever the outbox holds for `id`. */
async function acknowledge(db: JangkauDb, id: string): Promise<void> {
  const row = (await db.outbox.get(id))!;
  await applyPushResults(db, [row], [{ id, outcome: 'accepted', receivedAt: new Date(T0).toISOString() }], new Date(T0).toISOString());
}

it('holds the photo chosen for a completion, queues it with the completion, and sends it only after the acknowledgement', async () => {
  const db = openTestDb();
  const id = ulid(T0);
  // Filed with a photo, acknowledged, then returned by the office for a new photo.
  const first = await fakeJpeg(1);
  expect((await storeAttachment(db, { sha256: first.sha256, type: 'image/jpeg', blob: first.blob }, T0)).ok).toBe(true);
  expect((await submitDraft(db, LAMPIRAN_FORM, id, { judul: 'Laporan', foto: refOf(first) }, T0)).ok).toBe(true);
  await acknowledge(db, id);
  const receipt = (await db.receipts.get(id))!;
  await db.receipts.put({ ...receipt, status: 'perlu_dilengkapi', returned: { reason: 'Foto buram.', fields: ['foto'], revision: 1 } });
  expect(awaitsCompletion((await db.receipts.get(id))!)).toBe(true);

  // A file the phone does not hold: refused, nothing queued.
  const gone = await fakeJpeg(2);
  expect(await queueCompletion(db, LAMPIRAN_FORM, id, { foto: refOf(gone) }, T0)).toEqual({ ok: false, reason: 'missing_files', missing: [gone.sha256] });
  expect(await db.outbox.get(id)).toBeUndefined();
  expect(awaitsCompletion((await db.receipts.get(id))!)).toBe(true);

  // Chosen on the completion screen (which saves no draft): held by the request through a prune.
  const tried = await fakeJpeg(3);
  const chosen = await fakeJpeg(4);
  for (const f of [tried, chosen]) expect((await storeAttachment(db, { sha256: f.sha256, type: 'image/jpeg', blob: f.blob }, T0, id)).ok).toBe(true);
  expect(await pruneDraftAttachments(db, T0 + 2 * DRAFT_FILE_GRACE_MS)).toBe(0);
  expect((await db.attachments.get(chosen.sha256))?.refs).toEqual([id]);

  expect(await queueCompletion(db, LAMPIRAN_FORM, id, { foto: refOf(chosen) }, T0)).toEqual({ ok: true });
  const queued = (await db.outbox.get(id))!;
  expect(queued.envelope).toMatchObject({ id, revision: 1, data: { foto: refOf(chosen) } });
  // Part of the completion, waiting; the photo tried and not sent is let go; the first filing's stays.
  expect(await db.attachments.get(chosen.sha256)).toMatchObject({ state: 'waiting', refs: [id] });
  expect(await db.attachments.get(tried.sha256)).toBeUndefined();
  expect((await db.attachments.get(first.sha256))?.refs).toEqual([id]);

  // Held back while the completion's data is unacknowledged, sent after.
  expect((await listUploadable(db)).map((r) => r.sha256)).not.toContain(chosen.sha256);
  await acknowledge(db, id);
  expect((await listUploadable(db)).map((r) => r.sha256)).toContain(chosen.sha256);
  db.close();
});

it('shows a returned field whose condition names a field the completion does not carry (the photo of evidence)', async () => {
  // The complaint's photo shows only for some kinds of complaint; the phone no longer holds the kind
  // (it left with the acknowledgement), and the office named the photo: it is shown and checked.
  const complaint = findForm(PUBLISHED_FORMS, 'pengaduan', 1)!;
  const cut = completionForm(complaint, ['bukti']);
  const photo = await fakeJpeg(5);
  expect(validateForm(cut, { bukti: refOf(photo) }).errors).toEqual([]);
  expect(validateForm(cut, { bukti: { ...refOf(photo), type: 'image/gif' } }).errors).toMatchObject([{ field: 'bukti', code: 'file_type' }]);
  // A condition between returned fields still holds.
  const both = completionForm(complaint, ['jenis', 'bukti']);
  expect(validateForm(both, { jenis: 'saran', bukti: refOf(photo) }).errors).toMatchObject([{ field: 'bukti', code: 'not_applicable' }]);
});
