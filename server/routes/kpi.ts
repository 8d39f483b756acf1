// GET /api/v1/kpi/*: the province's oversight figures (docs/kpi.md) for one period, limited to the
// caller's region: a regency operator sees their regency, the province sees all. Every role that
// may list requests may read them (observers included): they are counts and durations, with no
// personal data. Each table is also served as CSV (`format=csv`), with the same rows.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { latestForms, PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { currentFormVersions, isSopItem, itemsBehind, sopItem } from '../../core/forms/held-versions.ts';
import type { IkmResult } from '../../core/kpi/ikm.ts';
import type { Summary } from '../../core/kpi/percentiles.ts';
import { PERIOD_PATTERN, REGION_PATTERN, periodOf, periodRange } from '../../core/kpi/periods.ts';
import { isAnsweredService, SKM_FORM_ID } from '../../core/kpi/table.ts';
import { findRegion } from '../../core/regions/lookup.ts';
import { REGION_CATALOG } from '../../core/regions/catalog.generated.ts';
import { PROVINCE_CODE, REGENCIES } from '../../core/regions.ts';
import { hasPermission } from '../../core/auth/roles.ts';
import { askedScope, officerWith, type Officer } from '../auth/officer.ts';
import { officerErrors } from '../auth/schemas.ts';
import { ApiError } from '../http/api-error.ts';
import { toCsv, type CsvCell } from '../http/csv.ts';
import { heldVersionRows } from '../repositories/device-versions.ts';
import { loadCurrentSops } from '../repositories/sops.ts';
import {
  coklitCounts,
  practiceProgress,
  requestRows,
  skmRows,
  submissionRows,
  tpsAssignments,
  type KpiWindow,
} from '../repositories/kpi.ts';
import {
  COKLIT_GROUPS,
  coverageRows,
  groupBy,
  kpiTableRows,
  rankingRows,
  SYNC_GROUPS,
  syncDelayRows,
  TABLE_GROUPS,
  tpsCoverage,
  type CoklitGroup,
  type KpiTableRow,
  type SyncGroup,
  type TableGroup,
} from '../services/kpi-figures.ts';

const COKLIT_FORM_ID = 'coklit-pilkada';
const REQUEST_FORMS = latestForms(PUBLISHED_FORMS)
  .filter(isAnsweredService)
  .map((f) => f.formId);

// ---- schemas -------------------------------------------------------------------------------

const INSTANT_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?(Z|[+-][0-9]{2}:[0-9]{2})$';

const windowQuery = {
  period: Type.Optional(Type.String({ pattern: PERIOD_PATTERN, description: "WIB period: '2026', '2026-Q2' or '2026-03'; default the current month" })),
  at: Type.Optional(Type.String({ pattern: INSTANT_PATTERN, description: 'Figures as they stood at this instant; default now' })),
  region: Type.Optional(Type.String({ pattern: REGION_PATTERN, description: 'Narrow to a region inside the caller’s scope' })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv: the same rows as text/csv' })),
};

const Num = Type.Optional(Type.Number());
const SummarySchema = Type.Object({ count: Type.Integer(), median: Num, p90: Num, max: Num });
const RequestFiguresSchema = Type.Object({
  received: Type.Integer(),
  open: Type.Integer(),
  overdue: Type.Integer(),
  firstResponse: SummarySchema,
  completion: SummarySchema,
  slaDecided: Type.Integer(),
  slaOnTime: Type.Integer(),
  slaOnTimePct: Num,
});
const IkmSchema = Type.Object({
  respondents: Type.Integer(),
  ignored: Type.Integer(),
  elements: Type.Array(Type.Object({ element: Type.String(), answers: Type.Integer(), mean: Num, index: Num })),
  weightedMean: Num,
  ikm: Num,
  grade: Type.Optional(Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('C'), Type.Literal('D')])),
  quality: Type.Optional(Type.String()),
});

const envelopeHead = {
  period: Type.String(),
  from: Type.String({ description: 'UTC start of the period (inclusive)' }),
  to: Type.String({ description: 'UTC end of the period (exclusive)' }),
  at: Type.String({ description: 'Figures as they stood at this instant' }),
  scope: Type.String({ description: 'The region the figures cover' }),
};

function envelopeOf(row: TSchema) {
  return Type.Object({ ...envelopeHead, rows: Type.Array(row) });
}

function groupedEnvelopeOf<const G extends readonly string[]>(row: TSchema, by: G) {
  return Type.Object({ ...envelopeHead, by: Type.Enum(by), rows: Type.Array(row) });
}

const keyed = { key: Type.String(), label: Type.String() };
const TableRowSchema = Type.Object({ ...keyed, requests: RequestFiguresSchema, ikm: IkmSchema, syncDelay: SummarySchema });
const SyncRowSchema = Type.Object({ ...keyed, count: Type.Integer(), median: Num, p90: Num, max: Num });
const CoverageRowSchema = Type.Object({
  ...keyed,
  tps: Type.Integer(),
  assigned: Type.Integer(),
  visited: Type.Integer(),
  newVoters: Type.Integer(),
  remaining: Type.Integer(),
  coveragePct: Num,
});
/** Login names only for those who manage accounts: anyone else reading one could target its logins. */
const usernameField = Type.Optional(Type.String({ description: 'Only for callers who manage accounts (admin_provinsi, operator)' }));
const PracticeRowSchema = Type.Object({
  accountId: Type.String(),
  username: usernameField,
  displayName: Type.String(),
  officerScope: Type.String(),
  officerLabel: Type.String(),
  formId: Type.String(),
  count: Type.Integer(),
  lastAt: Type.String(),
});
const VersionRowSchema = Type.Object({
  deviceId: Type.String(),
  deviceLabel: Type.String(),
  accountId: Type.String(),
  username: usernameField,
  displayName: Type.String(),
  officerScope: Type.String(),
  officerLabel: Type.String(),
  regencyLabel: Type.String(),
  item: Type.String({ description: 'A formId, or sop:<sopId>' }),
  kind: Type.Union([Type.Literal('form'), Type.Literal('sop')]),
  title: Type.String(),
  version: Type.Integer({ description: 'The version the device holds; 0 when it holds none' }),
  current: Type.Integer({ description: 'The version the province publishes now' }),
  reportedAt: Type.String({ description: 'When the device last reported (its last pull)' }),
});
const RankingRowSchema = Type.Object({
  unit: Type.String(),
  label: Type.String(),
  position: Type.Optional(Type.Integer()),
  composite: Num,
  ranks: Type.Object({ slaOnTimePct: Type.Optional(Type.Integer()), medianFirstResponseMs: Type.Optional(Type.Integer()), ikm: Type.Optional(Type.Integer()) }),
  slaOnTimePct: Num,
  medianFirstResponseMs: Num,
  ikm: Num,
});

function groupQuery<const G extends readonly string[]>(groups: G) {
  return Type.Object({ ...windowQuery, by: Type.Optional(Type.Enum(groups)) });
}

// ---- helpers -------------------------------------------------------------------------------

const FORM_TITLES = new Map(latestForms(PUBLISHED_FORMS).map((f) => [f.formId, f.title.id]));
const REGENCY_NAMES = new Map<string, string>([[PROVINCE_CODE, 'KPU Provinsi Kepulauan Bangka Belitung'], ...REGENCIES.map((r) => [r.code, r.name] as [string, string])]);
const ISLAND_NAMES = new Map(REGION_CATALOG.islands.map((i) => [i.code, i.name]));

/** A readable name for a key: region, island, form or period (the period itself). */
function labelOf(key: string): string {
  return (
    REGENCY_NAMES.get(key) ??
    FORM_TITLES.get(key) ??
    ISLAND_NAMES.get(key) ??
    (key.includes('/') ? `${findRegion(REGION_CATALOG, key.split('/')[0] as string)?.region.name ?? key.split('/')[0]} TPS ${key.split('/')[1]}` : undefined) ??
    findRegion(REGION_CATALOG, key)?.region.name ??
    key
  );
}

interface WindowQuery {
  period?: string;
  at?: string;
  region?: string;
}

/** The period, instant and region a KPI request asks for, once the caller may read KPIs there. */
function windowOf(request: FastifyRequest & { query: WindowQuery }): KpiWindow & { period: string } {
  const officerScope = officerWith(request, 'inbox.list').scope;
  const q = request.query;
  const now = new Date().toISOString();
  const atMs = q.at === undefined ? Date.parse(now) : Date.parse(q.at);
  if (Number.isNaN(atMs)) throw new ApiError(400, 'invalid_instant', 'at: not a valid instant');
  const at = new Date(atMs).toISOString();
  const period = q.period ?? periodOf(now, 'month');
  const { from, to } = periodRange(period);
  return { scope: askedScope(officerScope, q.region), from, to, at, period };
}

/**
 * The rows as `officer` may see them: without the officers' usernames unless the caller manages
 * accounts. Observers (Bawaslu), PPK and PPS see names and regions, which is what supervision needs.
 */
function withoutUsernames<R extends { username: string }>(officer: Officer, rows: readonly R[]): (Omit<R, 'username'> & { username?: string })[] {
  if (hasPermission(officer.role, 'accounts.manage')) return [...rows];
  return rows.map(({ username: _username, ...rest }) => rest);
}

/** Rows with a readable label for their key. */
function labelled<R extends { key: string }>(rows: readonly R[]): (R & { label: string })[] {
  return rows.map((r) => ({ ...r, label: labelOf(r.key) }));
}

function hours(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round((ms / 3_600_000) * 100) / 100;
}

function round2(n: number | undefined): number | undefined {
  return n === undefined ? undefined : Math.round(n * 100) / 100;
}

function sendCsv(reply: FastifyReply, name: string, header: readonly string[], rows: readonly (readonly CsvCell[])[]) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(toCsv(header, rows));
}

const summaryCells = (s: Summary) => [s.count, hours(s.median), hours(s.p90), hours(s.max)];

const TABLE_CSV_HEADER = [
  'key', 'label', 'received', 'open', 'overdue',
  'first_response_count', 'first_response_median_h', 'first_response_p90_h', 'first_response_max_h',
  'completion_count', 'completion_median_h', 'completion_p90_h', 'completion_max_h',
  'sla_decided', 'sla_on_time', 'sla_on_time_pct',
  'ikm_respondents', 'ikm', 'ikm_grade', 'ikm_quality',
  'sync_delay_count', 'sync_delay_median_h', 'sync_delay_p90_h', 'sync_delay_max_h',
];

function tableCsvRow(r: KpiTableRow & { label: string }): CsvCell[] {
  const q = r.requests;
  const ikm: IkmResult = r.ikm;
  return [
    r.key, r.label, q.received, q.open, q.overdue,
    ...summaryCells(q.firstResponse), ...summaryCells(q.completion),
    q.slaDecided, q.slaOnTime, round2(q.slaOnTimePct),
    ikm.respondents, ikm.ikm, ikm.grade, ikm.quality,
    ...summaryCells(r.syncDelay),
  ];
}

const openapi = (operationId: string, summary: string, description: string) => ({
  openapi: { operationId, summary, description: `${description} Add format=csv for the same rows as CSV (durations in hours).`, officerAuth: true },
});

// ---- routes --------------------------------------------------------------------------------

export const kpiRoute: FastifyPluginAsyncTypebox = async (app) => {
  async function tableRows(w: KpiWindow, by: TableGroup) {
    const [submissions, requests, skm] = await Promise.all([
      submissionRows(app.db, w),
      requestRows(app.db, w, REQUEST_FORMS),
      skmRows(app.db, app.dataKeys, w, SKM_FORM_ID),
    ]);
    return labelled(kpiTableRows(by, { submissions, requests, skm, skmFormId: SKM_FORM_ID }, w.at));
  }

  app.get(
    '/kpi/table',
    {
      schema: { querystring: groupQuery(TABLE_GROUPS), response: { 200: groupedEnvelopeOf(TableRowSchema, TABLE_GROUPS), ...officerErrors } },
      config: openapi(
        'kpiTable',
        'Request KPIs, IKM and sync delay per unit, service or period',
        'Received, open, overdue; median and p90 time to first response and to completion (ms); % within the SLA; IKM with grade; sync delay (ms). by: unit (default), service, month, quarter, year.',
      ),
    },
    async (request, reply) => {
      const w = windowOf(request);
      // Checked against TABLE_GROUPS by the query schema.
      const by = (request.query.by ?? 'unit') as TableGroup;
      const rows = await tableRows(w, by);
      if (request.query.format === 'csv') return sendCsv(reply, `kpi-${by}-${w.period}`, TABLE_CSV_HEADER, rows.map(tableCsvRow));
      return { ...w, by, rows };
    },
  );

  app.get(
    '/kpi/sync-delay',
    {
      schema: { querystring: groupQuery(SYNC_GROUPS), response: { 200: groupedEnvelopeOf(SyncRowSchema, SYNC_GROUPS), ...officerErrors } },
      config: openapi('kpiSyncDelay', 'Sync delay (filed on the device → received) by district or island', 'Count, median, p90 and max in ms. by: district (default) or island.'),
    },
    async (request, reply) => {
      const w = windowOf(request);
      const by = (request.query.by ?? 'district') as SyncGroup;
      const rows = labelled(syncDelayRows(by, await submissionRows(app.db, w)));
      if (request.query.format === 'csv') {
        return sendCsv(reply, `sync-delay-${by}-${w.period}`, ['key', 'label', 'count', 'median_h', 'p90_h', 'max_h'], rows.map((r) => [r.key, r.label, ...summaryCells(r)]));
      }
      return { ...w, by, rows };
    },
  );

  app.get(
    '/kpi/coklit',
    {
      schema: { querystring: groupQuery(COKLIT_GROUPS), response: { 200: groupedEnvelopeOf(CoverageRowSchema, COKLIT_GROUPS), ...officerErrors } },
      config: openapi(
        'kpiCoklit',
        'Coklit coverage: voters visited per TPS against the assigned lists, and what remains',
        'Coklit records received in the period against the TPS assignments. by: regency (default), district, village, tps.',
      ),
    },
    async (request, reply) => {
      const w = windowOf(request);
      const by = (request.query.by ?? 'regency') as CoklitGroup;
      const [assignments, counts] = await Promise.all([tpsAssignments(app.db, w.scope), coklitCounts(app.db, app.dialect, w, COKLIT_FORM_ID)]);
      const rows = labelled(coverageRows(by, tpsCoverage(assignments, counts)));
      if (request.query.format === 'csv') {
        return sendCsv(
          reply,
          `coklit-${by}-${w.period}`,
          ['key', 'label', 'tps', 'assigned', 'visited', 'new_voters', 'remaining', 'coverage_pct'],
          rows.map((r) => [r.key, r.label, r.tps, r.assigned, r.visited, r.newVoters, r.remaining, round2(r.coveragePct)]),
        );
      }
      return { ...w, by, rows };
    },
  );

  app.get(
    '/kpi/practice',
    {
      schema: {
        querystring: Type.Object({ format: windowQuery.format }),
        response: { 200: Type.Object({ scope: Type.String(), rows: Type.Array(PracticeRowSchema) }), ...officerErrors },
      },
      config: openapi(
        'kpiPractice',
        'Training progress: practice (latihan) submissions per officer and form',
        'All time, for the officers whose own region lies in the caller’s scope. Practice never counts in the other KPIs.',
      ),
    },
    async (request, reply) => {
      const officer = officerWith(request, 'inbox.list');
      const rows = withoutUsernames(
        officer,
        (await practiceProgress(app.db, officer.scope)).map((r) => ({ ...r, officerLabel: labelOf(r.officerScope) })),
      );
      if (request.query.format === 'csv') {
        return sendCsv(
          reply,
          'practice',
          ['username', 'display_name', 'officer_scope', 'officer_region', 'form_id', 'count', 'last_at'],
          rows.map((r) => [r.username ?? '', r.displayName, r.officerScope, r.officerLabel, r.formId, r.count, r.lastAt]),
        );
      }
      return { scope: officer.scope, rows };
    },
  );

  app.get(
    '/kpi/form-versions',
    {
      schema: {
        querystring: Type.Object({ region: windowQuery.region, format: windowQuery.format }),
        response: { 200: Type.Object({ scope: Type.String(), rows: Type.Array(VersionRowSchema) }), ...officerErrors },
      },
      config: openapi(
        'kpiFormVersions',
        'Officers’ devices still holding an old form or SOP version',
        'From the versions each officer’s device reports on its pulls: every form or SOP it holds below the current version, or lacks (version 0). For the officers whose own region lies in the caller’s scope (narrowed by region). Not tied to a period: what the devices hold now.',
      ),
    },
    async (request, reply) => {
      const officer = officerWith(request, 'inbox.list');
      const scope = askedScope(officer.scope, request.query.region);
      const [held, forms, sops] = await Promise.all([heldVersionRows(app.db, scope), app.repos.forms.reload(), loadCurrentSops(app.db)]);
      const current = currentFormVersions(forms.map((f) => ({ formId: f.definition.formId, version: f.definition.version, retired: f.retiredAt !== null })));
      const titles = new Map<string, string>();
      for (const f of forms) if (current.get(f.definition.formId) === f.definition.version) titles.set(f.definition.formId, f.definition.title.id);
      for (const sop of sops) {
        current.set(sopItem(sop.sopId), sop.version);
        titles.set(sopItem(sop.sopId), sop.title.id);
      }
      const all = [...groupBy(held, (r) => r.deviceId).values()].flatMap((reported) => {
        const { item: _item, version: _version, ...device } = reported[0]!;
        return itemsBehind(reported, current).map((r) => ({
          ...device,
          ...r,
          officerLabel: labelOf(device.officerScope),
          regencyLabel: labelOf(device.officerScope.slice(0, 5)),
          kind: isSopItem(r.item) ? ('sop' as const) : ('form' as const),
          title: titles.get(r.item) ?? r.item,
        }));
      });
      const rows = withoutUsernames(officer, all);
      if (request.query.format === 'csv') {
        return sendCsv(
          reply,
          'form-versions',
          ['device_id', 'device_label', 'username', 'display_name', 'officer_scope', 'officer_region', 'regency', 'kind', 'item', 'title', 'held_version', 'current_version', 'last_seen'],
          rows.map((r) => [r.deviceId, r.deviceLabel, r.username ?? '', r.displayName, r.officerScope, r.officerLabel, r.regencyLabel, r.kind, r.item, r.title, r.version, r.current, r.reportedAt]),
        );
      }
      return { scope, rows };
    },
  );

  app.get(
    '/kpi/ranking',
    {
      schema: { querystring: Type.Object(windowQuery), response: { 200: envelopeOf(RankingRowSchema), ...officerErrors } },
      config: openapi(
        'kpiRanking',
        'Ranking of units for the period (reward and punishment)',
        'Each unit ranked on % within the SLA, median time to first response and IKM; composite = mean rank (docs/kpi.md).',
      ),
    },
    async (request, reply) => {
      const w = windowOf(request);
      const rows = rankingRows(await tableRows(w, 'unit')).map((r) => ({ ...r, label: labelOf(r.unit) }));
      if (request.query.format === 'csv') {
        return sendCsv(
          reply,
          `ranking-${w.period}`,
          ['position', 'unit', 'label', 'composite', 'rank_sla', 'rank_first_response', 'rank_ikm', 'sla_on_time_pct', 'first_response_median_h', 'ikm'],
          rows.map((r) => [
            r.position, r.unit, r.label, round2(r.composite), r.ranks.slaOnTimePct, r.ranks.medianFirstResponseMs, r.ranks.ikm,
            round2(r.slaOnTimePct), hours(r.medianFirstResponseMs), r.ikm,
          ]),
        );
      }
      return { ...w, rows };
    },
  );
};
