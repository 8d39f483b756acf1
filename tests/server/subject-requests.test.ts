// Data subjects' requests (UU 27/2022) on both dialects: recorded with their 3×24 h clock, an
// export of everything held about a NIK in the office's region (JSON and readable), a correction,
// and an erasure that stops at legal holds; each act audited without personal data.
import { storedAnswers } from '../support/test-kek.ts';
import { expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { writeMeta } from '../../server/repositories/subjects.ts';
import { bearer, coklit, formEnvelope, officer, pushAs, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, newDevice, pushOk } from './helpers.ts';
import { freshName, freshNik, TEST_SUBJECT_INDEX } from './retention-fixtures.ts';

interface RequestView {
  id: string;
  kind: string;
  regionCode: string;
  receivedAt: string;
  dueAt: string;
  answeredAt: string | null;
}

interface ExportView {
  request: RequestView;
  submissions: { id: string; formId: string; answers: Record<string, unknown>; history: unknown[] }[];
}

describeEachDialect(
  'data subject requests',
  (ctx) => {
    const device = newDevice();
    const nik = freshNik();
    const name = freshName();
    let admin: TestOfficer;
    let regency: TestOfficer;
    const ppidHere = formEnvelope('ppid-permohonan', { nik, nama: name, ditujukanKepada: REGION.regency });
    const ppidThere = formEnvelope('ppid-permohonan', { nik, nama: name, ditujukanKepada: REGION.otherRegency });
    const someoneElse = formEnvelope('ppid-permohonan', { nik: freshNik(), ditujukanKepada: REGION.regency });
    const voter = coklit(REGION.village);

    const open = (who: TestOfficer, body: Record<string, unknown>) =>
      ctx().app.inject({ method: 'POST', url: '/api/v1/subject-requests', headers: bearer(who.token), payload: body });
    const exportOf = (who: TestOfficer, id: string, format = '') =>
      ctx().app.inject({ method: 'GET', url: `/api/v1/subject-requests/${id}/export${format}`, headers: bearer(who.token) });

    it('setup: the NIK is on requests to two regencies and on a coklit record', async () => {
      const t = ctx();
      admin = await officer(t, 'admin_provinsi', REGION.province);
      regency = await officer(t, 'operator', REGION.regency);
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      await pushOk(t.app, device, [ppidHere, ppidThere, someoneElse]);
      (voter.data as Record<string, unknown>).nik = nik;
      const pushed = await pushAs(t.app, bearer(pantarlih.token), [voter]);
      expect(pushed.json<{ results: { outcome: string }[] }>().results[0]?.outcome).toBe('accepted');
    });

    it('records a request with its received time and a due time 3×24 h later', async () => {
      const receivedAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
      const res = await open(regency, { kind: 'access', nik: nik.replace(/(\d{4})/g, '$1 ').trim(), receivedAt });
      expect(res.statusCode).toBe(201);
      const body = res.json<RequestView>();
      expect(body).toMatchObject({ kind: 'access', regionCode: REGION.regency, receivedAt, answeredAt: null });
      expect(Date.parse(body.dueAt) - Date.parse(body.receivedAt)).toBe(72 * 3_600_000);
      const stored = await ctx().db.selectFrom('subject_requests').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain(nik);
    });

    it('refuses a malformed NIK, a time in the future and an office outside the officer’s region', async () => {
      expect((await open(regency, { kind: 'access', nik: '12345678901234567' })).statusCode).toBe(400);
      expect((await open(regency, { kind: 'access', nik, receivedAt: new Date(Date.now() + 3_600_000).toISOString() })).statusCode).toBe(400);
      expect((await open(regency, { kind: 'access', nik, receivedAt: 'kemarin' })).statusCode).toBe(400);
      expect((await open(regency, { kind: 'access', nik, regionCode: REGION.otherRegency })).statusCode).toBe(403);
    });

    it('exports everything held about the NIK in the office’s region, as JSON and as readable text; audited without personal data', async () => {
      const t = ctx();
      const req = (await open(regency, { kind: 'access', nik })).json<RequestView>();
      const res = await exportOf(regency, req.id);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json<ExportView>();
      expect(body.submissions.map((s) => s.id).sort()).toEqual([ppidHere.id, voter.id].sort());
      const ppid = body.submissions.find((s) => s.id === ppidHere.id);
      expect(ppid?.answers.nama).toBe(name);
      expect(ppid?.history.length).toBeGreaterThan(0);
      expect(body.request.answeredAt).not.toBeNull();

      const text = await exportOf(regency, req.id, '?format=text');
      expect(text.headers['content-type']).toMatch(/^text\/plain/);
      expect(text.body).toContain(`Nama lengkap: ${name}`);
      expect(text.body).toContain(ppidHere.id.slice(0, 4));

      const province = (await open(admin, { kind: 'access', nik })).json<RequestView>();
      const all = (await exportOf(admin, province.id)).json<ExportView>();
      expect(all.submissions.map((s) => s.id).sort()).toEqual([ppidHere.id, ppidThere.id, voter.id].sort());

      const audit = await t.db.selectFrom('audit_log').select(['action', 'subject', 'detail_json']).where('action', 'like', 'subject.%').execute();
      expect(audit.map((a) => a.action)).toContain('subject.export');
      for (const a of audit) for (const personal of [nik, name]) expect(JSON.stringify(a)).not.toContain(personal);
    });

    it('corrects one answer on a correction request, and only there', async () => {
      const t = ctx();
      const access = (await open(regency, { kind: 'access', nik })).json<RequestView>();
      const correction = (await open(regency, { kind: 'correction', nik })).json<RequestView>();
      const fix = (id: string, body: Record<string, unknown>) =>
        t.app.inject({ method: 'POST', url: `/api/v1/subject-requests/${id}/correct`, headers: bearer(regency.token), payload: body });
      expect((await fix(access.id, { submissionId: ppidHere.id, field: 'nama', value: 'Siti Nurhaliza' })).statusCode).toBe(409);
      expect((await fix(correction.id, { submissionId: ppidHere.id, field: 'tidakAda', value: 'x' })).statusCode).toBe(400);
      expect((await fix(correction.id, { submissionId: ppidHere.id, field: 'nama', value: 'x' })).statusCode).toBe(400);
      expect((await fix(correction.id, { submissionId: ppidThere.id, field: 'nama', value: 'Siti Nurhaliza' })).statusCode).toBe(404);
      expect((await fix(correction.id, { submissionId: ppidHere.id, field: 'nama', value: 'Siti Nurhaliza' })).statusCode).toBe(200);
      expect(await storedAnswers(t.db, ppidHere.id)).toMatchObject({ nama: 'Siti Nurhaliza', nik });
      const entry = await t.db.selectFrom('audit_log').select('detail_json').where('action', '=', 'subject.correct').executeTakeFirstOrThrow();
      expect(JSON.parse(entry.detail_json)).toEqual({ submissionId: ppidHere.id, field: 'nama' });
    });

    it('erases what the law allows in the office’s region; keeps voter-list work and other regions', async () => {
      const t = ctx();
      const access = (await open(regency, { kind: 'access', nik })).json<RequestView>();
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/subject-requests/${access.id}/erase`, headers: bearer(regency.token) })).statusCode).toBe(409);
      const erasure = (await open(regency, { kind: 'erasure', nik })).json<RequestView>();
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/subject-requests/${erasure.id}/erase`, headers: bearer(regency.token) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ erased: [ppidHere.id], held: [{ submissionId: voter.id, holds: ['election_retention'] }], files: 0 });
      const left = await t.db.selectFrom('submissions').select('id').where('id', 'in', [ppidHere.id, ppidThere.id, voter.id, someoneElse.id]).execute();
      expect(left.map((r) => r.id).sort()).toEqual([ppidThere.id, voter.id, someoneElse.id].sort());
      const entry = await t.db.selectFrom('audit_log').select(['subject', 'detail_json']).where('action', '=', 'subject.erase').executeTakeFirstOrThrow();
      expect(entry.subject).toBe(erasure.id);
      expect(JSON.parse(entry.detail_json)).toMatchObject({ erased: 1, held: 1 });
    });

    it('holds a PPID request and its keberatan while the keberatan is open', async () => {
      const t = ctx();
      const other = freshNik();
      const request = formEnvelope('ppid-permohonan', { nik: other, ditujukanKepada: REGION.regency });
      const objection = formEnvelope('keberatan-informasi', { nik: other, ditujukanKepada: REGION.regency });
      await pushOk(t.app, device, [request, objection]);
      const erasure = (await open(regency, { kind: 'erasure', nik: other })).json<RequestView>();
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/subject-requests/${erasure.id}/erase`, headers: bearer(regency.token) });
      expect(res.json<{ erased: string[]; held: { holds: string[] }[] }>()).toMatchObject({ erased: [], held: [{ holds: ['open_keberatan'] }, { holds: ['open_keberatan'] }] });
    });

    it('lists open requests in the officer’s region, soonest due first, with dueAt', async () => {
      const t = ctx();
      const mine = (await t.app.inject({ method: 'GET', url: '/api/v1/subject-requests?open=true', headers: bearer(regency.token) })).json<{ items: RequestView[] }>();
      expect(mine.items.length).toBeGreaterThan(0);
      expect(mine.items.every((r) => r.regionCode === REGION.regency && r.answeredAt === null)).toBe(true);
      const dues = mine.items.map((r) => r.dueAt);
      expect([...dues].sort()).toEqual(dues);
      const theirs = await officer(t, 'operator', REGION.otherRegency);
      const none = (await t.app.inject({ method: 'GET', url: '/api/v1/subject-requests', headers: bearer(theirs.token) })).json<{ items: RequestView[] }>();
      expect(none.items).toEqual([]);
    });

    it('indexes submissions stored before the index existed, once, at start', async () => {
      const t = ctx();
      await t.db.deleteFrom('submission_subjects').where('submission_id', '=', someoneElse.id).execute();
      await writeMeta(t.db, 'subject_index_backfill', 'pending');
      const again = buildApp({ db: t.db, dialect: t.dialect, auth: TEST_AUTH, subjectIndex: TEST_SUBJECT_INDEX, purgeEveryMs: 0 });
      await again.ready();
      await again.close();
      const rows = await t.db.selectFrom('submission_subjects').select('nik_index').where('submission_id', '=', someoneElse.id).execute();
      expect(rows).toHaveLength(1);
      expect((await t.db.selectFrom('server_meta').select('value').where('key', '=', 'subject_index_backfill').executeTakeFirstOrThrow()).value).toBe('done');
    });
  },
  { auth: TEST_AUTH, subjectIndex: TEST_SUBJECT_INDEX, purgeEveryMs: 0 },
);
