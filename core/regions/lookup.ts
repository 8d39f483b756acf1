// Small pure queries over a RegionCatalog, shared by the page (in the lazily loaded regions
// chunk) and the server. The province has a few hundred entries, so plain scans are fast enough
// and need no index to build or keep in memory.
import type { Island, Region, RegionCatalog, RegionLevel } from './types.ts';

/** The level a code names, from its shape alone: '19.01', '19.01.01', '19.01.01.2001'. */
export function levelOf(code: string): RegionLevel | undefined {
  if (/^\d{2}\.\d{2}$/.test(code)) return 'regency';
  if (/^\d{2}\.\d{2}\.\d{2}$/.test(code)) return 'district';
  if (/^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(code)) return 'village';
  return undefined;
}

export function districtsOf(catalog: RegionCatalog, regencyCode: string): Region[] {
  return catalog.districts.filter((d) => d.parent === regencyCode);
}

export function villagesOf(catalog: RegionCatalog, districtCode: string): Region[] {
  return catalog.villages.filter((v) => v.parent === districtCode);
}

/**
 * Populated islands, all of them or one regency's. Bangka and Belitung themselves carry the
 * province code, so they come back for `islandsOf(catalog)` or `islandsOf(catalog, '19')` only.
 */
export function islandsOf(catalog: RegionCatalog, regencyCode?: string): Island[] {
  return regencyCode === undefined ? [...catalog.islands] : catalog.islands.filter((i) => i.regencyCode === regencyCode);
}

export interface FoundRegion {
  level: RegionLevel;
  region: Region;
}

/** A regency, district or village by its code; undefined for an unknown or malformed code. */
export function findRegion(catalog: RegionCatalog, code: string): FoundRegion | undefined {
  const level = levelOf(code);
  if (!level) return undefined;
  const list = level === 'regency' ? catalog.regencies : level === 'district' ? catalog.districts : catalog.villages;
  const region = list.find((r) => r.code === code);
  return region && { level, region };
}

export interface RegionPath {
  regency: Region;
  district: Region;
  village: Region;
}

/** The regency and district above a village, e.g. to show a full address; undefined if unknown. */
export function regionPath(catalog: RegionCatalog, villageCode: string): RegionPath | undefined {
  const village = findRegion(catalog, villageCode);
  if (village?.level !== 'village' || !village.region.parent) return undefined;
  const district = findRegion(catalog, village.region.parent);
  if (district?.level !== 'district' || !district.region.parent) return undefined;
  const regency = findRegion(catalog, district.region.parent);
  if (regency?.level !== 'regency') return undefined;
  return { regency: regency.region, district: district.region, village: village.region };
}
