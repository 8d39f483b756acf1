// Voter records (issue #13) for staff: the Konflik queue (both sides field by field, resolved by a
// PPS, PPK or regency/province operator in scope, audited), a record's history, the coklit recap
// per TPS up to the province (counts only; JSON or CSV) and the updated list of a TPS as CSV
// (personal data: audited). Scope is checked on every call: another region answers 404.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { covers } from '../../core/auth/scope.ts';
import { VOTER_LIST_COLUMNS } from '../../core/assignments/voter-list.ts';
import { COKLIT_TMS_PILKADA } from '../../core/forms/catalog/common.ts';
import { RECAP_LEVELS, rollUp, type RecapRow } from '../../core/voters/recap.ts';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';
import { officerWith } from '../auth/officer.ts';
import { officerErrors } from '../auth/schemas.ts';
import { ApiError } from '../http/api-error.ts';
import { toCsv, type CsvCell } from '../http/csv.ts';
import { appendAudit } from '../repositories/audit-log.ts';
import { openRecord, readListRecords } from '../repositories/voter-records.ts';
import { recapPerTps } from '../repositories/voter-recap.ts';
import { listConflicts, recordHistory, resolveVoterConflict } from '../repositories/voter-updates.ts';
import { readRecord } from '../repositories/voter-records.ts';

const ScopeQuery = Type.String({ pattern: '^19(\\.\\d{2}(\\.\\d{2}(\\.\\d{4})?)?)?$' });
const Loose = Type.Record(Type.String(), Type.Unknown());
const StateSchema = Type.Object({ recordId: Type.String(), version: Type.Integer(), data: Loose, outcome: Type.Union([Type.String(), Type.Null()]), tmsCode: Type.Union([Type.String(), Type.Null()]) });
const ConflictSchema = Type.Object({
  id: Type.String(),
  recordId: Type.String(),
  village: Type.String(),
  tps: Type.String(),
  baseVersion: Type.Union([Type.Integer(), Type.Null()]),
  currentVersion: Type.Integer(),
  incomingKind: Type.String(),
  status: Type.String(),
  resolution: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  current: StateSchema,
  incoming: StateSchema,
  fields: Type.Array(Type.Object({ field: Type.String(), current: Type.Unknown(), incoming: Type.Unknown() })),
});
const ResolveBody = Type.Object(
  {
    resolution: Type.Union([Type.Literal('current'), Type.Literal('incoming'), Type.Literal('merge'), Type.Literal('field')]),
    /** For merge: per differing field, the side to keep (the current side where left out). */
    pick: Type.Optional(Type.Record(Type.String({ maxLength: 32 }), Type.Union([Type.Literal('current'), Type.Literal('incoming')]), { maxProperties: 40 })),
  },
  { additionalProperties: false },
);
const RecapRowSchema = Type.Object({
  key: Type.String(),
  listed: Type.Integer(),
  visited: Type.Integer(),
  sesuai: Type.Integer(),
  ubah: Type.Integer(),
  baru: Type.Integer(),
  tms: Type.Integer(),
  tmsByCode: Type.Record(Type.String(), Type.Integer()),
  male: Type.Integer(),
  female: Type.Integer(),
  disabled: Type.Integer(),
  openConflicts: Type.Integer(),
  openDuplicates: Type.Union([Type.Integer(), Type.Null()]),
});

function csv(reply: FastifyReply, name: string, header: readonly string[], rows: readonly (readonly CsvCell[])[]) {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(header, rows));
}

const TMS_CODES = COKLIT_TMS_PILKADA.map((c) => c.value);

export function recapCsv(rows: readonly RecapRow[]): { header: string[]; rows: CsvCell[][] } {
  const header = ['wilayah', 'terdaftar', 'dikunjungi', 'sesuai', 'ubah', 'baru', 'tms', ...TMS_CODES.map((c) => `tms_${c}`), 'laki_laki', 'perempuan', 'disabilitas', 'konflik_terbuka', 'ganda_terbuka'];
  return {
    header,
    rows: rows.map((r) => [r.key, r.listed, r.visited, r.sesuai, r.ubah, r.baru, r.tms, ...TMS_CODES.map((c) => r.tmsByCode[c] ?? 0), r.male, r.female, r.disabled, r.openConflicts, r.openDuplicates ?? '']),
  };
}

export const votersRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/voters/conflicts',
    {
      schema: { querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])) }), response: { 200: Type.Object({ conflicts: Type.Array(ConflictSchema) }), ...officerErrors } },
      config: { openapi: { operationId: 'listVoterConflicts', summary: 'The Konflik queue in the caller’s region: both sides of each conflict, field by field (audited)', officerAuth: true } },
    },
    async (request) => {
      const officer = officerWith(request, 'voters.resolve');
      const conflicts = await listConflicts(app.db, app.dataKeys, { scope: officer.scope, ...(request.query.status ? { status: request.query.status } : {}) });
      if (conflicts.length > 0) {
        await app.db.transaction().execute((trx) =>
          appendAudit(trx, app.dialect, { actorId: officer.accountId, actorRole: officer.role, action: 'voters.export', subject: 'conflicts', regionCode: officer.scope, detail: { conflicts: conflicts.length } }),
        );
      }
      // VoterData is a closed interface; the schema sends its fields as they are.
      return { conflicts: conflicts.map((c) => ({ ...c, current: { ...c.current, data: { ...c.current.data } }, incoming: { ...c.incoming, data: { ...c.incoming.data } } })) };
    },
  );

  app.post(
    '/voters/conflicts/:id/resolve',
    {
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^[a-f0-9]{32}$' }) }),
        body: ResolveBody,
        response: { 200: Type.Object({ version: Type.Integer() }), ...officerErrors, 409: ErrorResponseSchema },
      },
      config: { openapi: { operationId: 'resolveVoterConflict', summary: 'Resolve a conflict: take one side, merge per field, or send back to the field (audited)', officerAuth: true } },
    },
    async (request) => {
      const officer = officerWith(request, 'voters.resolve');
      const { resolution, pick } = request.body;
      const result = await resolveVoterConflict(app.db, app.dialect, app.dataKeys, {
        id: request.params.id,
        scope: officer.scope,
        resolution: resolution === 'merge' ? { kind: 'merge', pick: (pick ?? {}) as Record<string, 'current' | 'incoming'> } : { kind: resolution },
        by: { actorId: officer.accountId, actorRole: officer.role },
        now: new Date().toISOString(),
      });
      if (!result.ok && result.error === 'not_found') throw new ApiError(404, 'not_found', 'No such conflict in your region');
      if (!result.ok) throw new ApiError(409, 'resolved', 'Konflik ini sudah diselesaikan.');
      return { version: result.version };
    },
  );

  app.get(
    '/voters/records/:id/history',
    {
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^[a-f0-9]{32}$' }) }),
        response: {
          200: Type.Object({
            history: Type.Array(
              Type.Object({ version: Type.Union([Type.Integer(), Type.Null()]), kind: Type.String(), outcome: Type.Union([Type.String(), Type.Null()]), submissionId: Type.Union([Type.String(), Type.Null()]), actorRole: Type.String(), at: Type.String() }),
            ),
          }),
          ...officerErrors,
        },
      },
      config: { openapi: { operationId: 'voterRecordHistory', summary: 'A voter record’s history (no personal data): changes, linked tanggapan DPS, conflicts, resolutions', officerAuth: true } },
    },
    async (request) => {
      const officer = officerWith(request, 'voters.recap');
      const row = await readRecord(app.db, request.params.id);
      if (!row || !covers(officer.scope, row.village)) throw new ApiError(404, 'not_found', 'No such record in your region');
      return { history: await recordHistory(app.db, row.recordId) };
    },
  );

  app.get(
    '/voters/recap',
    {
      schema: {
        querystring: Type.Object({
          scope: Type.Optional(ScopeQuery),
          level: Type.Optional(Type.Union(RECAP_LEVELS.map((l) => Type.Literal(l)))),
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
        }),
        response: { 200: Type.Object({ scope: Type.String(), level: Type.String(), rows: Type.Array(RecapRowSchema), total: RecapRowSchema }), ...officerErrors },
      },
      config: { openapi: { operationId: 'voterRecap', summary: 'Coklit recap per TPS, village, district, regency or province in the caller’s region (counts only; format=csv)', officerAuth: true } },
    },
    async (request, reply) => {
      const officer = officerWith(request, 'voters.recap');
      const scope = request.query.scope ?? officer.scope;
      if (!covers(officer.scope, scope)) throw new ApiError(404, 'not_found', 'No such region in your scope');
      const level = request.query.level ?? 'tps';
      const perTps = await recapPerTps(app.db, scope);
      const rows = rollUp(perTps, level);
      const totalRow = { ...(rollUp(perTps, 'province')[0] ?? emptyRow(scope)), key: scope };
      if (request.query.format === 'csv') {
        const table = recapCsv([...rows, { ...totalRow, key: `jumlah ${scope}` }]);
        return csv(reply, `rekap-coklit-${scope}-${level}`, table.header, table.rows);
      }
      return { scope, level, rows, total: totalRow };
    },
  );

  app.get(
    '/voters/list.csv',
    {
      schema: { querystring: Type.Object({ village: Type.String({ pattern: '^19\\.\\d{2}\\.\\d{2}\\.\\d{4}$' }), tps: Type.String({ pattern: '^\\d{3}$' }) }), response: { ...officerErrors } },
      config: { openapi: { operationId: 'updatedVoterList', summary: 'The updated list of one TPS as CSV: the upload’s columns plus the coklit outcome (audited)', officerAuth: true } },
    },
    async (request, reply) => {
      const officer = officerWith(request, 'voters.resolve');
      const { village, tps } = request.query;
      if (!covers(officer.scope, village)) throw new ApiError(404, 'not_found', 'No such village in your region');
      const records = await readListRecords(app.db, village, tps);
      if (records.length === 0) throw new ApiError(404, 'not_found', 'No list for this TPS');
      await app.db.transaction().execute((trx) =>
        appendAudit(trx, app.dialect, { actorId: officer.accountId, actorRole: officer.role, action: 'voters.export', subject: `${village}/${tps}`, regionCode: village, detail: { voters: records.length } }),
      );
      const rows: CsvCell[][] = [];
      for (const r of records) {
        const v = (await openRecord(app.dataKeys, r)) as unknown as Record<string, CsvCell>;
        rows.push([...VOTER_LIST_COLUMNS.map((c) => v[c]), r.outcome ?? 'belum', r.tmsCode ?? '', r.origin, r.version, r.recordId]);
      }
      return csv(reply, `daftar-${village}-${tps}`, [...VOTER_LIST_COLUMNS, 'hasil', 'kode_tms', 'asal', 'versi', 'record_id'], rows);
    },
  );
};

function emptyRow(scope: string): RecapRow {
  return { key: scope, listed: 0, visited: 0, sesuai: 0, ubah: 0, baru: 0, tms: 0, tmsByCode: {}, male: 0, female: 0, disabled: 0, openConflicts: 0, openDuplicates: null };
}
