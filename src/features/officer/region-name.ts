// A scope code as people say it: "Kab. Bangka Barat (19.05)"; the province by name.
import { PROVINCE_CODE } from '../../../core/regions.ts';
import { REGION_CATALOG } from '../../../core/regions/catalog.generated.ts';
import { findRegion } from '../../../core/regions/lookup.ts';

export function regionName(code: string): string {
  if (code === PROVINCE_CODE) return `Prov. Kepulauan Bangka Belitung (${code})`;
  const found = findRegion(REGION_CATALOG, code);
  return found ? `${found.region.name} (${code})` : code;
}

/** Just the name, for tight places (a choice on a phone): "Kuto Panji"; the code where none is known. */
export function placeName(code: string): string {
  if (code === PROVINCE_CODE) return 'Prov. Kepulauan Bangka Belitung';
  return findRegion(REGION_CATALOG, code)?.region.name ?? code;
}
