// GET /api/v1/registers/:kind: the PPID register of information requests (permohonan) or of
// keberatan for a period and a region in the caller's scope. As JSON (one page, for the officer
// screen: roles that may read requests, each read audited as register.read) or as XLSX / CSV (the
// whole period streamed: roles that may export, audited as submission.export). The rows carry
// personal data, so the region is checked here and applied in SQL like every inbox read.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { REGISTER_KINDS, REGISTER_TITLE, registerCells, registerColumns, type RegisterKind } from '../../core/registers/ppid.ts';
import { PERIOD_PATTERN, REGION_PATTERN } from '../../core/kpi/periods.ts';
import { officerWith } from '../auth/officer.ts';
import { officerErrors } from '../auth/schemas.ts';
import type { CsvSeparator } from '../http/csv.ts';
import { appendAudit } from '../repositories/audit-log.ts';
import { mapPages, streamCsv, streamXlsx } from '../services/exports.ts';
import { registerPage, registerPages } from '../services/registers.ts';
import { exportDeps, exportWindow, sendStream, XLSX_TYPE } from './exports.ts';

const RegisterParamsSchema = Type.Object({ kind: Type.Union([Type.Literal(REGISTER_KINDS[0]), Type.Literal(REGISTER_KINDS[1])]) });

const RegisterQuerySchema = Type.Object({
  period: Type.Optional(Type.String({ pattern: PERIOD_PATTERN, description: "WIB period: '2026', '2026-Q2' or '2026-03'; default the current month" })),
  region: Type.Optional(Type.String({ pattern: REGION_PATTERN, description: 'A region inside the caller’s scope; the caller’s own by default' })),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('csv')], { description: 'json (default, one page), xlsx or csv (the whole period)' })),
  sep: Type.Optional(Type.Union([Type.Literal('comma'), Type.Literal('semicolon')], { description: 'CSV separator; comma by default' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
});

const Cell = Type.Union([Type.String(), Type.Number(), Type.Null()]);
const RegisterPageSchema = Type.Object({
  kind: Type.String(),
  title: Type.String(),
  period: Type.String(),
  scope: Type.String(),
  columns: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
  rows: Type.Array(Type.Record(Type.String(), Cell)),
  more: Type.Boolean(),
});

export const registersRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/registers/:kind',
    {
      schema: { params: RegisterParamsSchema, querystring: RegisterQuerySchema, response: { 200: RegisterPageSchema, ...officerErrors } },
      config: {
        openapi: {
          operationId: 'readRegister',
          summary: 'The PPID register of requests or of keberatan for a period and region (audited)',
          description:
            'Columns after the Komisi Informasi’s service standard: number, date, requester and contact, information requested, purpose, ' +
            'how it is delivered, decision, date answered, reason for refusal, keberatan. format=json gives one page (limit, offset); ' +
            'xlsx and csv the whole period, streamed.',
          officerAuth: true,
        },
      },
    },
    async (request, reply) => {
      const kind: RegisterKind = request.params.kind;
      const q = request.query;
      const format = q.format ?? 'json';
      const officer = officerWith(request, format === 'json' ? 'inbox.read' : 'submissions.export');
      const w = exportWindow(officer, q);
      const deps = exportDeps(app);
      const columns = registerColumns(kind);
      const audit = (action: 'register.read' | 'submission.export', detail: Record<string, string | number>) =>
        app.db.transaction().execute((trx) =>
          appendAudit(trx, app.dialect, { actorId: officer.accountId, actorRole: officer.role, action, subject: w.scope, regionCode: w.scope, detail }),
        );
      if (format === 'json') {
        const limit = q.limit ?? 100;
        const page = await registerPage(deps, w, kind, q.offset ?? 0, limit);
        await audit('register.read', { kind, period: w.period, offset: q.offset ?? 0, count: page.rows.length });
        reply.header('cache-control', 'no-store');
        return { kind, title: REGISTER_TITLE[kind], period: w.period, scope: w.scope, columns: [...columns], rows: page.rows, more: page.more };
      }
      await audit('submission.export', { kind: `register-${kind}`, format, period: w.period });
      const headers = columns.map((c) => c.label);
      const rows = () => mapPages(registerPages(deps, w, kind), (row) => [registerCells(kind, row)]);
      const base = `register-${kind}-${w.scope}-${w.period}`;
      if (format === 'xlsx') {
        return sendStream(app, reply, XLSX_TYPE, `${base}.xlsx`, (out) => streamXlsx(out, [{ name: `Register ${kind}`, headers, pages: rows }]));
      }
      const separator: CsvSeparator = q.sep === 'semicolon' ? ';' : ',';
      return sendStream(app, reply, 'text/csv; charset=utf-8', `${base}.csv`, (out) => streamCsv(out, headers, rows(), separator));
    },
  );
};
