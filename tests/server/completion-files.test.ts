// A completion that carries a file (issue #14): the office returns a complaint for a new photo of
// evidence; the resident's completion names the new photo, which the upload route then takes from
// that resident's device (and from no stranger's). The first version's photo stays named by the
// request (kept with the history), and staff see which file is current and whether it arrived.
// The last test runs the phone's own storage, sync engine and upload phase (fake-indexeddb) against
// the server app. SQLite and PostgreSQL.
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { findForm, PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import type { RequestFileView } from '../../core/inbox.ts';
import { ulid } from '../../core/ids.ts';
import { storeAttachment } from '../../src/db/attachments.ts';
import { queueCompletion } from '../../src/db/completion.ts';
import { submitDraft } from '../../src/db/outbox.ts';
import { JangkauDb } from '../../src/db/schema.ts';
import { phoneEngine } from './phone-engine.ts';
import { openPayload } from '../../server/repositories/submission-fields.ts';
import { attachmentProgress, fileIsNamed } from '../../server/repositories/attachments.ts';
import { versionAad } from '../../server/services/completion.ts';
import { bearer, officer, REGION, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, newDevice, pushOk, type TestApp, type TestDevice } from './helpers.ts';
import { complaintWithPhoto, jpeg, refOf, sha, tusCreate, tusPatch } from './upload-fixtures.ts';

function act(t: TestApp, who: TestOfficer, id: string, what: 'return' | 'status', payload: object) {
  return t.app.inject({ method: 'POST', url: `/api/v1/inbox/${id}/${what}`, headers: bearer(who.token), payload });
}

/** POST then one PATCH with the whole file; the PATCH's status. */
async function upload(t: TestApp, device: TestDevice, bytes: Buffer): Promise<number> {
  const created = await tusCreate(t.app, device, bytes);
  expect(created.statusCode, created.body).toBe(201);
  return (await tusPatch(t.app, device, created.headers.location as string, 0, bytes)).statusCode;
}

describeEachDialect('a completion with a new photo', (ctx) => {
  it('returns a photo field, takes the completion with its new photo, its upload from the resident’s device only, and keeps the first photo', async () => {
    const t = ctx();
    const staff = await officer(t, 'operator', REGION.province);
    const device = newDevice();
    const stranger = newDevice();
    const oldPhoto = jpeg(3000);
    const newPhoto = jpeg(4000);
    const item = complaintWithPhoto(refOf(oldPhoto));
    expect((await pushOk(t.app, device, [item])).results[0]!.outcome).toBe('accepted');
    expect(await upload(t, device, oldPhoto)).toBe(204);
    // The stranger is a known device (it filed something of its own), so its refusal is about the file.
    expect((await pushOk(t.app, stranger, [complaintWithPhoto(refOf(jpeg(1000)))])).results[0]!.outcome).toBe('accepted');

    // The office asks for another photo of evidence.
    const returned = await act(t, staff, item.id, 'return', { reason: 'Foto bukti buram, kirim foto yang jelas.', fields: ['bukti'] });
    expect(returned.statusCode, returned.body).toBe(200);

    const completion = { ...item, createdAt: new Date().toISOString(), revision: 1 };
    // The new photo's reference is checked as a submission's: a type the field does not take is refused.
    const gif = (await pushOk(t.app, device, [{ ...completion, data: { bukti: { ...refOf(newPhoto), type: 'image/gif' } } }])).results[0]!;
    expect(gif).toMatchObject({ outcome: 'rejected', reason: 'invalid_data', errors: [{ field: 'bukti', code: 'file_type' }] });
    const noHash = (await pushOk(t.app, device, [{ ...completion, data: { bukti: { ...refOf(newPhoto), sha256: 'abc' } } }])).results[0]!;
    expect(noHash).toMatchObject({ outcome: 'rejected', reason: 'invalid_data' });
    // Before the completion is stored, nobody may upload the new photo.
    expect((await tusCreate(t.app, device, newPhoto)).statusCode).toBe(403);

    const done = (await pushOk(t.app, device, [{ ...completion, data: { bukti: refOf(newPhoto) } }])).results[0]!;
    expect(done).toMatchObject({ id: item.id, outcome: 'accepted' });
    expect((await pushOk(t.app, device, [{ ...completion, data: { bukti: refOf(newPhoto) } }])).results[0]!.outcome).toBe('duplicate');

    // The request names the new photo as its evidence; the first photo stays named, kept with version 0.
    const rows = await t.db.selectFrom('submission_attachments').select(['field', 'sha256']).where('submission_id', '=', item.id).orderBy('field').execute();
    expect(rows).toEqual([
      { field: 'bukti', sha256: sha(newPhoto) },
      { field: 'bukti@0', sha256: sha(oldPhoto) },
    ]);
    expect(await fileIsNamed(t.db, sha(oldPhoto))).toBe(true);
    const row = await t.db.selectFrom('submissions').select('payload_json').where('id', '=', item.id).executeTakeFirstOrThrow();
    expect((await openPayload(t.app.dataKeys, item.id, row.payload_json)).bukti).toEqual(refOf(newPhoto));
    const first = await t.db.selectFrom('submission_versions').select('payload_json').where('submission_id', '=', item.id).where('revision', '=', 0).executeTakeFirstOrThrow();
    const kept = JSON.parse(await t.app.dataKeys.decryptField(first.payload_json, versionAad(item.id, 0))) as Record<string, unknown>;
    expect(kept.bukti).toEqual(refOf(oldPhoto));

    // Staff see the new photo waiting, then arrived; the first one is listed with its version.
    const read = async () => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/inbox/${item.id}`, headers: bearer(staff.token) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ files: RequestFileView[] }>().files;
    };
    expect(await read()).toEqual([
      { field: 'bukti', sha256: sha(newPhoto), type: 'image/jpeg', size: 4000, arrived: false },
      { field: 'bukti', sha256: sha(oldPhoto), type: 'image/jpeg', size: 3000, arrived: true, revision: 0 },
    ]);
    expect((await attachmentProgress(t.db, [item.id])).get(item.id)).toEqual({ files: 1, arrived: 0, complete: false });

    // The upload: refused for a stranger's device, taken from the resident's.
    const refused = await tusCreate(t.app, stranger, newPhoto);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ error: string }>().error).toBe('not_referenced');
    expect(await upload(t, device, newPhoto)).toBe(204);
    expect((await read())[0]).toMatchObject({ field: 'bukti', sha256: sha(newPhoto), arrived: true });
    expect((await attachmentProgress(t.db, [item.id])).get(item.id)).toEqual({ files: 1, arrived: 1, complete: true });
  });

  it('refuses a file in a completion for a field the office did not return', async () => {
    const t = ctx();
    const staff = await officer(t, 'operator', REGION.province);
    const device = newDevice();
    const photo = jpeg(2000);
    const item = complaintWithPhoto(refOf(photo));
    expect((await pushOk(t.app, device, [item])).results[0]!.outcome).toBe('accepted');
    expect((await act(t, staff, item.id, 'return', { reason: 'Uraikan kejadiannya.', fields: ['isi'] })).statusCode).toBe(200);
    const other = jpeg(2100);
    const completion = { ...item, createdAt: new Date().toISOString(), revision: 1, data: { isi: 'Antrean dua jam di loket lantai satu.', bukti: refOf(other) } };
    const answer = (await pushOk(t.app, device, [completion])).results[0]!;
    expect(answer).toMatchObject({ outcome: 'rejected', reason: 'invalid_data', errors: [{ field: 'bukti', code: 'not_returned' }] });
    // Nothing of it is named: its file may not be uploaded, and the request still waits.
    expect((await tusCreate(t.app, device, other)).statusCode).toBe(403);
    expect((await t.db.selectFrom('submissions').select('status').where('id', '=', item.id).executeTakeFirstOrThrow()).status).toBe('perlu_dilengkapi');
  });

  it('the phone holds the new photo, queues it with the completion and uploads it after the completion is acknowledged', async () => {
    const t = ctx();
    const staff = await officer(t, 'operator', REGION.province);
    const phone = new JangkauDb(`completion-files-${ulid()}`);
    const engine = phoneEngine(t.app, phone);
    try {
      const form = findForm(PUBLISHED_FORMS, 'pengaduan', 1)!;
      const id = ulid();
      const [oldPhoto, newPhoto] = [jpeg(3000), jpeg(3500)];
      const store = (bytes: Buffer, heldBy?: string) =>
        storeAttachment(phone, { sha256: sha(bytes), type: 'image/jpeg', blob: new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }) }, Date.now(), heldBy);
      expect((await store(oldPhoto)).ok).toBe(true);
      const data = { ...complaintWithPhoto(refOf(oldPhoto)).data };
      expect((await submitDraft(phone, form, id, data)).ok).toBe(true);
      expect((await engine.sync('manual')).outcome).toBe('ok');
      expect((await t.db.selectFrom('attachment_arrivals').select('sha256').where('sha256', '=', sha(oldPhoto)).execute()).length).toBe(1);

      expect((await act(t, staff, id, 'return', { reason: 'Foto bukti buram.', fields: ['bukti'] })).statusCode).toBe(200);
      expect((await engine.sync('manual')).outcome).toBe('ok');
      expect((await phone.receipts.get(id))?.returned?.fields).toEqual(['bukti']);

      // Offline: the new photo is chosen on the completion screen and the completion queued.
      expect((await store(newPhoto, id)).ok).toBe(true);
      expect(await queueCompletion(phone, form, id, { bukti: refOf(newPhoto) })).toEqual({ ok: true });
      // Online: the completion, then its photo.
      expect((await engine.sync('manual')).outcome).toBe('ok');
      await engine.sync('manual');
      expect(await phone.outbox.get(id)).toBeUndefined();
      expect((await phone.attachments.get(sha(newPhoto)))?.state).toBe('done');
      const files = (await t.app.inject({ method: 'GET', url: `/api/v1/inbox/${id}`, headers: bearer(staff.token) })).json<{ files: RequestFileView[] }>().files;
      expect(files).toEqual([
        { field: 'bukti', sha256: sha(newPhoto), type: 'image/jpeg', size: 3500, arrived: true },
        { field: 'bukti', sha256: sha(oldPhoto), type: 'image/jpeg', size: 3000, arrived: true, revision: 0 },
      ]);
    } finally {
      engine.close();
      phone.close();
    }
  }, 120_000);
});
