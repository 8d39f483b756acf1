// The phone's side of issue #14 with its real storage and sync engine (fake-indexeddb) against the
// real server app (SQLite and PostgreSQL): a request filed offline is returned by the office; after
// one sync the phone holds the reason and fields (offline from then on), the person completes it,
// it goes back under the same receipt and is answered; another is refused with a ground, and the
// keberatan form starts prefilled from it. The pull never carries the office's internal notes.
import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { ulid } from '../../core/ids.ts';
import { findForm, PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { keberatanPrefill } from '../../core/office/keberatan.ts';
import { awaitsCompletion, completionForm, queueCompletion } from '../../src/db/completion.ts';
import { submitDraft } from '../../src/db/outbox.ts';
import { JangkauDb } from '../../src/db/schema.ts';
import { phoneEngine } from './phone-engine.ts';
import { openPayload } from '../../server/repositories/submission-fields.ts';
import { bearer, officer, REGION } from './auth-fixtures.ts';
import { describeEachDialect, validPpidData } from './helpers.ts';


describeEachDialect('return for completion and refusal, phone and server', (ctx) => {
  it('a returned request is completed offline after one sync, goes back under its receipt and is answered; a refused one starts a keberatan', async () => {
    const t = ctx();
    const phone = new JangkauDb(`return-${ulid()}`);
    const engine = phoneEngine(t.app, phone);
    const staff = await officer(t, 'operator', REGION.regency);
    const act = (id: string, what: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/v1/inbox/${id}/${what}`, headers: bearer(staff.token), payload });
    try {
      const form = findForm(PUBLISHED_FORMS, 'ppid-permohonan', 1)!;
      const [first, second] = [ulid(), ulid()];
      // Filed with no signal: queued on the phone only.
      for (const id of [first, second]) expect((await submitDraft(phone, form, id, validPpidData({ ditujukanKepada: REGION.regency }))).ok).toBe(true);
      expect((await engine.sync('manual')).outcome).toBe('ok');

      expect((await act(first, 'notes', { text: 'Rahasia kantor: cek arsip 2019' })).statusCode).toBe(200);
      expect((await act(first, 'return', { reason: 'Tujuan penggunaan kurang jelas.', fields: ['tujuanPenggunaan'] })).statusCode).toBe(200);
      expect((await act(second, 'status', { status: 'ditolak', answer: 'Memuat data pribadi.', ground: 'pasal-17-h' })).statusCode).toBe(200);

      // One sync; from here the phone is offline.
      expect((await engine.sync('manual')).outcome).toBe('ok');
      const returned = (await phone.receipts.get(first))!;
      expect(returned.status).toBe('perlu_dilengkapi');
      expect(returned.returned).toEqual({ reason: 'Tujuan penggunaan kurang jelas.', fields: ['tujuanPenggunaan'], revision: 1 });
      expect(awaitsCompletion(returned)).toBe(true);
      expect(completionForm(form, returned.returned!.fields).fields.map((f) => f.name)).toEqual(['tujuanPenggunaan']);
      // The office's note reached no part of the phone.
      expect(JSON.stringify(await phone.receipts.toArray())).not.toContain('Rahasia kantor');

      // Completed offline: a field outside the returned ones is refused on the phone; the completion is queued.
      expect((await queueCompletion(phone, form, first, { tujuanPenggunaan: '' })).ok).toBe(false);
      expect(await queueCompletion(phone, form, first, { tujuanPenggunaan: 'Bahan skripsi tentang partisipasi pemilih', nama: 'Lain' })).toMatchObject({
        ok: false,
        verdict: { errors: [{ field: 'nama', code: 'unknown_field' }] },
      });
      expect(await queueCompletion(phone, form, first, { tujuanPenggunaan: 'Bahan skripsi tentang partisipasi pemilih' })).toEqual({ ok: true });
      const queued = (await phone.outbox.get(first))!;
      expect(queued.envelope).toMatchObject({ id: first, revision: 1, data: { tujuanPenggunaan: 'Bahan skripsi tentang partisipasi pemilih' } });
      expect(queued.envelope.data).not.toHaveProperty('nama');
      expect(await queueCompletion(phone, form, first, { tujuanPenggunaan: 'lagi' })).toEqual({ ok: false, reason: 'not_returned' });

      // Back online: it goes, under the same receipt, and the first version is kept.
      const receivedBefore = returned.receivedAt;
      expect((await engine.sync('manual')).outcome).toBe('ok');
      expect(await phone.outbox.get(first)).toBeUndefined();
      const row = await t.db.selectFrom('submissions').select(['payload_json', 'status', 'revision']).where('id', '=', first).executeTakeFirstOrThrow();
      expect(row.status).toBe('diproses');
      expect((await openPayload(t.app.dataKeys, first, row.payload_json)).tujuanPenggunaan).toBe('Bahan skripsi tentang partisipasi pemilih');
      expect((await t.db.selectFrom('submission_versions').select('revision').where('submission_id', '=', first).execute()).map((v) => Number(v.revision)).sort()).toEqual([0, 1]);
      expect((await phone.receipts.get(first))!.receivedAt).toBe(receivedBefore);

      expect((await act(first, 'status', { status: 'selesai', answer: 'Data terlampir di email.' })).statusCode).toBe(200);
      expect((await engine.sync('manual')).outcome).toBe('ok');
      expect(await phone.receipts.get(first)).toMatchObject({ status: 'selesai', answer: 'Data terlampir di email.' });

      // The refused one: the ground, the keberatan date, and the prefilled keberatan.
      const refused = (await phone.receipts.get(second))!;
      expect(refused).toMatchObject({ status: 'ditolak', answer: 'Memuat data pribadi.', refusal: { ground: 'pasal-17-h' } });
      expect(refused.refusal!.keberatanBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(keberatanPrefill({ id: second, ground: refused.refusal!.ground! })).toEqual({ nomorPermohonan: second, alasan: 'a' });
    } finally {
      engine.close();
      phone.close();
    }
  }, 120_000);
});
