// One row of KPIs per group (a regency, a service, a month …) from stored submissions: the
// dashboard's tables, and the independent computation a test compares the API's figures with.
// Only requests that an office answers count as requests; SKM answers feed the IKM; every
// submission counts towards the sync delay.
import { HOLIDAYS, type HolidayCalendar } from '../calendar/working-days.ts';
import type { FormDef } from '../forms/definition.ts';
import { computeIkm, type IkmResult } from './ikm.ts';
import { summarize, type Summary } from './percentiles.ts';
import { requestKpis, type RequestKpis, type RequestRecord, type SlaOf } from './requests.ts';
import { syncDelayMs, type SyncRecord } from './sync-delay.ts';

export const SKM_FORM_ID = 'skm';

/**
 * Whether a form is a request an office answers: a public form other than the SKM (whose
 * answers are pooled, not answered one by one). Officers' forms (coklit, TPS survey) are data
 * collection, not requests.
 */
export function isAnsweredService(form: Pick<FormDef, 'formId' | 'audience'>): boolean {
  return form.audience === 'public' && form.formId !== SKM_FORM_ID;
}

export interface KpiRecord extends RequestRecord, SyncRecord {
  data: Readonly<Record<string, unknown>>;
}

export interface KpiRow {
  key: string;
  requests: RequestKpis;
  ikm: IkmResult;
  syncDelay: Summary;
}

export interface KpiTableOptions<R extends KpiRecord> {
  /** The group a record counts in, e.g. its regency or its formId. */
  keyOf: (record: R) => string;
  /** "Now": records received later and events after it are not seen. */
  at: string;
  slaOf: SlaOf;
  /** Which formIds are answered requests; see isAnsweredService. */
  isRequest: (formId: string) => boolean;
  holidays?: HolidayCalendar;
}

/** KPI rows sorted by key. */
export function kpiTable<R extends KpiRecord>(records: Iterable<R>, options: KpiTableOptions<R>): KpiRow[] {
  const at = Date.parse(options.at);
  const groups = new Map<string, { requests: R[]; skm: Readonly<Record<string, unknown>>[]; delays: number[] }>();
  for (const r of records) {
    if (Date.parse(r.receivedAt) > at) continue;
    const key = options.keyOf(r);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { requests: [], skm: [], delays: [] }));
    if (options.isRequest(r.formId)) g.requests.push(r);
    if (r.formId === SKM_FORM_ID) g.skm.push(r.data);
    g.delays.push(syncDelayMs(r));
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, g]) => ({
      key,
      requests: requestKpis(g.requests, options.at, options.slaOf, options.holidays ?? HOLIDAYS),
      ikm: computeIkm(g.skm),
      syncDelay: summarize(g.delays),
    }));
}
