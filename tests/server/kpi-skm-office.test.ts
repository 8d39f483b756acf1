// The SKM's rated office decides whose IKM an answer counts in (issue #7): an SKM v2 answer rating
// KPU Belitung (19.02) is pushed like any resident's, stored at 19.02, counted in 19.02's IKM and
// not in 19.01's, and out of sight of 19.01's operator; an SKM v1 answer, which names no office,
// still counts at the province.
import { expect, it } from 'vitest';
import { SKM_ELEMENTS } from '../../core/forms/catalog/skm.ts';
import { randomSecret, ulid } from '../../core/ids.ts';
import { periodOf } from '../../core/kpi/periods.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { bearer, officer, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pushOk, validPpidData, type TestApp } from './helpers.ts';

function skm(version: 1 | 2, score: string, office?: string): SubmissionEnvelope {
  return {
    id: ulid(),
    formId: 'skm',
    formVersion: version,
    createdAt: new Date().toISOString(),
    data: {
      ...(office !== undefined && { kantorDinilai: office }),
      layanan: 'informasi',
      jenisKelamin: 'P',
      umur: '26-35',
      pendidikan: 'sma',
      pekerjaan: 'nelayan_petani',
      ...Object.fromEntries(SKM_ELEMENTS.map((e) => [e, score])),
    },
    secret: randomSecret(),
  };
}

interface Row {
  key: string;
  ikm: { respondents: number; ikm?: number; grade?: string };
}

async function table(t: TestApp, who: TestOfficer, query: string): Promise<Row[]> {
  const res = await t.app.inject({ url: `/api/v1/kpi/table?${query}`, headers: bearer(who.token) });
  if (res.statusCode !== 200) throw new Error(`kpi/table answered ${res.statusCode}: ${res.body}`);
  return res.json<{ rows: Row[] }>().rows;
}

async function inboxIds(t: TestApp, who: TestOfficer): Promise<string[]> {
  const res = await t.app.inject({ url: '/api/v1/inbox?limit=200', headers: bearer(who.token) });
  if (res.statusCode !== 200) throw new Error(`inbox answered ${res.statusCode}: ${res.body}`);
  return res.json<{ items: { id: string }[] }>().items.map((i) => i.id);
}

describeEachDialect(
  'SKM answers count at the office they rate',
  (ctx) => {
    it('an SKM v2 rating 19.02 counts in the IKM of 19.02, not of 19.01, and 19.01 does not see it; v1 counts at the province', async () => {
      const t = ctx();
      const rated = skm(2, '4', REGION.otherRegency);
      const unnamed = skm(1, '2');
      // 19.01 has a request of its own, so it has a row whose IKM the SKM answer must stay out of.
      const request = envelope({ data: validPpidData({ ditujukanKepada: REGION.regency }) });
      const answer = await pushOk(t.app, newDevice(), [rated, unnamed, request]);
      expect(answer.results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);

      const stored = await t.db.selectFrom('submissions').select(['id', 'form_version', 'region_code', 'received_at']).where('form_id', '=', 'skm').execute();
      expect(new Map(stored.map((r) => [r.id, [Number(r.form_version), r.region_code]]))).toEqual(
        new Map([
          [rated.id, [2, REGION.otherRegency]],
          [unnamed.id, [1, REGION.province]],
        ]),
      );

      const period = periodOf(stored[0]!.received_at, 'month');
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const byUnit = new Map((await table(t, admin, `period=${period}&by=unit`)).map((r) => [r.key, r.ikm]));
      expect([...byUnit.keys()]).toEqual([REGION.province, REGION.regency, REGION.otherRegency]);
      expect(byUnit.get(REGION.otherRegency)).toMatchObject({ respondents: 1, ikm: 100, grade: 'A' });
      expect(byUnit.get(REGION.regency)).toMatchObject({ respondents: 0 });
      expect(byUnit.get(REGION.regency)?.ikm).toBeUndefined();
      expect(byUnit.get(REGION.province)).toMatchObject({ respondents: 1, ikm: 50, grade: 'D' });
      // By service, the province sees both answers in one SKM row.
      const byService = await table(t, admin, `period=${period}&by=service`);
      expect(byService.find((r) => r.key === 'skm')?.ikm).toMatchObject({ respondents: 2, ikm: 75 });

      const bangka = await officer(t, 'operator', REGION.regency);
      const mine = await table(t, bangka, `period=${period}&by=unit`);
      expect(mine.map((r) => [r.key, r.ikm.respondents])).toEqual([[REGION.regency, 0]]);
      expect((await table(t, bangka, `period=${period}&by=service`)).some((r) => r.key === 'skm')).toBe(false);
      expect(await inboxIds(t, bangka)).not.toContain(rated.id);
      const hidden = await t.app.inject({ url: `/api/v1/inbox/${rated.id}`, headers: bearer(bangka.token) });
      expect(hidden.statusCode).toBe(404);

      const belitung = await officer(t, 'operator', REGION.otherRegency);
      const theirs = await table(t, belitung, `period=${period}&by=unit`);
      expect(theirs.map((r) => [r.key, r.ikm.respondents, r.ikm.ikm])).toEqual([[REGION.otherRegency, 1, 100]]);
      expect(await inboxIds(t, belitung)).toContain(rated.id);
      const ranking = await t.app.inject({ url: `/api/v1/kpi/ranking?period=${period}`, headers: bearer(admin.token) });
      const ranked = ranking.json<{ rows: { unit: string; ikm?: number }[] }>().rows;
      expect(ranked.find((r) => r.unit === REGION.otherRegency)?.ikm).toBe(100);
      expect(ranked.find((r) => r.unit === REGION.regency)?.ikm).toBeUndefined();
    });

    it('refuses an SKM v2 answer without the rated office or with an office outside the province', async () => {
      const t = ctx();
      for (const [office, code] of [
        [undefined, 'required'],
        ['31.71', 'bad_choice'],
      ] as const) {
        const item = skm(2, '3', office);
        const answer = await pushOk(t.app, newDevice(), [item]);
        expect(answer.results[0]).toMatchObject({ outcome: 'rejected', reason: 'invalid_data', errors: [{ field: 'kantorDinilai', code }] });
        const n = await t.db.selectFrom('submissions').select('id').where('id', '=', item.id).execute();
        expect(n).toEqual([]);
      }
    });
  },
  { auth: TEST_AUTH },
);
