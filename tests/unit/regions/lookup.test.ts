// Lookups over the generated catalogue, the way the pickers and the server use them.
import { describe, expect, it } from 'vitest';
import { REGION_CATALOG as catalog } from '../../../core/regions/catalog.generated.ts';
import { districtsOf, findRegion, islandsOf, levelOf, regionPath, villagesOf } from '../../../core/regions/lookup.ts';

describe('levelOf', () => {
  it.each([
    ['19.01', 'regency'],
    ['19.01.01', 'district'],
    ['19.01.01.2001', 'village'],
    ['19', undefined],
    ['1901', undefined],
    ['19.01.01.201', undefined],
    ['19.00.40001', undefined],
  ] as const)('%s is %s', (code, level) => {
    expect(levelOf(code)).toBe(level);
  });
});

describe('districtsOf', () => {
  it.each([
    ['19.01', 8],
    ['19.02', 5],
    ['19.03', 8],
    ['19.04', 6],
    ['19.05', 6],
    ['19.06', 7],
    ['19.71', 7],
    ['19.99', 0],
  ] as const)('%s has %i districts', (regency, count) => {
    const districts = districtsOf(catalog, regency);
    expect(districts).toHaveLength(count);
    for (const d of districts) expect(d.parent).toBe(regency);
  });

  it('lists Belitung’s districts in code order', () => {
    expect(districtsOf(catalog, '19.02').map((d) => d.name)).toEqual([
      'Tanjungpandan',
      'Membalong',
      'Selat Nasik',
      'Sijuk',
      'Badau',
    ]);
  });
});

describe('villagesOf', () => {
  it('lists the villages of an island district', () => {
    expect(villagesOf(catalog, '19.03.08')).toEqual([
      { code: '19.03.08.2001', name: 'Pongok', parent: '19.03.08' },
      { code: '19.03.08.2002', name: 'Celagen', parent: '19.03.08' },
    ]);
    expect(villagesOf(catalog, '19.02.03').map((v) => v.name)).toEqual(['Selat Nasik', 'Petaling', 'Suak Gual', 'Pulau Gersik']);
  });

  it('is empty for an unknown district', () => {
    expect(villagesOf(catalog, '19.03.99')).toEqual([]);
  });
});

describe('islandsOf', () => {
  it('gives all populated islands without a regency', () => {
    expect(islandsOf(catalog)).toHaveLength(43);
    expect(islandsOf(catalog)).not.toBe(catalog.islands);
  });

  it.each([
    ['19.01', 1],
    ['19.02', 15],
    ['19.03', 8],
    ['19.04', 5],
    ['19.05', 0],
    ['19.06', 12],
    ['19.71', 0],
    ['19', 2],
  ] as const)('%s has %i populated islands', (regency, count) => {
    expect(islandsOf(catalog, regency)).toHaveLength(count);
  });

  it('finds Bangka Selatan’s islands by name', () => {
    expect(islandsOf(catalog, '19.03').map((i) => i.name)).toEqual(
      expect.arrayContaining(['Pulau Lepar', 'Pulau Pongok', 'Pulau Celagen', 'Pulau Besar']),
    );
  });
});

describe('findRegion', () => {
  it.each([
    ['19.71', 'regency', 'Kota Pangkal Pinang'],
    ['19.03.02', 'district', 'Lepar'],
    ['19.03.08.2002', 'village', 'Celagen'],
  ] as const)('finds %s as a %s', (code, level, name) => {
    expect(findRegion(catalog, code)).toEqual({ level, region: expect.objectContaining({ code, name }) });
  });

  it.each(['19', '19.99', '19.03.99', '19.03.08.2999', 'lepar', ''])('does not find %j', (code) => {
    expect(findRegion(catalog, code)).toBeUndefined();
  });
});

describe('regionPath', () => {
  it('walks a village up to its regency', () => {
    expect(regionPath(catalog, '19.02.03.2004')).toEqual({
      regency: { code: '19.02', name: 'Kabupaten Belitung' },
      district: { code: '19.02.03', name: 'Selat Nasik', parent: '19.02' },
      village: { code: '19.02.03.2004', name: 'Pulau Gersik', parent: '19.02.03' },
    });
  });

  it('resolves every village in the province', () => {
    for (const v of catalog.villages) {
      const path = regionPath(catalog, v.code);
      expect(path?.district.code, v.code).toBe(v.parent);
      expect(path?.regency.code, v.code).toBe(v.code.slice(0, 5));
    }
  });

  it.each(['19.03.08', '19.03', '19.03.08.2999'])('is undefined for %s, which is not a known village', (code) => {
    expect(regionPath(catalog, code)).toBeUndefined();
  });

  it('is undefined when a link is missing from a catalogue', () => {
    const broken = { ...catalog, districts: catalog.districts.filter((d) => d.code !== '19.03.08') };
    expect(regionPath(broken, '19.03.08.2001')).toBeUndefined();
  });
});
