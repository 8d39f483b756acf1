// GET /api/v1/exports/submissions: a period's submissions in the caller's region as XLSX or CSV,
// personal data included, for the staff who may export (submissions.export). The region is the
// caller's own or one inside it (403 otherwise), checked here and applied in SQL. Each export is
// written to the audit log (who, which period, region, service, format and how many submissions)
// before the first byte leaves, so an export cut off midway is still on record.
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PERIOD_PATTERN, REGION_PATTERN, periodOf, periodRange } from '../../core/kpi/periods.ts';
import { askedScope, officerWith, type Officer } from '../auth/officer.ts';
import { officerErrors } from '../auth/schemas.ts';
import { ApiError } from '../http/api-error.ts';
import type { CsvSeparator } from '../http/csv.ts';
import { appendAudit } from '../repositories/audit-log.ts';
import { versionsInWindow, type ExportWindow } from '../repositories/exports.ts';
import { csvColumns, writeCsv, writeXlsx, type ExportDeps } from '../services/exports.ts';
import type { FastifyInstance, FastifyReply } from 'fastify';

const FORM_ID = '^[a-z0-9][a-z0-9-]{0,63}$';

export const ExportQuerySchema = Type.Object({
  period: Type.Optional(Type.String({ pattern: PERIOD_PATTERN, description: "WIB period: '2026', '2026-Q2' or '2026-03'; default the current month" })),
  region: Type.Optional(Type.String({ pattern: REGION_PATTERN, description: 'A region inside the caller’s scope; the caller’s own by default' })),
  form: Type.Optional(Type.String({ pattern: FORM_ID, description: 'One service (formId); XLSX: every service when absent; CSV: required' })),
  version: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'One form version only' })),
  group: Type.Optional(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]{0,63}$', description: 'CSV: the rows of this repeat group instead of the submissions' })),
  format: Type.Optional(Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { description: 'xlsx (default) or csv' })),
  sep: Type.Optional(Type.Union([Type.Literal('comma'), Type.Literal('semicolon')], { description: 'CSV separator; comma by default' })),
});

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The period and region an export or register asks for, once the caller may see that region. */
export function exportWindow(officer: Officer, q: { period?: string; region?: string }): ExportWindow & { period: string } {
  const period = q.period ?? periodOf(new Date().toISOString(), 'month');
  return { scope: askedScope(officer.scope, q.region), ...periodRange(period), period };
}

export function exportDeps(app: FastifyInstance): ExportDeps {
  return { db: app.db, forms: app.repos.forms, keys: app.dataKeys };
}

/**
 * Starts a download: headers now, then `write` fills the stream. A failure midway ends the
 * download broken (the file will not open), and is logged without any row's content.
 */
export function sendStream(app: FastifyInstance, reply: FastifyReply, type: string, filename: string, write: (out: PassThrough) => Promise<unknown>) {
  const out = new PassThrough();
  write(out)
    .then(() => out.end())
    .catch((err: unknown) => {
      app.log.error({ err: err instanceof Error ? err.name : 'error' }, 'export failed midway');
      out.destroy(err instanceof Error ? err : new Error('export failed'));
    });
  return reply.type(type).header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${filename}"`).send(out);
}

export const exportsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/exports/submissions',
    {
      schema: { querystring: ExportQuerySchema, response: { ...officerErrors } },
      config: {
        openapi: {
          operationId: 'exportSubmissions',
          summary: 'A period’s submissions in the caller’s region as XLSX or CSV (audited)',
          description:
            'XLSX: one sheet per form version, each repeat group on its own sheet with the submission id; headers in Indonesian; ' +
            'review status included. CSV: one service (form), its versions’ columns united, or one repeat group (group); UTF-8 with a ' +
            'byte-order mark; sep=semicolon for Excel under Indonesian settings. Streamed; every export is audited (submission.export).',
          officerAuth: true,
        },
      },
    },
    async (request, reply) => {
      const officer = officerWith(request, 'submissions.export');
      const q = request.query;
      const w = exportWindow(officer, q);
      const format = q.format ?? 'xlsx';
      if (format === 'csv' && q.form === undefined) throw new ApiError(400, 'form_required', 'form: a CSV holds one service; name it');
      if (format === 'xlsx' && q.group !== undefined) throw new ApiError(400, 'group_csv_only', 'group: an XLSX holds every repeat group already');
      let versions = await versionsInWindow(app.db, w, q.form);
      if (q.version !== undefined) versions = versions.filter((v) => v.formVersion === q.version);
      const separator: CsvSeparator = q.sep === 'semicolon' ? ';' : ',';
      let columns: Awaited<ReturnType<typeof csvColumns>>;
      const plan = format === 'csv' ? { formId: q.form!, separator, ...(q.version !== undefined ? { formVersion: q.version } : {}), ...(q.group !== undefined ? { group: q.group } : {}) } : undefined;
      if (plan) {
        // A service with nothing in the period still gets its header line, from its published versions.
        const published = (await app.repos.forms.all())
          .filter((f) => f.definition.formId === plan.formId)
          .map((f) => ({ formId: plan.formId, formVersion: f.definition.version, count: 0 }));
        columns = await csvColumns(app.repos.forms, { ...plan, versions: versions.length > 0 ? versions : published });
        if (!columns) throw new ApiError(404, 'not_found', 'No such service, version or repeat group');
      }
      const count = versions.reduce((n, v) => n + v.count, 0);
      await app.db.transaction().execute((trx) => appendAudit(trx, app.dialect, {
        actorId: officer.accountId,
        actorRole: officer.role,
        action: 'submission.export',
        subject: w.scope,
        regionCode: w.scope,
        detail: { kind: 'submissions', format, period: w.period, form: q.form ?? null, version: q.version ?? null, group: q.group ?? null, count },
      }));
      const base = `pengajuan-${q.form ?? 'semua'}${q.version !== undefined ? `-v${q.version}` : ''}${q.group ? `-${q.group}` : ''}-${w.scope}-${w.period}`;
      const deps = exportDeps(app);
      if (format === 'xlsx') return sendStream(app, reply, XLSX_TYPE, `${base}.xlsx`, (out) => writeXlsx(deps, w, versions, out));
      return sendStream(app, reply, 'text/csv; charset=utf-8', `${base}.csv`, (out) => writeCsv(deps, w, { ...plan!, versions }, columns!, out));
    },
  );
};
