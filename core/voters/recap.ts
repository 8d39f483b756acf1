// The coklit recap (issue #13): counts per TPS, summed up to village, district, regency and
// province. Pure: the server counts per TPS in SQL and sums here; the page lays out the same rows.
import { PROVINCE_CODE } from '../regions.ts';
import { levelOf } from '../regions/lookup.ts';

export const RECAP_LEVELS = ['tps', 'village', 'district', 'regency', 'province'] as const;
export type RecapLevel = (typeof RECAP_LEVELS)[number];

export interface RecapCounts {
  listed: number;
  visited: number;
  sesuai: number;
  ubah: number;
  baru: number;
  tms: number;
  /** TMS by code (the election's code list). */
  tmsByCode: Record<string, number>;
  male: number;
  female: number;
  disabled: number;
  openConflicts: number;
  /** Duplicate pairs still open, from the duplicate search (null until it reports: shown as "—"). */
  openDuplicates: number | null;
}

export interface RecapRow extends RecapCounts {
  /** Region code at the row's level; for a TPS row `village/tps`. */
  key: string;
}

export function emptyCounts(): RecapCounts {
  return { listed: 0, visited: 0, sesuai: 0, ubah: 0, baru: 0, tms: 0, tmsByCode: {}, male: 0, female: 0, disabled: 0, openConflicts: 0, openDuplicates: null };
}

/** The key of a TPS at a level: '19.01.01.2001/003' → '19.01.01.2001' (village), '19.01.01', '19.01', '19'. */
export function keyAt(village: string, tps: string, level: RecapLevel): string {
  if (level === 'tps') return `${village}/${tps}`;
  const parts = village.split('.');
  const n = { village: 4, district: 3, regency: 2, province: 1 }[level];
  return parts.slice(0, n).join('.');
}

export function addCounts(into: RecapCounts, c: RecapCounts): void {
  for (const k of ['listed', 'visited', 'sesuai', 'ubah', 'baru', 'tms', 'male', 'female', 'disabled', 'openConflicts'] as const) into[k] += c[k];
  for (const [code, n] of Object.entries(c.tmsByCode)) into.tmsByCode[code] = (into.tmsByCode[code] ?? 0) + n;
  if (c.openDuplicates !== null) into.openDuplicates = (into.openDuplicates ?? 0) + c.openDuplicates;
}

/** Per-TPS counts summed to `level`, rows in key order. Sums are exact: every TPS counts in exactly one row. */
export function rollUp(perTps: readonly (RecapCounts & { village: string; tps: string })[], level: RecapLevel): RecapRow[] {
  const out = new Map<string, RecapRow>();
  for (const t of perTps) {
    const key = keyAt(t.village, t.tps, level);
    let row = out.get(key);
    if (!row) {
      row = { key, ...emptyCounts() };
      out.set(key, row);
    }
    addCounts(row, t);
  }
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The level a region code names, the province '19' included; undefined for a malformed code. */
export function scopeLevel(scope: string): Exclude<RecapLevel, 'tps'> | undefined {
  return scope === PROVINCE_CODE ? 'province' : levelOf(scope);
}

/** The rows of a region's recap: its parts one level down (a village's are its TPS). */
export function drillLevel(scope: string): Exclude<RecapLevel, 'province'> | undefined {
  const level = scopeLevel(scope);
  return level && ({ province: 'regency', regency: 'district', district: 'village', village: 'tps' } as const)[level];
}

/** The region one level up, where a row of `drillLevel` leads back; undefined for the province. */
export function parentScope(key: string): string | undefined {
  const [village, tps] = key.split('/');
  if (tps !== undefined) return village;
  const parts = key.split('.');
  return parts.length > 1 ? parts.slice(0, -1).join('.') : undefined;
}
