// The KPI figures from the narrow rows server/repositories/kpi.ts reads. Written apart from
// core/kpi/table.ts on purpose: this side works from what the database keeps (the due date stored
// at receipt and moved by an extension, the change log), that side from a status history, so the
// seeded-data test that compares them checks the storage path as well as the sums. Both follow
// docs/kpi.md. Medians and nearest-rank p90 come from core/kpi/percentiles.ts.
import { coverageTotals, tpsKey, type CoverageTotals, type TpsCoverage } from '../../core/kpi/coklit-coverage.ts';
import { computeIkm } from '../../core/kpi/ikm.ts';
import { summarize } from '../../core/kpi/percentiles.ts';
import { periodOf } from '../../core/kpi/periods.ts';
import type { RequestKpis } from '../../core/kpi/requests.ts';
import type { KpiRow } from '../../core/kpi/table.ts';
import { rankUnits, type UnitRank } from '../../core/kpi/ranking.ts';
import { districtOf, syncDelayBy, type GroupSummary } from '../../core/kpi/sync-delay.ts';
import { islandOfVillage } from '../../core/kpi/island-of-village.ts';
import { PROVINCE_CODE } from '../../core/regions.ts';
import type { RequestKpiRow, SkmKpiRow, SubmissionKpiRow, TpsAssignmentRow, TpsCountRow } from '../repositories/kpi.ts';

export const TABLE_GROUPS = ['unit', 'service', 'month', 'quarter', 'year'] as const;
export type TableGroup = (typeof TABLE_GROUPS)[number];
export const SYNC_GROUPS = ['district', 'island'] as const;
export type SyncGroup = (typeof SYNC_GROUPS)[number];
export const COKLIT_GROUPS = ['regency', 'district', 'village', 'tps'] as const;
export type CoklitGroup = (typeof COKLIT_GROUPS)[number];

/** The service unit of a region: the province office ('19') or a regency's office ('19.01'). */
export function unitOf(regionCode: string): string {
  const parts = regionCode.split('.');
  return parts.length < 2 ? PROVINCE_CODE : `${parts[0]}.${parts[1]}`;
}

const DAY_MS = 86_400_000;
const WIB_OFFSET_MS = 7 * 3_600_000;

/** The WIB day number (days since 1970-01-01 WIB) of an instant in ms. */
function wibDay(ms: number): number {
  return Math.floor((ms + WIB_OFFSET_MS) / DAY_MS);
}

/** The day number of a stored 'YYYY-MM-DD' date; memoised, since a year holds few distinct dates. */
const dateDays = new Map<string, number>();
function dayOfDate(date: string): number {
  let day = dateDays.get(date);
  if (day === undefined) {
    day = Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
    if (dateDays.size < 100_000) dateDays.set(date, day);
  }
  return day;
}

/**
 * The grouping key of a row. A period key goes through core/kpi/periods.ts once per WIB day of
 * receipt (rows are many, days few).
 */
export function tableKeyer(by: TableGroup): (r: { formId: string; regionCode: string; receivedAt: string }) => string {
  if (by === 'unit') return (r) => unitOf(r.regionCode);
  if (by === 'service') return (r) => r.formId;
  const byDay = new Map<number, string>();
  return (r) => {
    const day = wibDay(Date.parse(r.receivedAt));
    let key = byDay.get(day);
    if (key === undefined) byDay.set(day, (key = periodOf(r.receivedAt, by)));
    return key;
  };
}

/** The same figures as core/kpi/requests.ts gives, worked out from the stored rows. */
export type RequestFigures = RequestKpis;

function elapsed(fromIso: string, toIso: string): number {
  return Math.max(0, Date.parse(toIso) - Date.parse(fromIso));
}

/**
 * Received, open, overdue, durations and SLA standing at `at` of requests read with their first
 * response and completion as of `at`. The due date is the stored one (extension included); a
 * request is answered in time when the WIB date of its answer is on or before it.
 */
export function requestFigures(rows: readonly RequestKpiRow[], at: string): RequestFigures {
  const today = wibDay(Date.parse(at));
  const first: number[] = [];
  const completion: number[] = [];
  let open = 0;
  let overdue = 0;
  let decided = 0;
  let onTime = 0;
  for (const r of rows) {
    const received = Date.parse(r.receivedAt);
    if (r.firstAt !== null) first.push(Math.max(0, Date.parse(r.firstAt) - received));
    if (r.doneAt !== null) {
      const done = Date.parse(r.doneAt);
      completion.push(Math.max(0, done - received));
      if (r.dueOn !== null) {
        decided += 1;
        if (wibDay(done) <= dayOfDate(r.dueOn)) onTime += 1;
      }
    } else {
      open += 1;
      if (r.dueOn !== null && today > dayOfDate(r.dueOn)) {
        overdue += 1;
        decided += 1;
      }
    }
  }
  return {
    received: rows.length,
    open,
    overdue,
    firstResponse: summarize(first),
    completion: summarize(completion),
    slaDecided: decided,
    slaOnTime: onTime,
    slaOnTimePct: decided ? (onTime / decided) * 100 : undefined,
  };
}

/** A table row: the same shape as core/kpi/table.ts gives. */
export type KpiTableRow = KpiRow;

export interface KpiInput {
  submissions: readonly SubmissionKpiRow[];
  requests: readonly RequestKpiRow[];
  skm: readonly (SkmKpiRow & { formId?: string })[];
  skmFormId: string;
}

/** The items by key, each group in the items' order, the groups in order of first appearance. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push(item);
  }
  return out;
}

/** One row per group that has any submission, sorted by key. */
export function kpiTableRows(by: TableGroup, input: KpiInput, at: string): KpiTableRow[] {
  const keyOf = tableKeyer(by);
  const all = groupBy(input.submissions, keyOf);
  const requests = groupBy(input.requests, keyOf);
  const skm = groupBy(input.skm, (r) => keyOf({ ...r, formId: input.skmFormId }));
  return [...all.keys()].sort().map((key) => ({
    key,
    requests: requestFigures(requests.get(key) ?? [], at),
    ikm: computeIkm((skm.get(key) ?? []).map((r) => r.data)),
    syncDelay: summarize((all.get(key) ?? []).map((r) => elapsed(r.createdAt, r.receivedAt))),
  }));
}

export function syncDelayRows(by: SyncGroup, rows: readonly SubmissionKpiRow[]): GroupSummary[] {
  return syncDelayBy(rows, by === 'district' ? districtOf : islandOfVillage);
}

/** Per TPS: the assigned ones in order, then TPSs with coklit records but no assignment (0 assigned). */
export function tpsCoverage(assignments: readonly TpsAssignmentRow[], counts: readonly TpsCountRow[]): TpsCoverage[] {
  const byKey = new Map(counts.map((c) => [tpsKey(c.villageCode, c.tps), c]));
  const row = (villageCode: string, tps: string, assigned: number): TpsCoverage => {
    const c = byKey.get(tpsKey(villageCode, tps));
    const visited = c?.visited ?? 0;
    return {
      villageCode,
      tps,
      assigned,
      visited,
      newVoters: c?.newVoters ?? 0,
      remaining: Math.max(0, assigned - visited),
      coveragePct: assigned > 0 ? (Math.min(visited, assigned) / assigned) * 100 : undefined,
    };
  };
  const assigned = new Set(assignments.map((a) => tpsKey(a.villageCode, a.tps)));
  const extra = counts
    .filter((c) => c.visited + c.newVoters > 0 && !assigned.has(tpsKey(c.villageCode, c.tps)))
    .sort((a, b) => (tpsKey(a.villageCode, a.tps) < tpsKey(b.villageCode, b.tps) ? -1 : 1));
  return [...assignments.map((a) => row(a.villageCode, a.tps, a.voters)), ...extra.map((c) => row(c.villageCode, c.tps, 0))];
}

export interface CoverageRow extends CoverageTotals {
  key: string;
}

export function coverageKey(by: CoklitGroup, t: Pick<TpsCoverage, 'villageCode' | 'tps'>): string {
  if (by === 'tps') return tpsKey(t.villageCode, t.tps);
  if (by === 'village') return t.villageCode;
  if (by === 'district') return districtOf(t.villageCode);
  return unitOf(t.villageCode);
}

/** Coverage totals per group, sorted by key. */
export function coverageRows(by: CoklitGroup, perTps: readonly TpsCoverage[]): CoverageRow[] {
  const groups = groupBy(perTps, (t) => coverageKey(by, t));
  return [...groups.keys()].sort().map((key) => ({ key, ...coverageTotals(groups.get(key) ?? []) }));
}

export interface RankingRow extends UnitRank {
  slaOnTimePct: number | undefined;
  medianFirstResponseMs: number | undefined;
  ikm: number | undefined;
}

/** The ranking of units from the by-unit table (core/kpi/ranking.ts), with the values ranked. */
export function rankingRows(unitRows: readonly KpiTableRow[]): RankingRow[] {
  const values = new Map(
    unitRows.map((r) => [
      r.key,
      { slaOnTimePct: r.requests.slaOnTimePct, medianFirstResponseMs: r.requests.firstResponse.median, ikm: r.ikm.ikm },
    ]),
  );
  return rankUnits(unitRows.map((r) => ({ unit: r.key, ...values.get(r.key) }))).map((rank) => ({
    ...rank,
    ...(values.get(rank.unit) as { slaOnTimePct: number | undefined; medianFirstResponseMs: number | undefined; ikm: number | undefined }),
  }));
}
