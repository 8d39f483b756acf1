// The province's record of attachments: which files each submission refers to (from the form's
// photo and document fields, repeat groups included), which arrived verified, and so which
// submissions are complete, whichever arrives first.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishForm } from '../../server/repositories/forms.ts';
import { attachmentProgress, submissionsAwaitingFiles } from '../../server/repositories/attachments.ts';
import { listRecentSubmissions } from '../../server/repositories/submissions.ts';
import { LAMPIRAN_FORM } from '../unit/attachments/fixtures.ts';
import { describeEachDialect, envelope, newDevice, pushOk, type TestApp, type TestDevice } from './helpers.ts';
import { jpeg, pdf, sha, tusCreate, tusPatch } from './upload-fixtures.ts';

const ref = (bytes: Buffer, type: string) => ({ sha256: sha(bytes), type, size: bytes.length });

/** POST then one PATCH with the whole file; answers the PATCH's status. */
async function upload(t: TestApp, device: TestDevice, bytes: Buffer, type: string, declared = sha(bytes)): Promise<number> {
  const created = await tusCreate(t.app, device, bytes, type, {}, declared);
  expect(created.statusCode).toBe(201);
  return (await tusPatch(t.app, device, created.headers.location as string, 0, bytes)).statusCode;
}

function lampiran(data: Record<string, unknown>) {
  return envelope({ formId: LAMPIRAN_FORM.formId, formVersion: 1, data: { judul: 'Laporan', ...data } });
}

describeEachDialect(
  'attachments of submissions',
  (ctx) => {
    const device = newDevice();

    it('records the file fields of a pushed submission and counts it complete only when every file arrived', async () => {
      const t = ctx();
      await publishForm(t.db, LAMPIRAN_FORM, new Date().toISOString());
      const photo = jpeg(3000);
      const doc = pdf(2000);
      const item = lampiran({ foto: ref(photo, 'image/jpeg'), anggota: [{ nama: 'Siti' }, { nama: 'Budi', dokumen: ref(doc, 'application/pdf') }] });
      const answer = await pushOk(t.app, device, [item]);
      expect(answer.results[0]?.outcome).toBe('accepted');
      // A retry of the same push records nothing twice.
      expect((await pushOk(t.app, device, [item])).results[0]?.outcome).toBe('duplicate');

      const rows = await t.db.selectFrom('submission_attachments').selectAll().where('submission_id', '=', item.id).orderBy('field').execute();
      expect(rows.map((r) => [r.field, r.sha256, r.type, Number(r.size)])).toEqual([
        ['anggota[1].dokumen', sha(doc), 'application/pdf', 2000],
        ['foto', sha(photo), 'image/jpeg', 3000],
      ]);
      expect((await attachmentProgress(t.db, [item.id])).get(item.id)).toEqual({ files: 2, arrived: 0, complete: false });
      expect(await submissionsAwaitingFiles(t.db, 100)).toContain(item.id);

      expect(await upload(t, device, photo, 'image/jpeg')).toBe(204);
      expect((await attachmentProgress(t.db, [item.id])).get(item.id)).toEqual({ files: 2, arrived: 1, complete: false });

      expect(await upload(t, device, doc, 'application/pdf')).toBe(204);
      expect((await attachmentProgress(t.db, [item.id])).get(item.id)).toEqual({ files: 2, arrived: 2, complete: true });
      expect(await submissionsAwaitingFiles(t.db, 100)).not.toContain(item.id);

      const listed = (await listRecentSubmissions(t.db, 50)).find((s) => s.id === item.id);
      expect(listed?.attachments).toEqual({ files: 2, arrived: 2, complete: true });
    });

    it('a submission without files is complete at once', async () => {
      const t = ctx();
      const item = lampiran({});
      await pushOk(t.app, device, [item]);
      expect((await attachmentProgress(t.db, [item.id])).get(item.id)).toEqual({ files: 0, arrived: 0, complete: true });
      expect(await submissionsAwaitingFiles(t.db, 100)).not.toContain(item.id);
    });

    it('refuses a file before its data (403, the phone waits), and a file shared by two submissions completes both', async () => {
      const t = ctx();
      const photo = jpeg(2500);
      const early = await tusCreate(t.app, device, photo, 'image/jpeg');
      expect(early.statusCode).toBe(403);
      expect(early.json<{ error: string }>().error).toBe('not_referenced');

      const a = lampiran({ foto: ref(photo, 'image/jpeg') });
      const b = lampiran({ anggota: [{ nama: 'Ani', dokumen: ref(photo, 'image/jpeg') }] });
      await pushOk(t.app, device, [a, b]);
      expect(await upload(t, device, photo, 'image/jpeg')).toBe(204);
      const arrival = await t.db.selectFrom('attachment_arrivals').selectAll().where('sha256', '=', sha(photo)).executeTakeFirst();
      expect(arrival).toMatchObject({ type: 'image/jpeg' });
      expect(Number(arrival?.size)).toBe(2500);
      const progress = await attachmentProgress(t.db, [a.id, b.id]);
      expect(progress.get(a.id)).toEqual({ files: 1, arrived: 1, complete: true });
      expect(progress.get(b.id)).toEqual({ files: 1, arrived: 1, complete: true });
    });

    it('a refused file (wrong content, wrong checksum) is no arrival', async () => {
      const t = ctx();
      const fake = jpeg(2000);
      fake.set(Buffer.from('MZ'), 0); // an executable named a photo
      const item = lampiran({ foto: ref(fake, 'image/jpeg') });
      await pushOk(t.app, device, [item]);
      expect(await upload(t, device, fake, 'image/jpeg')).toBe(415);

      const photo = jpeg(2000);
      const claimed = sha(jpeg(2000));
      await pushOk(t.app, device, [lampiran({ foto: { sha256: claimed, type: 'image/jpeg', size: 2000 } })]);
      expect(await upload(t, device, photo, 'image/jpeg', claimed)).toBe(422);

      const arrivals = await t.db.selectFrom('attachment_arrivals').select('sha256').execute();
      expect(arrivals.map((r) => r.sha256)).not.toContain(sha(fake));
      expect((await attachmentProgress(t.db, [item.id])).get(item.id)).toEqual({ files: 1, arrived: 0, complete: false });
    });

    it('the operator list says how many files arrived', async () => {
      const t = ctx();
      const photo = jpeg(1000);
      const item = lampiran({ foto: ref(photo, 'image/jpeg') });
      await pushOk(t.app, device, [item]);
      const listed = (await listRecentSubmissions(t.db, 500)).find((s) => s.id === item.id);
      expect(listed?.attachments).toEqual({ files: 1, arrived: 0, complete: false });
    });

    it('documents the upload operations in the OpenAPI document', async () => {
      const res = await ctx().app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      const doc = res.json() as { paths: Record<string, Record<string, { operationId?: string }>> };
      expect(doc.paths['/api/v1/uploads']?.post?.operationId).toBe('createUpload');
      expect(doc.paths['/api/v1/uploads']?.options?.operationId).toBe('uploadCapabilities');
      expect(doc.paths['/api/v1/uploads/{id}']?.patch?.operationId).toBe('appendUpload');
    });
  },
  () => ({ uploads: { dir: mkdtempSync(join(tmpdir(), 'jangkau-att-')), sweepEveryMs: 0 } }),
);

describe('attachments migration', () => {
  it('runs right after the initial schema (the migrator orders migrations by name)', async () => {
    const { migrationsFor } = await import('../../server/migrations/index.ts');
    const names = Object.keys(migrationsFor('sqlite')).sort();
    expect(names.slice(0, 2)).toEqual(['001-initial', '002-attachments']);
  });
});
