// The KPI endpoints (GET /api/v1/kpi/*, docs/kpi.md) for the dashboard: JSON for the screen, and
// the same table as CSV (made by the server, so the file holds exactly the API's figures).
import type { CoverageTotals } from '../../../core/kpi/coklit-coverage.ts';
import type { IkmResult } from '../../../core/kpi/ikm.ts';
import type { Summary } from '../../../core/kpi/percentiles.ts';
import type { RequestKpis } from '../../../core/kpi/requests.ts';
import type { GroupSummary } from '../../../core/kpi/sync-delay.ts';
import { failureOf as failure, officerGet, saveFile, type OfficerResult } from '../../lib/officer-get.ts';

export type KpiResult<T> = OfficerResult<T>;

/** A table row as the API sends it: the figures of core/kpi, with a readable label. */
export interface UnitRow {
  key: string;
  label: string;
  requests: RequestKpis;
  ikm: Pick<IkmResult, 'respondents' | 'ikm' | 'grade' | 'quality'>;
  syncDelay: Summary;
}

export interface SyncRow extends GroupSummary {
  label: string;
}

export interface CoverageRow extends CoverageTotals {
  key: string;
  label: string;
}

export interface RankingRow {
  unit: string;
  label: string;
  position?: number;
  composite?: number;
  slaOnTimePct?: number;
  medianFirstResponseMs?: number;
  ikm?: number;
}

/** Training progress (GET /kpi/practice): practice submissions per officer and form, all time. */
export interface PracticeRow {
  accountId: string;
  /** Only for account managers (admin, operator); the server leaves it out for other roles. */
  username?: string;
  displayName: string;
  officerScope: string;
  officerLabel: string;
  formId: string;
  count: number;
  lastAt: string;
}

/** GET /kpi/form-versions: an officer's device holding an old form or SOP version. */
export interface VersionRow {
  deviceId: string;
  deviceLabel: string;
  /** Only for account managers (admin, operator). */
  username?: string;
  displayName: string;
  officerLabel: string;
  regencyLabel: string;
  item: string;
  kind: 'form' | 'sop';
  title: string;
  /** The version the device holds; 0 when it holds none. */
  version: number;
  current: number;
  reportedAt: string;
}

export interface KpiPage<R> {
  period: string;
  at: string;
  scope: string;
  rows: R[];
}

function get(path: string): Promise<Response | 'offline'> {
  return officerGet(`/kpi/${path}`);
}

export async function fetchKpi<R>(path: string): Promise<KpiResult<KpiPage<R>>> {
  const res = await get(path);
  if (res === 'offline' || !res.ok) return failure(res);
  try {
    return { kind: 'ok', body: (await res.json()) as KpiPage<R> };
  } catch {
    return { kind: 'offline' };
  }
}

/** Fetches a table as CSV and hands it to the browser as a download. */
export async function downloadCsv(path: string, fileName: string): Promise<KpiResult<string>> {
  const res = await get(`${path}${path.includes('?') ? '&' : '?'}format=csv`);
  if (res === 'offline' || !res.ok) return failure(res);
  const text = await res.text();
  saveFile(new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName);
  return { kind: 'ok', body: text };
}
