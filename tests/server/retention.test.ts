// The retention purge on both dialects: what is past its form's retention goes with everything
// naming it (change log, file refs and the file on disk, NIK index, SMS rows and numbers), what a
// legal hold keeps stays, the month's data key is shredded only once the month is empty, and
// each run leaves one audit entry with counts and no personal data.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { publishForm } from '../../server/repositories/forms.ts';
import { runPurge, submissionKeyScope, type KeyShredder } from '../../server/services/purge.ts';
import { TEST_AUTH } from './auth-fixtures.ts';
import { describeEachDialect, newDevice, pushOk, type TestApp } from './helpers.ts';
import { freshName, freshNik, RETENTION_FORM, retentionEnvelope, TEST_SUBJECT_INDEX } from './retention-fixtures.ts';
import { jpeg, sha, tusCreate, tusPatch } from './upload-fixtures.ts';

const DAY = 86_400_000;

class RecordingShredder implements KeyShredder {
  calls: string[][] = [];
  async shredKeysFor(scopes: readonly string[]): Promise<number> {
    this.calls.push([...scopes]);
    return scopes.length;
  }
}

async function rowsOf(t: TestApp, id: string) {
  const count = async (table: 'changes' | 'submission_attachments' | 'submission_devices' | 'submission_subjects' | 'sms_messages' | 'sms_outbox') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('submission_id', '=', id).executeTakeFirstOrThrow()).n);
  return {
    submissions: Number((await t.db.selectFrom('submissions').select((eb) => eb.fn.countAll().as('n')).where('id', '=', id).executeTakeFirstOrThrow()).n),
    changes: await count('changes'),
    attachments: await count('submission_attachments'),
    links: await count('submission_devices'),
    subjects: await count('submission_subjects'),
    sms: await count('sms_messages'),
    outbox: await count('sms_outbox'),
  };
}

let uploadsDir = '';

describeEachDialect(
  'retention purge',
  (ctx) => {
    const device = newDevice();
    const shredder = new RecordingShredder();

    it('deletes what is past retention with its rows, files and SMS numbers; keeps what a hold keeps; audits counts only', async () => {
      const t = ctx();
      expect((await publishForm(t.db, RETENTION_FORM, new Date().toISOString())).ok).toBe(true);
      const photo = jpeg(2048);
      const nik = freshNik();
      const name = freshName();
      const done = retentionEnvelope({ nik, nama: name, foto: { sha256: sha(photo), type: 'image/jpeg', size: photo.length } });
      const open = retentionEnvelope({ nik, nama: name });
      await pushOk(t.app, device, [done, open]);
      const created = await tusCreate(t.app, device, photo, 'image/jpeg');
      expect(created.statusCode).toBe(201);
      expect((await tusPatch(t.app, device, created.headers.location as string, 0, photo)).statusCode).toBe(204);
      expect(existsSync(join(uploadsDir, sha(photo)))).toBe(true);
      expect((await t.app.repos.updateStatus(done.id, 'selesai', 'Sudah dijawab.')).ok).toBe(true);
      // The SMS that carried it, its parts, and a status SMS queued to the sender's number.
      await t.db.insertInto('sms_messages').values({ sender: '+6281200000001', message_id: 'm1', outcome: 'accepted', reason: null, submission_id: done.id, completed_at: new Date().toISOString() }).execute();
      await t.db.insertInto('sms_parts').values({ sender: '+6281200000001', message_id: 'm1', part_index: 0, part_total: 1, payload: 'x', gateway_id: 'g1', received_at: new Date().toISOString() }).execute();
      await t.db
        .insertInto('sms_outbox')
        .values({ submission_id: done.id, status: 'selesai', recipient: '+6281200000001', text: 't', queued_at: new Date().toISOString(), state: 'sent', attempts: 1, next_attempt_at: new Date().toISOString(), last_error: null, sent_at: null })
        .execute();
      const before = await rowsOf(t, done.id);
      expect(before).toMatchObject({ submissions: 1, attachments: 1, links: 1, subjects: 1, sms: 1, outbox: 1 });
      expect(before.changes).toBeGreaterThanOrEqual(2);

      // Today nothing is past 30 days.
      const today = await runPurge(t.db, t.dialect, { now: new Date(), actor: { id: 'test', role: 'test' }, uploadsDir, shredder });
      expect(today.counts.submissions).toBe(0);

      const later = new Date(Date.now() + 31 * DAY);
      const report = await runPurge(t.db, t.dialect, { now: later, actor: { id: 'test', role: 'test' }, uploadsDir, shredder });
      expect(await rowsOf(t, done.id)).toEqual({ submissions: 0, changes: 0, attachments: 0, links: 0, subjects: 0, sms: 0, outbox: 0 });
      expect(await t.db.selectFrom('sms_parts').select('sender').where('message_id', '=', 'm1').execute()).toEqual([]);
      expect(existsSync(join(uploadsDir, sha(photo)))).toBe(false);
      expect(existsSync(join(uploadsDir, `${sha(photo)}.json`))).toBe(false);
      // The unanswered one stays (an open request is no data to forget).
      expect((await rowsOf(t, open.id)).submissions).toBe(1);
      expect(report.counts).toMatchObject({ submissions: 1, attachmentRefs: 1, smsMessages: 1, smsParts: 1, smsOutbox: 1, subjectIndexRows: 1 });
      expect(report.files).toBe(1);
      expect(report.held).toBe(1);
      // Its month still holds the open one, so its key stays.
      expect(shredder.calls).toEqual([]);

      const audit = await t.db.selectFrom('audit_log').select(['action', 'subject', 'detail_json']).where('action', '=', 'retention.purge').orderBy('seq').execute();
      expect(audit).toHaveLength(2);
      const detail = audit[1]?.detail_json ?? '';
      expect(JSON.parse(detail)).toMatchObject({ submissions: 1, files: 1, held: 1, smsMessages: 1 });
      for (const personal of [nik, name, '+6281200000001', done.id]) expect(detail).not.toContain(personal);

      // Answered too, it goes on the next run, and with it the last of its month: that key is shredded.
      expect((await t.app.repos.updateStatus(open.id, 'ditolak', 'Tidak lengkap.', 'tidak-dikuasai')).ok).toBe(true);
      await runPurge(t.db, t.dialect, { now: later, actor: { id: 'test', role: 'test' }, uploadsDir, shredder });
      expect((await rowsOf(t, open.id)).submissions).toBe(0);
      const receivedMonth = new Date().toISOString();
      expect(shredder.calls).toEqual([[submissionKeyScope(RETENTION_FORM.formId, receivedMonth)]]);
    });

    it('deletes SMS kept without a submission after 30 days', async () => {
      const t = ctx();
      const old = new Date(Date.now() - 40 * DAY).toISOString();
      await t.db.insertInto('sms_messages').values({ sender: '+6281200000002', message_id: 'm2', outcome: 'refused', reason: 'x', submission_id: null, completed_at: old }).execute();
      await t.db.insertInto('sms_parts').values({ sender: '+6281200000002', message_id: 'm3', part_index: 0, part_total: 2, payload: 'x', gateway_id: 'g', received_at: old }).execute();
      const report = await runPurge(t.db, t.dialect, { now: new Date(), actor: { id: 'test', role: 'test' }, uploadsDir, shredder });
      expect(report.counts).toMatchObject({ smsMessages: 1, smsParts: 1 });
      expect(await t.db.selectFrom('sms_messages').select('sender').where('sender', '=', '+6281200000002').execute()).toEqual([]);
    });
  },
  () => {
    uploadsDir = mkdtempSync(join(tmpdir(), 'jangkau-ret-'));
    return { auth: TEST_AUTH, subjectIndex: TEST_SUBJECT_INDEX, purgeEveryMs: 0, uploads: { dir: uploadsDir, sweepEveryMs: 0 } };
  },
);
