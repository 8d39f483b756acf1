// The validation context with the whole region catalogue. The server imports it directly; the
// page imports it lazily (the catalogue is too heavy for the first load) and waits for it before
// it shows region verdicts or sends. Both build the lookup from the same generated catalogue, so
// the same answers get the same verdict on both sides.
import { REGION_CATALOG } from '../regions/catalog.generated.ts';
import { regionDirectory, todayInWib, type RegionDirectory, type ValidationContext } from './context.ts';
import { PROVINCE_CODE } from '../regions.ts';

export const REGIONS: RegionDirectory = regionDirectory(REGION_CATALOG, PROVINCE_CODE);

/** What the validator is given on the server, and on the page once the catalogue has loaded. */
export function fullContext(now: number = Date.now()): ValidationContext {
  return { regions: REGIONS, today: todayInWib(now) };
}
