// The inbox's list filters: region (inside the scope, else 403), received between dates, and the
// search by receipt number or NIK — through the NIK's keyed index, only for roles that may read
// requests, inside the scope, and each search audited without the term.
import { beforeAll, expect, it } from 'vitest';
import { addDays } from '../../core/calendar/days.ts';
import { localDate } from '../../core/calendar/working-days.ts';
import { formatReceipt } from '../../core/ids.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { bearer, formEnvelope, officer, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pushOk, validPpidData, type TestApp } from './helpers.ts';

const NIK = '1901024702910004';
const OTHER_NIK = '1901026512850002';

async function ids(t: TestApp, who: TestOfficer, query: string): Promise<string[]> {
  const res = await t.app.inject({ url: `/api/v1/inbox?limit=200&${query}`, headers: bearer(who.token) });
  if (res.statusCode !== 200) throw new Error(`inbox answered ${res.statusCode}: ${res.body}`);
  return res.json<{ items: { id: string }[] }>().items.map((i) => i.id);
}

describeEachDialect(
  'inbox filters and search',
  (ctx) => {
    let province: TestOfficer;
    let regency: TestOfficer;
    let mine: SubmissionEnvelope;
    let otherPerson: SubmissionEnvelope;
    let otherRegion: SubmissionEnvelope;
    let village: SubmissionEnvelope;

    beforeAll(async () => {
      const t = ctx();
      province = await officer(t, 'admin_provinsi', REGION.province);
      regency = await officer(t, 'operator', REGION.regency);
      mine = envelope({ data: validPpidData({ ditujukanKepada: REGION.regency, nik: NIK }) });
      otherPerson = envelope({ data: validPpidData({ ditujukanKepada: REGION.regency, nik: OTHER_NIK }) });
      otherRegion = envelope({ data: validPpidData({ ditujukanKepada: REGION.otherRegency, nik: NIK }) });
      village = formEnvelope('tanggapan-dps', { wilayah: REGION.village });
      await pushOk(t.app, newDevice(), [mine, otherPerson, otherRegion, village]);
    });

    it('search by NIK finds that person’s requests in scope only, through the blind index', async () => {
      const t = ctx();
      expect((await ids(t, province, `q=${NIK}`)).sort()).toEqual([mine.id, otherRegion.id].sort());
      expect(await ids(t, regency, `q=${NIK}`)).toEqual([mine.id]);
      expect(await ids(t, regency, 'q=1901020101010009')).toEqual([]);
    });

    it('search by receipt number, with or without dashes, in any case; outside the scope it finds nothing', async () => {
      const t = ctx();
      expect(await ids(t, regency, `q=${encodeURIComponent(formatReceipt(mine.id).toLowerCase())}`)).toEqual([mine.id]);
      expect(await ids(t, regency, `q=${mine.id}`)).toEqual([mine.id]);
      expect(await ids(t, regency, `q=${otherRegion.id}`)).toEqual([]);
    });

    it('a search is audited by its kind, never its term; roles that may not read requests cannot search; a bad term is a 400', async () => {
      const t = ctx();
      await ids(t, regency, `q=${NIK}`);
      const rows = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'submission.search').where('actor_id', '=', regency.id).execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => !r.detail_json.includes(NIK) && r.subject === REGION.regency)).toBe(true);
      expect(rows.map((r) => JSON.parse(r.detail_json).by)).toContain('nik');
      const observer = await officer(t, 'pengamat', REGION.regency);
      expect((await t.app.inject({ url: `/api/v1/inbox?q=${NIK}`, headers: bearer(observer.token) })).statusCode).toBe(403);
      expect((await t.app.inject({ url: '/api/v1/inbox?q=%21%21', headers: bearer(regency.token) })).statusCode).toBe(400);
    });

    it('region narrows inside the scope; a region outside it is refused', async () => {
      const t = ctx();
      expect(await ids(t, regency, `region=${REGION.village}`)).toEqual([village.id]);
      expect((await ids(t, province, `region=${REGION.otherRegency}`))).toEqual([otherRegion.id]);
      expect((await t.app.inject({ url: `/api/v1/inbox?region=${REGION.otherRegency}`, headers: bearer(regency.token) })).statusCode).toBe(403);
    });

    it('received between dates (WIB, inclusive)', async () => {
      const t = ctx();
      const today = localDate(new Date().toISOString());
      expect((await ids(t, regency, `receivedFrom=${today}&receivedTo=${today}`)).length).toBe(3);
      expect(await ids(t, regency, `receivedFrom=${addDays(today, 1)}`)).toEqual([]);
      expect(await ids(t, regency, `receivedTo=${addDays(today, -1)}`)).toEqual([]);
      expect((await t.app.inject({ url: '/api/v1/inbox?receivedFrom=2026-13-01', headers: bearer(regency.token) })).statusCode).toBe(400);
    });
  },
  { auth: TEST_AUTH },
);
