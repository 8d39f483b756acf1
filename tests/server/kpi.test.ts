// The KPI API against seeded data: a few thousand generated submissions with status histories
// are loaded into the real tables, and every figure the API gives the province admin and a
// regency operator is compared with an independent computation from the generator's records
// (core/kpi/table.ts works from the status histories; the API from the stored due dates and the
// change log).
import { beforeAll, expect, it } from 'vitest';
import { covers } from '../../core/auth/scope.ts';
import { latestForms, PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { coklitCoverage, coverageTotals, type TpsCoverage } from '../../core/kpi/coklit-coverage.ts';
import { computeIkm } from '../../core/kpi/ikm.ts';
import { periodOf, periodRange } from '../../core/kpi/periods.ts';
import { rankUnits } from '../../core/kpi/ranking.ts';
import { syncDelayByDistrict, syncDelayByIsland } from '../../core/kpi/sync-delay.ts';
import { isAnsweredService, kpiTable, type KpiRow } from '../../core/kpi/table.ts';
import { upsertTpsAssignments } from '../../server/repositories/kpi.ts';
import { allTpsSizes, generateSubmissions, type SeedSubmission } from '../support/seed/generator.ts';
import { loadSeed, storedRegion } from '../support/seed/load-db.ts';
import { bearer, officer, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, type TestApp } from './helpers.ts';

const FORMS = latestForms(PUBLISHED_FORMS);
const SLA = new Map(FORMS.map((f) => [f.formId, f.sla]));
const REQUEST = new Set(FORMS.filter(isAnsweredService).map((f) => f.formId));

// 2025, so every event lies in the past of the machine's clock.
const FROM = '2025-01-01T00:00:00+07:00';
const END = '2025-12-31T17:00:00.000Z';
const MID = '2025-07-15T05:00:00.000Z';
const RECORDS = generateSubmissions({ count: 3000, seed: 7, from: FROM, days: 365 });
// As the server stores them: the region a submission concerns decides whose figures it is in.
const STORED = RECORDS.map((r) => ({ ...r, regionCode: storedRegion(r) }));

function unitOf(region: string): string {
  return region.length <= 2 ? region : region.slice(0, 5);
}

/** The expected rows: the records of the period, in scope, through core/kpi/table.ts. */
function expectedTable(scope: string, period: string, at: string, keyOf: (r: SeedSubmission) => string): KpiRow[] {
  const { from, to } = periodRange(period);
  const inWindow = STORED.filter((r) => covers(scope, r.regionCode) && r.receivedAt >= from && r.receivedAt < to);
  return kpiTable(inWindow, { keyOf, at, slaOf: (id) => SLA.get(id), isRequest: (id) => REQUEST.has(id) });
}

/** JSON as the API sends it: undefined fields dropped, labels aside. */
function plain<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}

function withoutLabels(rows: Record<string, unknown>[]): unknown {
  return rows.map(({ label: _label, ...rest }) => rest);
}

async function getJson<T>(t: TestApp, who: TestOfficer, url: string): Promise<T> {
  const res = await t.app.inject({ url, headers: bearer(who.token) });
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
  return res.json<T>();
}

interface Envelope {
  period: string;
  scope: string;
  at: string;
  rows: Record<string, unknown>[];
}

function parseCsv(text: string): string[][] {
  // The test's own small reader: fields here hold no quotes or line breaks except quoted labels.
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) => line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.slice(0, -1).map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '').replaceAll('""', '"')));
}

describeEachDialect(
  'KPI API on seeded data',
  (ctx) => {
    let admin: TestOfficer;
    let regency: TestOfficer;

    beforeAll(async () => {
      const t = ctx();
      await loadSeed(t.db, RECORDS, 500, t.app.dataKeys);
      await upsertTpsAssignments(t.db, allTpsSizes(), new Date().toISOString());
      admin = await officer(t, 'admin_provinsi', REGION.province);
      regency = await officer(t, 'operator', REGION.regency);
    }, 120_000);

    it('the seed spreads over units, services and both islands (the comparison means something)', () => {
      const units = new Set(STORED.map((r) => unitOf(r.regionCode)));
      expect(units.size).toBe(8);
      expect(STORED.filter((r) => REQUEST.has(r.formId)).length).toBeGreaterThan(500);
      expect(STORED.filter((r) => r.formId === 'skm').length).toBeGreaterThan(50);
    });

    for (const [label, at] of [
      ['at the end of the year', END],
      ['in mid-year (later events unseen)', MID],
    ] as const) {
      it(`by unit, service and month, ${label}: every figure equals the independent computation (province admin)`, async () => {
        const t = ctx();
        for (const [by, keyOf] of [
          ['unit', (r: SeedSubmission) => unitOf(r.regionCode)],
          ['service', (r: SeedSubmission) => r.formId],
          ['month', (r: SeedSubmission) => periodOf(r.receivedAt, 'month')],
        ] as const) {
          const body = await getJson<Envelope>(t, admin, `/api/v1/kpi/table?period=2025&by=${by}&at=${at}`);
          expect(body.scope).toBe('19');
          const expected = expectedTable('19', '2025', at, keyOf);
          expect(expected.length).toBeGreaterThan(3);
          expect(withoutLabels(body.rows)).toEqual(plain(expected));
        }
      });
    }

    it('a quarter and a month as periods', async () => {
      const t = ctx();
      for (const period of ['2025-Q2', '2025-11']) {
        const body = await getJson<Envelope>(t, admin, `/api/v1/kpi/table?period=${period}&by=service&at=${END}`);
        expect(withoutLabels(body.rows)).toEqual(plain(expectedTable('19', period, END, (r) => r.formId)));
      }
    });

    it('a regency operator sees only their regency, with the same figures the province sees for it', async () => {
      const t = ctx();
      const mine = await getJson<Envelope>(t, regency, `/api/v1/kpi/table?period=2025&by=unit&at=${END}`);
      expect(mine.scope).toBe(REGION.regency);
      expect(mine.rows.map((r) => r.key)).toEqual([REGION.regency]);
      const all = await getJson<Envelope>(t, admin, `/api/v1/kpi/table?period=2025&by=unit&at=${END}`);
      expect(mine.rows[0]).toEqual(all.rows.find((r) => r.key === REGION.regency));
      const byService = await getJson<Envelope>(t, regency, `/api/v1/kpi/table?period=2025&by=service&at=${END}`);
      expect(withoutLabels(byService.rows)).toEqual(plain(expectedTable(REGION.regency, '2025', END, (r) => r.formId)));

      const sync = await getJson<Envelope>(t, regency, `/api/v1/kpi/sync-delay?period=2025&by=district&at=${END}`);
      expect(sync.rows.length).toBeGreaterThan(0);
      for (const row of sync.rows) expect(covers(REGION.regency, row.key as string)).toBe(true);
      const coklit = await getJson<Envelope>(t, regency, `/api/v1/kpi/coklit?period=2025&by=district&at=${END}`);
      for (const row of coklit.rows) expect(covers(REGION.regency, row.key as string)).toBe(true);
      const ranking = await getJson<Envelope>(t, regency, `/api/v1/kpi/ranking?period=2025&at=${END}`);
      expect(ranking.rows.map((r) => r.unit)).toEqual([REGION.regency]);

      // Another regency, or the province, is out of reach; a region inside the scope narrows it.
      for (const region of [REGION.otherRegency, REGION.province]) {
        const res = await t.app.inject({ url: `/api/v1/kpi/table?period=2025&region=${region}`, headers: bearer(regency.token) });
        expect(res.statusCode).toBe(403);
      }
      const narrowed = await getJson<Envelope>(t, admin, `/api/v1/kpi/table?period=2025&by=unit&region=${REGION.regency}&at=${END}`);
      expect(narrowed.rows).toEqual(mine.rows);
    });

    it('gives each of the eight units its own IKM: SKM v2 answers where they rate, v1 answers at the province', async () => {
      const t = ctx();
      const { from, to } = periodRange('2025');
      const skm = STORED.filter((r) => r.formId === 'skm' && r.receivedAt >= from && r.receivedAt < to && r.receivedAt <= END);
      // The seed holds both versions: v1 names no office and lands on the province, v2 rates every office.
      expect(new Set(skm.filter((r) => r.formVersion === 1).map((r) => r.regionCode))).toEqual(new Set([REGION.province]));
      expect(new Set(skm.filter((r) => r.formVersion === 2).map((r) => r.regionCode)).size).toBe(8);
      const ikmOf = (unit: string) => computeIkm(skm.filter((r) => unitOf(r.regionCode) === unit).map((r) => r.data));

      const body = await getJson<Envelope>(t, admin, `/api/v1/kpi/table?period=2025&by=unit&at=${END}`);
      expect(body.rows.map((r) => r.key)).toEqual(['19', '19.01', '19.02', '19.03', '19.04', '19.05', '19.06', '19.71']);
      for (const row of body.rows) {
        const expected = ikmOf(row.key as string);
        expect(expected.respondents, row.key as string).toBeGreaterThan(5);
        expect(row.ikm).toEqual(plain(expected));
      }
      // The regencies' own indices differ (their answers were scored differently).
      expect(new Set(body.rows.filter((r) => r.key !== '19').map((r) => (r.ikm as { ikm: number }).ikm)).size).toBeGreaterThan(3);

      // A regency operator gets their regency's IKM, by unit and on the SKM's row by service.
      const mine = await getJson<Envelope>(t, regency, `/api/v1/kpi/table?period=2025&by=unit&at=${END}`);
      expect(mine.rows[0]?.ikm).toEqual(plain(ikmOf(REGION.regency)));
      const services = await getJson<Envelope>(t, regency, `/api/v1/kpi/table?period=2025&by=service&at=${END}`);
      expect(services.rows.find((r) => r.key === 'skm')?.ikm).toEqual(plain(ikmOf(REGION.regency)));
    });

    it('sync delay by district and by island equals the independent computation', async () => {
      const t = ctx();
      const { from, to } = periodRange('2025');
      const records = STORED.filter((r) => r.receivedAt >= from && r.receivedAt < to && r.receivedAt <= END);
      const byDistrict = await getJson<Envelope>(t, admin, `/api/v1/kpi/sync-delay?period=2025&by=district&at=${END}`);
      expect(withoutLabels(byDistrict.rows)).toEqual(plain(syncDelayByDistrict(records)));
      const byIsland = await getJson<Envelope>(t, admin, `/api/v1/kpi/sync-delay?period=2025&by=island&at=${END}`);
      const islands = syncDelayByIsland(records);
      expect(islands.length).toBeGreaterThan(2);
      expect(withoutLabels(byIsland.rows)).toEqual(plain(islands));
      // Small islands wait longer than the main island of Bangka.
      const median = (key: string) => byIsland.rows.find((r) => r.key === key)?.median as number;
      expect(median('19.03.40037')).toBeGreaterThan(median('19.00.40001'));
    });

    it('coklit coverage by regency, district and TPS equals coklitCoverage over the assignments', async () => {
      const t = ctx();
      const perTps = coklitCoverage(
        allTpsSizes().map((s) => ({ villageCode: s.villageCode, tps: s.tps, voters: s.voters })),
        STORED.filter((r) => r.formId === 'coklit-pilkada' && r.receivedAt <= END).map((r) => ({ id: r.id, data: r.data })),
      );
      const totals = (keyOf: (t: TpsCoverage) => string) => {
        const groups = new Map<string, TpsCoverage[]>();
        for (const row of perTps) groups.set(keyOf(row), [...(groups.get(keyOf(row)) ?? []), row]);
        return [...groups.keys()].sort().map((key) => ({ key, ...coverageTotals(groups.get(key)!) }));
      };
      const byRegency = await getJson<Envelope>(t, admin, `/api/v1/kpi/coklit?period=2025&at=${END}`);
      expect(withoutLabels(byRegency.rows)).toEqual(plain(totals((r) => r.villageCode.slice(0, 5))));
      expect(byRegency.rows.length).toBe(7);
      const byDistrict = await getJson<Envelope>(t, admin, `/api/v1/kpi/coklit?period=2025&by=district&at=${END}`);
      expect(withoutLabels(byDistrict.rows)).toEqual(plain(totals((r) => r.villageCode.slice(0, 8))));
      const byTps = await getJson<Envelope>(t, regency, `/api/v1/kpi/coklit?period=2025&by=tps&at=${END}`);
      expect(withoutLabels(byTps.rows)).toEqual(
        plain(totals((r) => `${r.villageCode}/${r.tps}`).filter((r) => r.key.startsWith(`${REGION.regency}.`))),
      );
    });

    it('the ranking of units equals rankUnits over the expected unit rows', async () => {
      const t = ctx();
      const units = expectedTable('19', '2025', END, (r) => unitOf(r.regionCode));
      const expected = rankUnits(
        units.map((u) => ({
          unit: u.key,
          slaOnTimePct: u.requests.slaOnTimePct,
          medianFirstResponseMs: u.requests.firstResponse.median,
          ikm: u.ikm.ikm,
        })),
      );
      const body = await getJson<Envelope>(t, admin, `/api/v1/kpi/ranking?period=2025&at=${END}`);
      expect(body.rows.map((r) => [r.unit, r.position, r.composite, r.ranks])).toEqual(
        plain(expected.map((r) => [r.unit, r.position, r.composite, r.ranks])),
      );
      expect(body.rows.filter((r) => r.position !== undefined).length).toBeGreaterThan(1);
    });

    it('every table comes as CSV with the same rows', async () => {
      const t = ctx();
      const json = await getJson<Envelope>(t, admin, `/api/v1/kpi/table?period=2025&by=unit&at=${END}`);
      const res = await t.app.inject({ url: `/api/v1/kpi/table?period=2025&by=unit&at=${END}&format=csv`, headers: bearer(admin.token) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toContain('kpi-unit-2025.csv');
      const [header, ...rows] = parseCsv(res.body);
      expect(header?.slice(0, 5)).toEqual(['key', 'label', 'received', 'open', 'overdue']);
      expect(rows.map((r) => r[0])).toEqual(json.rows.map((r) => r.key));
      expect(rows.map((r) => r[1])).toEqual(json.rows.map((r) => r.label));
      const col = (name: string) => header!.indexOf(name);
      for (const [i, row] of rows.entries()) {
        const j = json.rows[i] as { requests: { received: number; overdue: number; firstResponse: { median?: number } }; ikm: { ikm?: number } };
        expect(Number(row[col('received')])).toBe(j.requests.received);
        expect(Number(row[col('overdue')])).toBe(j.requests.overdue);
        const median = j.requests.firstResponse.median;
        expect(row[col('first_response_median_h')]).toBe(median === undefined ? '' : String(Math.round((median / 3_600_000) * 100) / 100));
        expect(row[col('ikm')]).toBe(j.ikm.ikm === undefined ? '' : String(j.ikm.ikm));
      }
      for (const [path, by] of [['sync-delay', 'by=island&'], ['coklit', 'by=district&'], ['ranking', '']] as const) {
        const url = `/api/v1/kpi/${path}?${by}period=2025&at=${END}`;
        const csv = await t.app.inject({ url: `${url}&format=csv`, headers: bearer(admin.token) });
        expect(csv.statusCode).toBe(200);
        expect(parseCsv(csv.body).length - 1).toBe((await getJson<Envelope>(t, admin, url)).rows.length);
      }
    });

    it('refuses without a token, for roles without the inbox, and bad periods or instants with 400', async () => {
      const t = ctx();
      expect((await t.app.inject({ url: '/api/v1/kpi/table' })).statusCode).toBe(401);
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      expect((await t.app.inject({ url: '/api/v1/kpi/table', headers: bearer(pantarlih.token) })).statusCode).toBe(403);
      const observer = await officer(t, 'pengamat', REGION.province);
      expect((await t.app.inject({ url: '/api/v1/kpi/ranking?period=2025', headers: bearer(observer.token) })).statusCode).toBe(200);
      for (const query of ['period=2025-13', 'period=2025-Q5', 'period=25', 'by=kecamatan', 'at=2025-02-30T25:00:00Z', 'region=20', 'format=xlsx']) {
        const res = await t.app.inject({ url: `/api/v1/kpi/table?${query}`, headers: bearer(admin.token) });
        expect(res.statusCode, query).toBe(400);
      }
    });

    it('is described in the OpenAPI document', async () => {
      const t = ctx();
      const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<{ paths: Record<string, unknown> }>();
      for (const path of ['/api/v1/kpi/table', '/api/v1/kpi/sync-delay', '/api/v1/kpi/coklit', '/api/v1/kpi/ranking']) {
        expect(doc.paths[path], path).toBeDefined();
      }
    });
  },
  { auth: TEST_AUTH },
);
