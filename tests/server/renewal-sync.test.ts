// The phone's sync engine and upload phase (real code, storage on fake-indexeddb) against the real
// server app (SQLite and PostgreSQL), through a fetch that is an adapter over app.inject: a
// resident's phone whose secret the server lost renews its identity with nothing left to push;
// the requests it sent before keep getting their answers, and its waiting file still goes.
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ulid } from '../../core/ids.ts';
import { storeAttachment } from '../../src/db/attachments.ts';
import { submitDraft } from '../../src/db/outbox.ts';
import { JangkauDb } from '../../src/db/schema.ts';
import { phoneEngine } from './phone-engine.ts';
import { findForm, PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { updateSubmissionStatus } from '../../server/repositories/status.ts';
import { describeEachDialect, newDevice, pushOk, validPpidData } from './helpers.ts';
import { complaintWithPhoto, jpeg, refOf, sha } from './upload-fixtures.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const uploadsDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'jangkau-renewal-'));
  dirs.push(dir);
  return dir;
};

describeEachDialect(
  'a renewed resident identity, phone and server',
  (ctx) => {
    it('keeps the answers of earlier requests coming and sends the waiting file, with nothing left to push', async () => {
      const { app, db: serverDb, dialect } = ctx();
      const phone = new JangkauDb(`renewal-${ulid()}`);
      const engine = phoneEngine(app, phone);
      try {
        const form = findForm(PUBLISHED_FORMS, 'ppid-permohonan', 1)!;
        const ids = [ulid(), ulid()];
        for (const id of ids) expect((await submitDraft(phone, form, id, validPpidData())).ok).toBe(true);
        expect((await engine.sync('manual')).outcome).toBe('ok');
        await updateSubmissionStatus(serverDb, dialect, { id: ids[0]!, status: 'diproses' });

        // The server comes back from an older backup: this phone's id is bound to another secret.
        const old = (await phone.meta.get('device'))?.value as { deviceId: string };
        await serverDb.updateTable('devices').set({ secret_hash: 'f'.repeat(64) }).where('id', '=', old.deviceId).execute();
        // A photo imported from a safety copy waits: its request was sent from another phone and
        // came over with its receipt (id and secret), so following it is what lets this phone upload.
        const bytes = jpeg(20_000);
        const complaint = complaintWithPhoto(refOf(bytes));
        await pushOk(app, newDevice(), [complaint]);
        await phone.receipts.put({
          id: complaint.id,
          formId: complaint.formId,
          formVersion: complaint.formVersion,
          title: 'Pengaduan',
          createdAt: Date.now(),
          state: 'sent',
          secret: complaint.secret,
        });
        const blob = new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' });
        expect((await storeAttachment(phone, { sha256: sha(bytes), type: 'image/jpeg', blob })).ok).toBe(true);
        await phone.attachments.update(sha(bytes), { state: 'waiting' });

        const report = await engine.sync('manual');
        expect(report.error).toBeUndefined();
        expect(report.outcome).toBe('ok');
        const renewed = (await phone.meta.get('device'))?.value as { deviceId: string };
        expect(renewed.deviceId).not.toBe(old.deviceId);
        expect((await phone.receipts.get(ids[0]!))?.status).toBe('diproses');
        expect((await phone.attachments.get(sha(bytes)))?.state).toBe('done');
        const arrived = await serverDb.selectFrom('attachment_arrivals').select('size').where('sha256', '=', sha(bytes)).execute();
        expect(arrived).toEqual([{ size: bytes.length }]);

        // A later answer reaches the new identity.
        await updateSubmissionStatus(serverDb, dialect, { id: ids[1]!, status: 'selesai', answer: 'Data terlampir.' });
        expect((await engine.sync('manual')).outcome).toBe('ok');
        expect(await phone.receipts.get(ids[1]!)).toMatchObject({ status: 'selesai', answer: 'Data terlampir.' });
      } finally {
        engine.close();
        phone.close();
      }
    });
  },
  () => ({ uploads: { dir: uploadsDir(), sweepEveryMs: 0 } }),
);
