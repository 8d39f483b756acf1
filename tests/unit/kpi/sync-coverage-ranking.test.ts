// Sync delay by district and island, coklit coverage per TPS, and the ranking of units: each
// against a small hand-computed case.
import { describe, expect, it } from 'vitest';
import { coklitCoverage, coverageTotals, type CoklitRecord } from '../../../core/kpi/coklit-coverage.ts';
import { ISLAND_BANGKA, ISLAND_BELITUNG, SMALL_ISLAND_VILLAGES, islandOfVillage } from '../../../core/kpi/island-of-village.ts';
import { rankUnits } from '../../../core/kpi/ranking.ts';
import { districtOf, syncDelayByDistrict, syncDelayByIsland, syncDelayMs } from '../../../core/kpi/sync-delay.ts';
import { REGION_CATALOG } from '../../../core/regions/catalog.generated.ts';

const H = 3_600_000;
const LEPAR = '19.03.02.2001'; // Tanjung Labu, Pulau Lepar
const TOBOALI = '19.03.01.1003'; // Tanjung Ketapang, Toboali, on Bangka
const PANGKALPINANG = REGION_CATALOG.villages.find((v) => v.code.startsWith('19.71.'))!.code;
const SELAT_NASIK = '19.02.03.2001';

function sync(regionCode: string, hours: number) {
  return { regionCode, createdAt: '2026-10-01T00:00:00Z', receivedAt: new Date(Date.parse('2026-10-01T00:00:00Z') + hours * H).toISOString() };
}

describe('island of a village', () => {
  it('every village listed is a real village and every island a populated island of the catalogue', () => {
    const villages = new Set(REGION_CATALOG.villages.map((v) => v.code));
    const islands = new Set(REGION_CATALOG.islands.map((i) => i.code));
    for (const [village, island] of Object.entries(SMALL_ISLAND_VILLAGES)) {
      expect(villages.has(village), village).toBe(true);
      expect(islands.has(island), island).toBe(true);
      // The island belongs to the village's regency.
      expect(island.slice(0, 5)).toBe(village.slice(0, 5));
    }
    expect(islands.has(ISLAND_BANGKA) && islands.has(ISLAND_BELITUNG)).toBe(true);
  });

  it('falls back to the main island of the regency', () => {
    expect(islandOfVillage(LEPAR)).toBe('19.03.40037');
    expect(islandOfVillage(TOBOALI)).toBe(ISLAND_BANGKA);
    expect(islandOfVillage(PANGKALPINANG)).toBe(ISLAND_BANGKA);
    expect(islandOfVillage('19.06.02.2001')).toBe(ISLAND_BELITUNG);
    expect(islandOfVillage(SELAT_NASIK)).toBe('19.02.40114');
  });
});

describe('sync delay', () => {
  it('is receivedAt − createdAt, never negative', () => {
    expect(syncDelayMs(sync(LEPAR, 30))).toBe(30 * H);
    expect(syncDelayMs({ regionCode: LEPAR, createdAt: '2026-10-01T01:00:00Z', receivedAt: '2026-10-01T00:00:00Z' })).toBe(0);
  });

  it('by district and by island', () => {
    const records = [sync(LEPAR, 30), sync(LEPAR, 2), sync(LEPAR, 50), sync('19.03.02.2004', 10), sync(TOBOALI, 1), sync(PANGKALPINANG, 0.5)];
    expect(districtOf(LEPAR)).toBe('19.03.02');
    const byDistrict = syncDelayByDistrict(records);
    expect(byDistrict.map((g) => g.key)).toEqual(['19.03.01', '19.03.02', PANGKALPINANG.slice(0, 8)]);
    // Lepar: 2, 10, 30, 50 h → median 20 h, p90 rank 4 = 50 h.
    expect(byDistrict[1]).toEqual({ key: '19.03.02', count: 4, median: 20 * H, p90: 50 * H, max: 50 * H });
    const byIsland = syncDelayByIsland(records);
    expect(byIsland).toEqual([
      { key: ISLAND_BANGKA, count: 2, median: 0.75 * H, p90: 1 * H, max: 1 * H },
      { key: '19.03.40037', count: 4, median: 20 * H, p90: 50 * H, max: 50 * H },
    ]);
  });
});

describe('coklit coverage', () => {
  const coklit = (id: string, tps: string, hasil: string, nik?: string): CoklitRecord => ({
    id,
    data: { desa: LEPAR, tps, hasil, ...(nik ? { nik } : {}) },
  });

  it('visited, new and remaining per TPS', () => {
    const rows = coklitCoverage(
      [
        { villageCode: LEPAR, tps: '001', voters: 4 },
        { villageCode: LEPAR, tps: '002', voters: 2 },
        { villageCode: LEPAR, tps: '003', voters: 0 },
      ],
      [
        coklit('a', '001', 'sesuai', '1903020101900001'),
        coklit('b', '001', 'ubah', '1903020101900002'),
        coklit('c', '001', 'sesuai', '1903020101900001'), // the same voter again
        coklit('d', '001', 'tms', '1903020101900003'),
        coklit('e', '001', 'baru', '1903020101900004'),
        coklit('f', '002', 'sesuai'),
        coklit('g', '002', 'sesuai'),
        coklit('h', '002', 'sesuai'), // more than assigned
        coklit('i', '009', 'sesuai', '1903020101900009'), // a TPS with no assignment
        { id: 'j', data: { desa: LEPAR, tps: '001' } }, // no outcome: not counted
      ],
    );
    expect(rows).toEqual([
      { villageCode: LEPAR, tps: '001', assigned: 4, visited: 3, newVoters: 1, remaining: 1, coveragePct: 75 },
      { villageCode: LEPAR, tps: '002', assigned: 2, visited: 3, newVoters: 0, remaining: 0, coveragePct: 100 },
      { villageCode: LEPAR, tps: '003', assigned: 0, visited: 0, newVoters: 0, remaining: 0, coveragePct: undefined },
      { villageCode: LEPAR, tps: '009', assigned: 0, visited: 1, newVoters: 0, remaining: 0, coveragePct: undefined },
    ]);
    // Covered 3 + 2 of 6 assigned.
    expect(coverageTotals(rows)).toEqual({ tps: 4, assigned: 6, visited: 7, newVoters: 1, remaining: 1, coveragePct: (5 / 6) * 100 });
  });
});

describe('ranking of units', () => {
  it('ranks each KPI with shared ranks, then by the mean rank', () => {
    const ranked = rankUnits([
      { unit: '19.01', slaOnTimePct: 90, medianFirstResponseMs: 5 * H, ikm: 80 },
      { unit: '19.02', slaOnTimePct: 95, medianFirstResponseMs: 2 * H, ikm: 85 },
      { unit: '19.03', slaOnTimePct: 90, medianFirstResponseMs: 8 * H, ikm: 90 },
      { unit: '19.04', slaOnTimePct: 70, medianFirstResponseMs: 1 * H },
      { unit: '19.05' },
    ]);
    // SLA: 19.02 → 1, 19.01 and 19.03 → 2, 19.04 → 4. Response: 19.04 1, 19.02 2, 19.01 3,
    // 19.03 4. IKM: 19.03 1, 19.02 2, 19.01 3. Means: 19.02 5/3, 19.04 2.5, 19.03 7/3, 19.01 8/3.
    expect(ranked.map((r) => [r.unit, r.position])).toEqual([
      ['19.02', 1],
      ['19.03', 2],
      ['19.04', 3],
      ['19.01', 4],
      ['19.05', undefined],
    ]);
    expect(ranked[0]).toEqual({ unit: '19.02', ranks: { slaOnTimePct: 1, medianFirstResponseMs: 2, ikm: 2 }, composite: 5 / 3, position: 1 });
    expect(ranked[2]?.ranks).toEqual({ slaOnTimePct: 4, medianFirstResponseMs: 1 });
  });

  it('equal composites share a position, ordered by unit code', () => {
    const ranked = rankUnits([
      { unit: '19.71', ikm: 80 },
      { unit: '19.06', ikm: 80 },
      { unit: '19.01', ikm: 70 },
    ]);
    expect(ranked.map((r) => [r.unit, r.position])).toEqual([
      ['19.06', 1],
      ['19.71', 1],
      ['19.01', 3],
    ]);
  });
});
