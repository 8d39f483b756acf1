// The recap screen's drill-down (core/voters/recap.ts scopeLevel, drillLevel, parentScope): from
// the province, following a row goes one level down at a time and reaches every TPS in four steps;
// every row of a region's recap lies in that region and leads back up to it; the rows of a region
// sum to the region's total. The routes of both new screens survive a round trip through the hash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { href, parseRoute, type Route } from '../../../src/app/router.ts';
import { drillLevel, emptyCounts, keyAt, parentScope, rollUp, scopeLevel, type RecapRow } from '../../../core/voters/recap.ts';

const code = (n: number, width: number) => String(n).padStart(width, '0');
const tpsRow = fc
  .record({
    regency: fc.integer({ min: 1, max: 6 }),
    district: fc.integer({ min: 1, max: 4 }),
    village: fc.integer({ min: 1001, max: 1004 }),
    tps: fc.integer({ min: 1, max: 5 }),
    listed: fc.nat(600),
    tms: fc.nat(20),
  })
  .map((r) => ({ ...emptyCounts(), village: `19.${code(r.regency, 2)}.${code(r.district, 2)}.${r.village}`, tps: code(r.tps, 3), listed: r.listed, tms: r.tms, tmsByCode: { '2': r.tms } }));

function inScope(scope: string, t: { village: string; tps: string }): boolean {
  return t.village === scope || t.village.startsWith(`${scope}.`);
}

describe('recap drill-down', () => {
  it('names the level of a region and the level of its rows', () => {
    expect(['19', '19.01', '19.01.02', '19.01.02.1001'].map((s) => [scopeLevel(s), drillLevel(s)])).toEqual([
      ['province', 'regency'],
      ['regency', 'district'],
      ['district', 'village'],
      ['village', 'tps'],
    ]);
    for (const bad of ['', '20', '19.1', '19.01.01.1001/003', '19.01.01.1001.1']) expect(drillLevel(bad), bad).toBeUndefined();
  });

  it('every row lies in its region and leads back to it; four steps reach each TPS; the rows sum to the total', () => {
    fc.assert(
      fc.property(fc.array(tpsRow, { minLength: 1, maxLength: 40 }), fc.nat(), (perTps, pick) => {
        const target = perTps[pick % perTps.length]!;
        let scope = '19';
        for (let step = 0; step < 4; step++) {
          const level = drillLevel(scope)!;
          const rows: RecapRow[] = rollUp(perTps.filter((t) => inScope(scope, t)), level);
          for (const row of rows) expect(parentScope(row.key)).toBe(scope);
          const sum = rows.reduce((n, r) => n + r.listed, 0);
          expect(sum).toBe(perTps.filter((t) => inScope(scope, t)).reduce((n, t) => n + t.listed, 0));
          // Follow the row holding the target TPS.
          const next = keyAt(target.village, target.tps, level);
          expect(rows.map((r) => r.key)).toContain(next);
          if (level === 'tps') expect(step).toBe(3);
          scope = next;
        }
        expect(scope).toBe(`${target.village}/${target.tps}`);
        expect(parentScope(parentScope(parentScope(parentScope(scope)!)!)!)).toBe('19');
        expect(parentScope('19')).toBeUndefined();
      }),
    );
  });

  it('routes the Pemilih ganda and Rekap coklit screens, a region in the address', () => {
    fc.assert(
      fc.property(fc.constantFrom('19', '19.01', '19.01.02', '19.01.02.1001'), (scope) => {
        for (const route of [{ name: 'duplicates' }, { name: 'voterRecap' }, { name: 'voterRecap', scope }] as Route[]) expect(parseRoute(href(route))).toEqual(route);
      }),
    );
    expect(parseRoute('#/petugas/rekap/19.01')).toEqual({ name: 'voterRecap', scope: '19.01' });
    expect(parseRoute('#/petugas/ganda')).toEqual({ name: 'duplicates' });
  });
});
