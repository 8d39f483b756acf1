// Sync delay: the time from filing a submission on the device (createdAt, the device's clock) to
// its receipt by the province (receivedAt, the server's clock). It shows where connectivity
// hurts, so it is grouped by district and by island. A device clock set ahead can make the
// difference negative; such a delay counts as 0 rather than being dropped, so the counts stay
// whole.
import { summarize, type Summary } from './percentiles.ts';
import { islandOfVillage } from './island-of-village.ts';

export interface SyncRecord {
  /** The village (desa) code the submission concerns. */
  regionCode: string;
  createdAt: string;
  receivedAt: string;
}

export function syncDelayMs(r: SyncRecord): number {
  const d = Date.parse(r.receivedAt) - Date.parse(r.createdAt);
  if (Number.isNaN(d)) throw new RangeError('createdAt and receivedAt must be instants');
  return Math.max(0, d);
}

/** The district code ('19.03.02') of a village code; a shorter code is kept as it is. */
export function districtOf(regionCode: string): string {
  return regionCode.split('.').slice(0, 3).join('.');
}

export interface GroupSummary extends Summary {
  key: string;
}

/** Delay summaries (count, median, p90, max in ms) per key, sorted by key. */
export function syncDelayBy(records: Iterable<SyncRecord>, keyOf: (regionCode: string) => string): GroupSummary[] {
  const groups = new Map<string, number[]>();
  for (const r of records) {
    const key = keyOf(r.regionCode);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(syncDelayMs(r));
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, values]) => ({ key, ...summarize(values) }));
}

export function syncDelayByDistrict(records: Iterable<SyncRecord>): GroupSummary[] {
  return syncDelayBy(records, districtOf);
}

/** By island code, with islandOfVillage's data unless another mapping is given. */
export function syncDelayByIsland(
  records: Iterable<SyncRecord>,
  islandOf: (regionCode: string) => string = islandOfVillage,
): GroupSummary[] {
  return syncDelayBy(records, islandOf);
}
