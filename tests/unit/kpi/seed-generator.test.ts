// The seeded-data generator: the same seed gives the same records, every record has the promised
// shape and valid form data, and the spread is the realistic one the KPI tests rely on (all
// regencies and the small islands, histories within and beyond the SLA, slower sync on islands).
import { describe, expect, it } from 'vitest';
import { PUBLISHED_FORMS, findForm } from '../../../core/forms/catalog/index.ts';
import { fullContext } from '../../../core/forms/full-context.ts';
import { validateForm } from '../../../core/forms/validate.ts';
import { computeIkm } from '../../../core/kpi/ikm.ts';
import { ISLAND_BANGKA, ISLAND_BELITUNG, islandOfVillage } from '../../../core/kpi/island-of-village.ts';
import { median } from '../../../core/kpi/percentiles.ts';
import { requestKpis, slaOutcome, type SlaOf } from '../../../core/kpi/requests.ts';
import { syncDelayMs } from '../../../core/kpi/sync-delay.ts';
import { isUlid, ulidTime } from '../../../core/ids.ts';
import { SERVER_STATUSES } from '../../../core/protocol.ts';
import { REGION_CATALOG } from '../../../core/regions/catalog.generated.ts';
import { allTpsSizes, generateSubmissions, tpsOfVillage } from '../../support/seed/generator.ts';
import { storedRegion } from '../../support/seed/load-db.ts';

const END = '2026-12-31T17:00:00.000Z'; // 1 Jan 2027 00:00 WIB: the default period's end
const slaOf: SlaOf = (formId) => PUBLISHED_FORMS.find((f) => f.formId === formId)?.sla;
const villages = new Set(REGION_CATALOG.villages.map((v) => v.code));

describe('seed generator', () => {
  it('is deterministic: same seed, same records; another seed, other records', () => {
    const a = generateSubmissions({ count: 500, seed: 42 });
    const b = generateSubmissions({ count: 500, seed: 42 });
    const c = generateSubmissions({ count: 500, seed: 43 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect(generateSubmissions({ count: 0 })).toEqual([]);
  });

  it('emits the promised shape with valid form data and ordered histories', () => {
    const records = generateSubmissions({ count: 1500, seed: 3 });
    const context = fullContext(Date.parse(END));
    const ids = new Set<string>();
    for (const r of records) {
      expect(Object.keys(r).sort()).toEqual(['createdAt', 'data', 'extended', 'formId', 'formVersion', 'id', 'receivedAt', 'regionCode', 'statusHistory']);
      expect(isUlid(r.id)).toBe(true);
      expect(ulidTime(r.id)).toBe(Date.parse(r.createdAt));
      ids.add(r.id);
      expect(villages.has(r.regionCode)).toBe(true);
      expect(r.createdAt >= '2025-12-31T17:00:00.000Z' && r.createdAt <= r.receivedAt && r.receivedAt <= END).toBe(true);
      const form = findForm(PUBLISHED_FORMS, r.formId, r.formVersion);
      expect(form).toBeDefined();
      expect(validateForm(form!, r.data, context).errors).toEqual([]);
      // diterima at receipt, then at most diproses and one final status, in time order, none after the end.
      expect(r.statusHistory[0]).toEqual({ status: 'diterima', at: r.receivedAt });
      const statuses = r.statusHistory.map((e) => e.status);
      expect(['diterima', 'diterima,diproses', 'diterima,selesai', 'diterima,ditolak', 'diterima,diproses,selesai', 'diterima,diproses,ditolak']).toContain(statuses.join());
      for (const e of r.statusHistory) expect(SERVER_STATUSES).toContain(e.status);
      const times = r.statusHistory.map((e) => e.at);
      expect([...times].sort()).toEqual(times);
      expect(times.every((t) => t <= END)).toBe(true);
      if (r.extended) expect(r.formId).toBe('ppid-permohonan');
    }
    expect(ids.size).toBe(records.length);
  });

  it('a year of province-wide data (100,000) has the realistic spread', () => {
    const records = generateSubmissions({ count: 100_000, seed: 2026 });
    expect(records).toHaveLength(100_000);

    // All regencies, all forms, and the small islands.
    expect(new Set(records.map((r) => r.regionCode.slice(0, 5))).size).toBe(7);
    expect(new Set(records.map((r) => r.formId)).size).toBe(new Set(PUBLISHED_FORMS.map((f) => f.formId)).size);
    const onSmallIsland = (r: (typeof records)[number]) => ![ISLAND_BANGKA, ISLAND_BELITUNG].includes(islandOfVillage(r.regionCode));
    const islanders = records.filter(onSmallIsland);
    expect(new Set(islanders.map((r) => islandOfVillage(r.regionCode))).size).toBeGreaterThanOrEqual(8);

    // Sync is slower on small islands: their median delay is many times the main islands'.
    const mainDelay = median(records.filter((r) => !onSmallIsland(r)).map(syncDelayMs))!;
    const islandDelay = median(islanders.map(syncDelayMs))!;
    expect(islandDelay).toBeGreaterThan(10 * mainDelay);

    // Requests with an SLA: most on time, some late, some still open at the end, some extended.
    const outcomes = new Map<string, number>();
    for (const r of records) {
      const o = slaOutcome(r, END, slaOf);
      outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
    }
    const onTime = outcomes.get('on_time') ?? 0;
    const late = outcomes.get('late') ?? 0;
    expect(onTime).toBeGreaterThan(3 * late);
    expect(late).toBeGreaterThan(0);
    expect((outcomes.get('overdue_open') ?? 0) + (outcomes.get('pending') ?? 0)).toBeGreaterThan(0);
    expect(records.some((r) => r.extended)).toBe(true);
    const kpis = requestKpis(records, END, slaOf);
    expect(kpis.received).toBe(100_000);
    expect(kpis.firstResponse.count).toBeGreaterThan(0);

    // SKM answers differ by regency: Pangkalpinang's IKM is above Bangka Selatan's.
    const skm = (regency: string) => computeIkm(records.filter((r) => r.formId === 'skm' && r.regionCode.startsWith(regency)).map((r) => r.data));
    expect(skm('19.71').ikm!).toBeGreaterThan(skm('19.03').ikm!);
  }, 60_000);

  it('SKM answers are mostly on version 2, rating each of the eight offices; some stay on version 1 (the province)', () => {
    const skm = generateSubmissions({ count: 4000, seed: 5 }).filter((r) => r.formId === 'skm');
    const v1 = skm.filter((r) => r.formVersion === 1);
    const v2 = skm.filter((r) => r.formVersion === 2);
    expect(v1.length + v2.length).toBe(skm.length);
    expect(v1.length).toBeGreaterThan(0.1 * skm.length);
    expect(v2.length).toBeGreaterThan(2 * v1.length);
    for (const r of v1) expect(r.data.kantorDinilai).toBeUndefined();
    expect(new Set(v1.map(storedRegion))).toEqual(new Set(['19']));
    expect(new Set(v2.map(storedRegion))).toEqual(new Set(['19', '19.01', '19.02', '19.03', '19.04', '19.05', '19.06', '19.71']));
    // A regency office is rated by residents of that regency.
    for (const r of v2) if (r.data.kantorDinilai !== '19') expect(r.regionCode.startsWith(`${String(r.data.kantorDinilai)}.`)).toBe(true);
  });

  it('coklit records name polling stations of their village, some voters twice', () => {
    const records = generateSubmissions({ count: 3000, seed: 9 }).filter((r) => r.formId === 'coklit-pilkada');
    for (const r of records) {
      expect(r.data.desa).toBe(r.regionCode);
      expect(tpsOfVillage(r.regionCode).map((t) => t.tps)).toContain(r.data.tps);
    }
    const niks = records.map((r) => r.data.nik);
    expect(new Set(niks).size).toBeLessThan(niks.length);
    expect(tpsOfVillage('19.03.02.2001')).toEqual(tpsOfVillage('19.03.02.2001'));
    expect(allTpsSizes().length).toBeGreaterThan(REGION_CATALOG.villages.length * 2 - 1);
  });
});
