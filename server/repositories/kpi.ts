// The KPI dashboard's reads: narrow rows of one period in one region scope, fetched with one
// indexed range scan each. The figures themselves (medians, nearest-rank p90, SLA outcomes) are
// computed in JS from these rows (server/services/kpi-figures.ts): SQL has no exact nearest-rank
// percentile on both dialects, and one code path keeps SQLite and PostgreSQL identical.
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database, DialectName } from '../db/schema.ts';
import type { DataKeys } from '../crypto/data-keys.ts';
import { openPayload } from './submission-fields.ts';
import { inRegion } from './status.ts';

export interface KpiWindow {
  /** Region scope of the caller ('19', '19.01', …). */
  scope: string;
  /** Received in [from, to) … */
  from: string;
  to: string;
  /** … and by `at`; status events after `at` are not seen. */
  at: string;
}

export interface SubmissionKpiRow {
  formId: string;
  regionCode: string;
  createdAt: string;
  receivedAt: string;
}

export interface RequestKpiRow extends SubmissionKpiRow {
  dueOn: string | null;
  /** The first event that is not 'diterima', by `at`. */
  firstAt: string | null;
  /** The first final event (selesai, ditolak), by `at`. */
  doneAt: string | null;
}

export interface SkmKpiRow {
  regionCode: string;
  receivedAt: string;
  data: Record<string, unknown>;
}

/** Visited and new voters counted per TPS from coklit records. */
export interface TpsCountRow {
  villageCode: string;
  tps: string;
  visited: number;
  newVoters: number;
}

export interface TpsAssignmentRow {
  villageCode: string;
  tps: string;
  voters: number;
}

type SubmissionsQuery<O> = SelectQueryBuilder<Database, 'submissions', O>;

/**
 * Practice (latihan) submissions never count in a KPI (migration 006 flags them): every KPI query
 * passes through this one function. The flag is in submissions_kpi_idx, so the scan stays covering.
 */
function realSubmissionsOnly<O>(q: SubmissionsQuery<O>): SubmissionsQuery<O> {
  return q.where('submissions.practice', '=', 0);
}

function inWindow<O>(q: SubmissionsQuery<O>, w: KpiWindow): SubmissionsQuery<O> {
  const until = w.at < w.to ? w.at : null;
  let out = q.where('submissions.received_at', '>=', w.from).where('submissions.received_at', '<', w.to);
  if (until !== null) out = out.where('submissions.received_at', '<=', until);
  return realSubmissionsOnly(out.where((eb) => inRegion(eb, w.scope)));
}

/** Every submission of the window: sync delay, and the group each belongs to. */
export async function submissionRows(db: Kysely<Database>, w: KpiWindow): Promise<SubmissionKpiRow[]> {
  const rows = await inWindow(db.selectFrom('submissions').select(['form_id', 'region_code', 'created_at', 'received_at']), w).execute();
  return rows.map((r) => ({ formId: r.form_id, regionCode: r.region_code, createdAt: r.created_at, receivedAt: r.received_at }));
}

function earliestChange(eb: ExpressionBuilder<Database, 'submissions'>, statuses: 'response' | 'final', at: string) {
  let q = eb
    .selectFrom('changes')
    .select((c) => c.fn.min<string>('changes.at').as('at'))
    .whereRef('changes.submission_id', '=', 'submissions.id')
    .where('changes.at', '<=', at);
  q = statuses === 'final' ? q.where('changes.status', 'in', ['selesai', 'ditolak']) : q.where('changes.status', '<>', 'diterima');
  return q;
}

/** Requests of the given (answered) forms in the window, with their first response and completion by `at`. */
export async function requestRows(db: Kysely<Database>, w: KpiWindow, formIds: readonly string[]): Promise<RequestKpiRow[]> {
  if (formIds.length === 0) return [];
  const rows = await inWindow(
    db
      .selectFrom('submissions')
      .select((eb) => [
        'form_id',
        'region_code',
        'created_at',
        'received_at',
        'due_on',
        earliestChange(eb, 'response', w.at).as('first_at'),
        earliestChange(eb, 'final', w.at).as('done_at'),
      ])
      .where('form_id', 'in', formIds),
    w,
  ).execute();
  return rows.map((r) => ({
    formId: r.form_id,
    regionCode: r.region_code,
    createdAt: r.created_at,
    receivedAt: r.received_at,
    dueOn: r.due_on,
    firstAt: r.first_at ?? null,
    doneAt: r.done_at ?? null,
  }));
}

/** SKM answers of the window (their data objects, decrypted), for the IKM. */
export async function skmRows(db: Kysely<Database>, keys: DataKeys, w: KpiWindow, formId: string): Promise<SkmKpiRow[]> {
  const rows = await inWindow(
    db.selectFrom('submissions').select(['id', 'region_code', 'received_at', 'payload_json']).where('form_id', '=', formId),
    w,
  ).execute();
  return Promise.all(rows.map(async (r) => ({ regionCode: r.region_code, receivedAt: r.received_at, data: await openPayload(keys, r.id, r.payload_json) })));
}

/**
 * Distinct voters per TPS from coklit records of the window, counted in SQL: visited (outcome
 * sesuai, ubah or tms) and new ('baru'), a voter being its NIK (as a keyed hash), or the record
 * id without one. The answers are encrypted; these facts sit in the clear kpi_* columns
 * (server/repositories/submission-fields.ts).
 */
export async function coklitCounts(db: Kysely<Database>, _dialect: DialectName, w: KpiWindow, formId: string): Promise<TpsCountRow[]> {
  const rows = await inWindow(
    db
      .selectFrom('submissions')
      .select([
        'kpi_village',
        'kpi_tps',
        sql<number | string>`count(distinct case when kpi_outcome in ('sesuai', 'ubah', 'tms') then kpi_voter end)`.as('visited'),
        sql<number | string>`count(distinct case when kpi_outcome = 'baru' then kpi_voter end)`.as('new_voters'),
      ])
      .where('form_id', '=', formId)
      .where('kpi_village', 'is not', null)
      .where('kpi_tps', 'is not', null)
      .groupBy(['kpi_village', 'kpi_tps']),
    w,
  ).execute();
  return rows.map((r) => ({ villageCode: r.kpi_village!, tps: r.kpi_tps!, visited: Number(r.visited), newVoters: Number(r.new_voters) }));
}

/** TPS assignments in a region scope, by village and TPS. */
export async function tpsAssignments(db: Kysely<Database>, scope: string): Promise<TpsAssignmentRow[]> {
  const rows = await db
    .selectFrom('tps_assignments')
    .select(['village_code', 'tps', 'voters'])
    .where((eb) => eb.or([eb('village_code', '=', scope), eb('village_code', 'like', `${scope}.%`)]))
    .orderBy('village_code')
    .orderBy('tps')
    .execute();
  return rows.map((r) => ({ villageCode: r.village_code, tps: r.tps, voters: Number(r.voters) }));
}

/** Replaces the assignments of the given TPSs (the voter lists handed to the Pantarlih). */
export async function upsertTpsAssignments(db: Kysely<Database>, rows: readonly TpsAssignmentRow[], now: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('tps_assignments')
      .values(rows.slice(i, i + 500).map((r) => ({ village_code: r.villageCode, tps: r.tps, voters: r.voters, updated_at: now })))
      .onConflict((oc) => oc.columns(['village_code', 'tps']).doUpdateSet((eb) => ({ voters: eb.ref('excluded.voters'), updated_at: eb.ref('excluded.updated_at') })))
      .execute();
  }
}

/** Practice (latihan) submissions of one officer on one form: their training progress. */
export interface PracticeProgressRow {
  accountId: string;
  username: string;
  displayName: string;
  officerScope: string;
  formId: string;
  count: number;
  lastAt: string;
}

/**
 * Practice per officer and form, for the officers whose own region lies in `scope` (a regency
 * operator sees the officers of their regency, wherever the practice was filed). All time: the
 * training before a stage matters, not the period's.
 */
export async function practiceProgress(db: Kysely<Database>, scope: string): Promise<PracticeProgressRow[]> {
  const rows = await db
    .selectFrom('submissions')
    .innerJoin('accounts', 'accounts.id', 'submissions.account_id')
    .select((eb) => [
      'accounts.id as account_id',
      'accounts.username',
      'accounts.display_name',
      'accounts.scope',
      'submissions.form_id',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.max('submissions.received_at').as('last_at'),
    ])
    .where('submissions.practice', '=', 1)
    .where((eb) => eb.or([eb('accounts.scope', '=', scope), eb('accounts.scope', 'like', `${scope}.%`)]))
    .groupBy(['accounts.id', 'accounts.username', 'accounts.display_name', 'accounts.scope', 'submissions.form_id'])
    .orderBy('accounts.username')
    .orderBy('submissions.form_id')
    .execute();
  return rows.map((r) => ({
    accountId: r.account_id,
    username: r.username,
    displayName: r.display_name,
    officerScope: r.scope,
    formId: r.form_id,
    count: Number(r.n),
    lastAt: r.last_at,
  }));
}
