// The review inbox: only requests in the officer's region, status moves that reach the
// resident's device, reads that are audited, and one extension of the PPID due date.
import { expect, it } from 'vitest';
import { addDays } from '../../core/calendar/days.ts';
import { dueDate } from '../../core/calendar/working-days.ts';
import { describeEachDialect, envelope, newDevice, pull, pushOk, validPpidData } from './helpers.ts';
import { bearer, coklit, formEnvelope, officer, pushAs, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import type { TestApp } from './helpers.ts';

interface Listed {
  id: string;
  formId: string;
  regionCode: string;
  status: string;
  dueOn: string | null;
  overdue: boolean;
  formTitle?: { id: string; en: string } | null;
  subject?: { id: string; en: string } | null;
  requester?: string | null;
}

async function inbox(t: TestApp, who: TestOfficer, query = ''): Promise<Listed[]> {
  const res = await t.app.inject({ url: `/api/v1/inbox?limit=200${query}`, headers: bearer(who.token) });
  if (res.statusCode !== 200) throw new Error(`inbox answered ${res.statusCode}: ${res.body}`);
  return res.json<{ items: Listed[] }>().items;
}

describeEachDialect(
  'review inbox',
  (ctx) => {
    it('shows each officer only the requests of their region', async () => {
      const t = ctx();
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const records = [coklit(REGION.village), coklit(REGION.village)];
      await pushAs(t.app, bearer(pantarlih.token), records);
      const toRegency = envelope({ data: validPpidData({ ditujukanKepada: REGION.regency }) });
      const toProvince = envelope({ data: validPpidData({ ditujukanKepada: REGION.province }) });
      const dps = formEnvelope('tanggapan-dps', { wilayah: REGION.otherVillage });
      await pushOk(t.app, newDevice(), [toRegency, toProvince, dps]);

      const ids = (items: Listed[]) => new Set(items.map((i) => i.id));
      const samePps = ids(await inbox(t, await officer(t, 'pps', REGION.village)));
      const otherPps = ids(await inbox(t, await officer(t, 'pps', REGION.siblingVillage)));
      const regency = ids(await inbox(t, await officer(t, 'operator', REGION.regency)));
      const otherRegency = ids(await inbox(t, await officer(t, 'operator', REGION.otherRegency)));
      const province = ids(await inbox(t, await officer(t, 'admin_provinsi', REGION.province)));

      for (const r of records) {
        expect(samePps.has(r.id)).toBe(true);
        expect(otherPps.has(r.id)).toBe(false);
        expect(regency.has(r.id)).toBe(true);
        expect(otherRegency.has(r.id)).toBe(false);
        expect(province.has(r.id)).toBe(true);
      }
      expect(regency.has(toRegency.id)).toBe(true);
      expect(samePps.has(toRegency.id)).toBe(false);
      expect(regency.has(toProvince.id)).toBe(false);
      expect(province.has(toProvince.id)).toBe(true);
      expect(otherRegency.has(dps.id)).toBe(true);
      expect(regency.has(dps.id)).toBe(false);
      // Out of scope reads like a request that does not exist.
      const otherOperator = await officer(t, 'operator', REGION.otherRegency);
      const hidden = await t.app.inject({ url: `/api/v1/inbox/${records[0]!.id}`, headers: bearer(otherOperator.token) });
      expect(hidden.statusCode).toBe(404);
    });

    it('answers a request; the resident’s device pulls the answer; each step and read is audited', async () => {
      const t = ctx();
      const resident = newDevice();
      const request = envelope({ data: validPpidData({ ditujukanKepada: REGION.regency }) });
      await pushOk(t.app, resident, [request]);
      const op = await officer(t, 'operator', REGION.regency);

      const read = await t.app.inject({ url: `/api/v1/inbox/${request.id}`, headers: bearer(op.token) });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ id: request.id, status: 'diterima', data: { nama: 'Siti Aminah' } });

      const move = (body: Record<string, unknown>) =>
        t.app.inject({ method: 'POST', url: `/api/v1/inbox/${request.id}/status`, headers: bearer(op.token), payload: body });
      expect((await move({ status: 'diproses' })).statusCode).toBe(200);
      const noText = await move({ status: 'selesai' });
      expect(noText.statusCode).toBe(400);
      expect(noText.json().error).toBe('answer_required');
      const doc = 'a'.repeat(64);
      expect((await move({ status: 'selesai', answer: 'Data terlampir.', document: doc })).statusCode).toBe(200);
      const again = await move({ status: 'ditolak', answer: 'Tidak.' });
      expect(again.statusCode).toBe(409);
      expect(again.json().error).toBe('final_status');

      const changes = (await pull(t.app, resident, 'since=0')).json<{ changes: { submissionId: string; status: string; answer?: string }[] }>().changes;
      expect(changes.filter((c) => c.submissionId === request.id).at(-1)).toMatchObject({ status: 'selesai', answer: 'Data terlampir.' });

      const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_id', 'detail_json']).where('subject', '=', request.id).orderBy('seq').execute();
      expect(audit.map((a) => a.action)).toEqual(['submission.read', 'submission.status', 'submission.status']);
      expect(audit.every((a) => a.actor_id === op.id)).toBe(true);
      // Who, what, when: never the personal data or the answer text.
      const text = JSON.stringify(audit);
      for (const secret of ['Siti Aminah', '1901024501900001', 'Data terlampir']) expect(text).not.toContain(secret);
      expect(audit[2]!.detail_json).toContain(doc);
    });

    it('lets PPS read in scope but not answer, and observers list without opening personal data', async () => {
      const t = ctx();
      const p = await officer(t, 'pantarlih', REGION.village);
      const record = coklit(REGION.village);
      await pushAs(t.app, bearer(p.token), [record]);
      const pps = await officer(t, 'pps', REGION.village);
      const observer = await officer(t, 'pengamat', REGION.regency);
      expect((await t.app.inject({ url: `/api/v1/inbox/${record.id}`, headers: bearer(pps.token) })).statusCode).toBe(200);
      const answer = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${record.id}/status`, headers: bearer(pps.token), payload: { status: 'diproses' } });
      expect(answer.statusCode).toBe(403);
      expect((await inbox(t, observer)).map((i) => i.id)).toContain(record.id);
      expect((await t.app.inject({ url: `/api/v1/inbox/${record.id}`, headers: bearer(observer.token) })).statusCode).toBe(403);
      expect((await t.app.inject({ url: '/api/v1/inbox', headers: bearer(p.token) })).statusCode).toBe(403);
    });

    it('computes the PPID due date in working days and extends it once by 7', async () => {
      const t = ctx();
      const request = envelope({ data: validPpidData({ ditujukanKepada: REGION.otherRegency }) });
      const [result] = (await pushOk(t.app, newDevice(), [request])).results;
      const receivedAt = (result as { receivedAt: string }).receivedAt;
      const op = await officer(t, 'operator', REGION.otherRegency);
      const listed = (await inbox(t, op, '&form=ppid-permohonan')).find((i) => i.id === request.id);
      expect(listed?.dueOn).toBe(dueDate(receivedAt, { workingDays: 10 }, false));
      expect(listed?.overdue).toBe(false);

      const extend = () => t.app.inject({ method: 'POST', url: `/api/v1/inbox/${request.id}/extend`, headers: bearer(op.token) });
      const first = await extend();
      expect(first.statusCode).toBe(200);
      expect(first.json().dueOn).toBe(dueDate(receivedAt, { workingDays: 10, extensionWorkingDays: 7 }, true));
      const second = await extend();
      expect(second.statusCode).toBe(409);
      expect(second.json().error).toBe('already_extended');
      const skm = formEnvelope('skm');
      await pushOk(t.app, newDevice(), [skm]);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const noSla = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${skm.id}/extend`, headers: bearer(admin.token) });
      expect(noSla.statusCode).toBe(409);
    });

    it('filters overdue requests by their due date', async () => {
      const t = ctx();
      const late = envelope({ data: validPpidData({ ditujukanKepada: '19.03' }) });
      const fresh = envelope({ data: validPpidData({ ditujukanKepada: '19.03' }) });
      await pushOk(t.app, newDevice(), [late, fresh]);
      await t.db.updateTable('submissions').set({ due_on: '2020-01-02' }).where('id', '=', late.id).execute();
      const op = await officer(t, 'operator', '19.03');
      const overdue = await inbox(t, op, '&overdue=true');
      expect(overdue.map((i) => i.id)).toEqual([late.id]);
      expect(overdue[0]!.overdue).toBe(true);
      const diterima = await inbox(t, op, '&status=diterima');
      expect(diterima.map((i) => i.id).sort()).toEqual([late.id, fresh.id].sort());
      const paged = await t.app.inject({ url: '/api/v1/inbox?limit=1', headers: bearer(op.token) });
      expect(paged.json()).toMatchObject({ more: true });
      expect(paged.json().items).toHaveLength(1);
    });

    it('tells requests apart: form title, subject and requester decrypted on the server, one audit entry per page; sorted and filtered by due date', async () => {
      const t = ctx();
      const regency = '19.04';
      const mk = (nama: string, rincianInformasi: string) => envelope({ data: validPpidData({ ditujukanKepada: regency, nama, rincianInformasi }) });
      const late = mk('Rahmat Hidayat', 'Salinan berita acara rekapitulasi Kecamatan Koba');
      const soon = mk('Siti Rahma', 'Daftar TPS di Desa Nibung beserta alamatnya');
      const later = mk('Budi Santoso', 'Anggaran hibah Pilkada 2024 yang sudah dicairkan');
      const undated = mk('Ani', 'Dokumen tanpa tenggat untuk uji urutan');
      await pushOk(t.app, newDevice(), [later, undated, soon, late]);
      const today = (await t.app.inject({ url: '/api/v1/inbox?limit=1', headers: bearer((await officer(t, 'operator', regency)).token) })).json<{ today: string }>().today;
      const at = (n: number) => addDays(today, n);
      for (const [e, due] of [[late, at(-2)], [soon, at(3)], [later, at(20)], [undated, null]] as const) {
        await t.db.updateTable('submissions').set({ due_on: due }).where('id', '=', e.id).execute();
      }
      const op = await officer(t, 'operator', regency);
      const byDue = await inbox(t, op, '&sort=due');
      const ppid = byDue.slice(0, 3);
      expect(ppid.map((i) => i.id)).toEqual([late.id, soon.id, later.id]);
      // A service without a due date comes last.
      expect(byDue.map((i) => i.id)).toEqual([late.id, soon.id, later.id, undated.id]);
      expect(ppid.map((i) => [i.formTitle?.id, i.subject?.id, i.requester])).toEqual([
        ['Permohonan Informasi Publik', 'Salinan berita acara rekapitulasi Kecamatan Koba', 'Rahmat Hidayat'],
        ['Permohonan Informasi Publik', 'Daftar TPS di Desa Nibung beserta alamatnya', 'Siti Rahma'],
        ['Permohonan Informasi Publik', 'Anggaran hibah Pilkada 2024 yang sudah dicairkan', 'Budi Santoso'],
      ]);
      expect(ppid[0]!.formTitle?.en).toBe('Public information request');
      expect((await inbox(t, op, '&dueWithin=7')).map((i) => i.id).sort()).toEqual([late.id, soon.id].sort());
      expect((await inbox(t, op, '&dueWithin=0')).map((i) => i.id)).toEqual([late.id]);
      expect((await t.app.inject({ url: '/api/v1/inbox?dueWithin=-1', headers: bearer(op.token) })).statusCode).toBe(400);
      expect((await t.app.inject({ url: '/api/v1/inbox?sort=name', headers: bearer(op.token) })).statusCode).toBe(400);

      // The names come from the sealed answers: no column holds them in plaintext.
      const stored = JSON.stringify(await t.db.selectFrom('submissions').selectAll().where('id', '=', soon.id).execute());
      expect(stored).not.toContain('Siti Rahma');

      // One audit entry per listed page, naming the requests, never their contents.
      const lists = await t.db.selectFrom('audit_log').select(['action', 'actor_id', 'subject', 'detail_json']).where('action', '=', 'submission.list').where('actor_id', '=', op.id).execute();
      expect(lists).toHaveLength(3);
      expect(JSON.parse(lists[0]!.detail_json)).toMatchObject({ count: byDue.length });
      expect(lists[0]!.detail_json).toContain(soon.id);
      const text = JSON.stringify(lists);
      for (const secret of ['Siti Rahma', 'Rahmat', 'Daftar TPS', '1901024501900001']) expect(text).not.toContain(secret);

      // An observer lists without personal data, and its list is not a read.
      const observer = await officer(t, 'pengamat', regency);
      const seen = await t.app.inject({ url: '/api/v1/inbox?sort=due', headers: bearer(observer.token) });
      const items = seen.json<{ items: Record<string, unknown>[] }>().items;
      expect(items.length).toBe(byDue.length);
      expect(items.every((i) => !('subject' in i) && !('requester' in i) && (i.formTitle as { id: string }).id.length > 0)).toBe(true);
      expect(seen.body).not.toContain('Siti Rahma');
      const observerAudit = await t.db.selectFrom('audit_log').select('seq').where('actor_id', '=', observer.id).where('action', '=', 'submission.list').execute();
      expect(observerAudit).toHaveLength(0);
      // Another regency's operator sees none of them.
      expect((await inbox(t, await officer(t, 'operator', '19.02'), '&sort=due')).map((i) => i.id)).not.toContain(soon.id);
    });

    it('lists a request whose answers cannot be opened without its summary, and the rest as usual', async () => {
      const t = ctx();
      const broken = envelope({ data: validPpidData({ ditujukanKepada: '19.06' }) });
      const fine = envelope({ data: validPpidData({ ditujukanKepada: '19.06', nama: 'Ani Lestari' }) });
      await pushOk(t.app, newDevice(), [broken, fine]);
      await t.db.updateTable('submissions').set({ payload_json: '{"nama":"tidak tersegel"}' }).where('id', '=', broken.id).execute();
      const items = await inbox(t, await officer(t, 'operator', '19.06'));
      expect(items.find((i) => i.id === broken.id)).toMatchObject({ requester: null, subject: null, formTitle: { id: 'Permohonan Informasi Publik' } });
      expect(items.find((i) => i.id === fine.id)?.requester).toBe('Ani Lestari');
    });
  },
  { auth: TEST_AUTH },
);
