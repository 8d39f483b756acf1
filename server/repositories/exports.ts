// What an export reads: the services and form versions a period holds in a region, and their
// submissions page by page in receipt order (keyset paging on received_at, id), so an export of a
// year holds one page in memory at a time whatever the total. Every query is limited to the region
// scope in SQL and leaves practice (latihan) submissions out.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ExportMeta } from '../../core/exports/table.ts';
import { inRegion } from './status.ts';

export interface ExportWindow {
  /** A region code the caller's scope covers. */
  scope: string;
  /** UTC bounds of the period: from ≤ received_at < to. */
  from: string;
  to: string;
}

export interface VersionCount {
  formId: string;
  formVersion: number;
  count: number;
}

function inWindow(db: Kysely<Database>, w: ExportWindow) {
  return db
    .selectFrom('submissions')
    .where('practice', '=', 0)
    .where('received_at', '>=', w.from)
    .where('received_at', '<', w.to)
    .where((eb) => inRegion(eb, w.scope));
}

/** The form versions submitted in the window (optionally of one service), with how many each. */
export async function versionsInWindow(db: Kysely<Database>, w: ExportWindow, formId?: string): Promise<VersionCount[]> {
  let q = inWindow(db, w)
    .select(['form_id', 'form_version', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy(['form_id', 'form_version'])
    .orderBy('form_id')
    .orderBy('form_version');
  if (formId !== undefined) q = q.where('form_id', '=', formId);
  const rows = await q.execute();
  return rows.map((r) => ({ formId: r.form_id, formVersion: Number(r.form_version), count: Number(r.n) }));
}

/** A stored submission as an export reads it: its facts and its sealed answers. */
export type SealedExportRow = ExportMeta & { payload: string; /** The status's details (a refusal's ground; core/office/status-detail.ts). */ statusDetail: string | null };

export interface PageOptions {
  formId: string;
  /** One version; all of the service's versions when absent. */
  formVersion?: number;
  pageSize?: number;
}

/** One page's query: the window's submissions of a service after `after`, in receipt order. */
export function pageQuery(db: Kysely<Database>, w: ExportWindow, o: PageOptions, after?: { receivedAt: string; id: string }) {
  let q = inWindow(db, w)
    .select(['id', 'form_id', 'form_version', 'received_at', 'status', 'status_at', 'region_code', 'due_on', 'answer', 'payload_json', 'status_detail'])
    .where('form_id', '=', o.formId);
  if (o.formVersion !== undefined) q = q.where('form_version', '=', o.formVersion);
  if (after) {
    // The plain '>=' first gives the index its range start; the OR alone made each page scan the
    // period from its beginning (a year's export took quadratic time).
    q = q.where('received_at', '>=', after.receivedAt).where((eb) => eb.or([eb('received_at', '>', after.receivedAt), eb('id', '>', after.id)]));
  }
  // submissions_export_idx (form_id, practice, received_at, id; migration 065) reads a page as
  // one range in this order, with no sort.
  return q.orderBy('received_at').orderBy('id').limit(o.pageSize ?? PAGE_SIZE);
}

export const PAGE_SIZE = 500;

/** The window's submissions of a service, oldest received first, one page at a time. */
export async function* submissionPages(db: Kysely<Database>, w: ExportWindow, o: PageOptions): AsyncGenerator<SealedExportRow[]> {
  const size = o.pageSize ?? PAGE_SIZE;
  let after: { receivedAt: string; id: string } | undefined;
  for (;;) {
    const rows = await pageQuery(db, w, { ...o, pageSize: size }, after).execute();
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      id: r.id,
      formId: r.form_id,
      formVersion: Number(r.form_version),
      receivedAt: r.received_at,
      status: r.status,
      statusAt: r.status_at,
      regionCode: r.region_code,
      dueOn: r.due_on,
      answer: r.answer,
      payload: r.payload_json,
      statusDetail: r.status_detail,
    }));
    const last = rows[rows.length - 1]!;
    after = { receivedAt: last.received_at, id: last.id };
    if (rows.length < size) return;
  }
}
