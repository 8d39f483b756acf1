// The generated catalogue itself (what ships in the app): province 19's counts, its tree, the
// island districts and islands the service is built for, and that it is fresh and small.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../core/regions/build-catalog.ts';
import { REGION_ATTRIBUTION } from '../../../core/regions/attribution.ts';
import { REGION_CATALOG as catalog } from '../../../core/regions/catalog.generated.ts';
import { REGENCIES } from '../../../core/regions.ts';
import { PROVINCE, readPackageSources, renderModule } from '../../../scripts/generate-regions.ts';

describe('province 19 catalogue', () => {
  it('names its source and licence', () => {
    expect(catalog.source).toMatch(/^idn-area-data \d+\.\d+\.\d+$/);
    expect(catalog.licence).toBe('ODbL-1.0');
  });

  it('has the seven regencies and the city', () => {
    expect(catalog.regencies).toEqual([
      { code: '19.01', name: 'Kabupaten Bangka' },
      { code: '19.02', name: 'Kabupaten Belitung' },
      { code: '19.03', name: 'Kabupaten Bangka Selatan' },
      { code: '19.04', name: 'Kabupaten Bangka Tengah' },
      { code: '19.05', name: 'Kabupaten Bangka Barat' },
      { code: '19.06', name: 'Kabupaten Belitung Timur' },
      { code: '19.71', name: 'Kota Pangkal Pinang' },
    ]);
  });

  it('agrees with the hand-written REGENCIES that the forms use', () => {
    expect(catalog.regencies).toEqual(REGENCIES.map(({ code, name }) => ({ code, name })));
  });

  it('has 47 districts, 393 villages and 43 populated islands', () => {
    expect(catalog.districts).toHaveLength(47);
    expect(catalog.villages).toHaveLength(393);
    expect(catalog.islands).toHaveLength(43);
  });

  it('hangs every district under a regency and every village under a district', () => {
    const regencies = new Set(catalog.regencies.map((r) => r.code));
    const districts = new Set(catalog.districts.map((d) => d.code));
    for (const d of catalog.districts) expect(regencies.has(d.parent ?? ''), d.code).toBe(true);
    for (const v of catalog.villages) expect(districts.has(v.parent ?? ''), v.code).toBe(true);
    // Every regency has districts and every district has villages: no empty pickers.
    for (const r of regencies) expect(catalog.districts.some((d) => d.parent === r), r).toBe(true);
    for (const d of districts) expect(catalog.villages.some((v) => v.parent === d), d).toBe(true);
  });

  it('keeps every list sorted by code, without duplicates', () => {
    for (const list of [catalog.regencies, catalog.districts, catalog.villages, catalog.islands]) {
      const codes = list.map((r) => r.code);
      expect(codes).toEqual([...new Set(codes)].sort());
    }
  });

  it('shows names in display case', () => {
    const all = [...catalog.regencies, ...catalog.districts, ...catalog.villages, ...catalog.islands];
    for (const { code, name } of all) {
      expect(name, code).toMatch(/^\p{Lu}/u);
      expect(name, code).not.toMatch(/^[^\p{Ll}]+$/u);
    }
  });

  it.each([
    { code: '19.03.02', name: 'Lepar', regency: '19.03' },
    { code: '19.03.07', name: 'Pulau Besar', regency: '19.03' },
    { code: '19.03.08', name: 'Kepulauan Pongok', regency: '19.03' },
    { code: '19.02.03', name: 'Selat Nasik', regency: '19.02' },
  ])('has the island district $name under $regency', ({ code, name, regency }) => {
    expect(catalog.districts).toContainEqual({ code, name, parent: regency });
  });

  it.each([
    // The source prefixes island names with "Pulau". Mendanau and Seliuk lie in Selat Nasik's
    // waters (Belitung), Nepi off Belitung Timur, Lepar, Pongok and Celagen in Bangka Selatan.
    { name: 'Pulau Lepar', regencyCode: '19.03' },
    { name: 'Pulau Pongok', regencyCode: '19.03' },
    { name: 'Pulau Celagen', regencyCode: '19.03' },
    { name: 'Pulau Mendanau', regencyCode: '19.02' },
    { name: 'Pulau Seliuk', regencyCode: '19.02' },
    { name: 'Pulau Nepi', regencyCode: '19.06' },
    // The two main islands span several regencies; the source gives them no regency.
    { name: 'Pulau Bangka', regencyCode: '19' },
    { name: 'Pulau Belitung', regencyCode: '19' },
  ])('has $name among the populated islands ($regencyCode)', ({ name, regencyCode }) => {
    const island = catalog.islands.find((i) => i.name === name);
    expect(island).toMatchObject({ regencyCode });
  });

  it('places every island inside the province', () => {
    for (const island of catalog.islands) {
      // Bangka Belitung lies roughly between 1°S–3.5°S and 105°E–109°E.
      expect(island.lat, island.name).toBeGreaterThan(-3.6);
      expect(island.lat, island.name).toBeLessThan(-1.3);
      expect(island.lng, island.name).toBeGreaterThan(105);
      expect(island.lng, island.name).toBeLessThan(109);
    }
  });

  it('is what the installed package generates now (run `npm run gen:regions` if this fails)', () => {
    const { sources, source } = readPackageSources();
    expect(buildCatalog(sources, PROVINCE, source)).toEqual(catalog);
  });

  it('stays small enough for a lazily loaded chunk', () => {
    const text = renderModule(catalog);
    expect(Buffer.byteLength(text)).toBeLessThan(48_000);
    expect(gzipSync(text).length).toBeLessThan(8_000);
  });
});

describe('REGION_ATTRIBUTION', () => {
  it.each(['id', 'en'] as const)('credits the source and the ODbL in %s', (lang) => {
    expect(REGION_ATTRIBUTION[lang]).toContain('idn-area-data');
    expect(REGION_ATTRIBUTION[lang]).toContain('Kemendagri');
    expect(REGION_ATTRIBUTION[lang]).toContain('Open Database License (ODbL) 1.0');
  });
});
