// Coklit assignments: the province admin or a regency operator uploads voter lists per TPS as CSV
// (POST /assignments); the Pantarlih or PPS of a village downloads that village's lists to work
// offline (GET /assignments, audited). Scope is checked on every line and on every download: a
// village outside the caller's region is refused like one without a list.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { covers } from '../../core/auth/scope.ts';
import { MAX_LIST_BYTES, MAX_LIST_VOTERS, parseVoterList } from '../../core/assignments/voter-list.ts';
import { localDate } from '../../core/calendar/working-days.ts';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';
import { REGION_CATALOG } from '../../core/regions/catalog.generated.ts';
import { levelOf } from '../../core/regions/lookup.ts';
import { officerWith } from '../auth/officer.ts';
import { officerErrors } from '../auth/schemas.ts';
import { ApiError } from '../http/api-error.ts';
import { readVillageLists, replaceTpsLists } from '../repositories/assignments.ts';
import { syncMatchKeys } from '../repositories/voter-duplicates.ts';

const VoterSchema = Type.Object({
  desa: Type.String(),
  tps: Type.String(),
  nik: Type.String(),
  kk: Type.String(),
  nama: Type.String(),
  jenisKelamin: Type.Union([Type.Literal('L'), Type.Literal('P')]),
  tempatLahir: Type.String(),
  tanggalLahir: Type.String(),
  alamat: Type.String(),
  rt: Type.String(),
  rw: Type.Optional(Type.String()),
  // The voter's record (issue #13): the key and version a coklit visit is based on, and its outcome so far.
  record: Type.Optional(
    Type.Object({
      id: Type.String(),
      version: Type.Integer(),
      outcome: Type.Union([Type.String(), Type.Null()]),
      tmsCode: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const AssignmentSchema = Type.Object({
  village: Type.String(),
  downloadedAt: Type.String(),
  lists: Type.Array(Type.Object({ tps: Type.String(), uploadedAt: Type.String(), voters: Type.Array(VoterSchema) })),
});

const UploadAnswerSchema = Type.Object({
  lists: Type.Array(Type.Object({ village: Type.String(), tps: Type.String(), voters: Type.Integer() })),
  voters: Type.Integer(),
});

const InvalidListSchema = Type.Object({
  error: Type.String(),
  message: Type.String(),
  problems: Type.Array(Type.Object({ line: Type.Integer(), column: Type.Optional(Type.String()), message: Type.String() })),
  problemCount: Type.Integer(),
});

const AssignmentQuerySchema = Type.Object({
  /** A village code; the caller's own village when left out. */
  village: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  tps: Type.Optional(Type.String({ pattern: '^\\d{3}$' })),
});

export const assignmentsRoute: FastifyPluginAsyncTypebox = async (app) => {
  // Only this plugin reads CSV bodies; every other route stays JSON-only.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_LIST_BYTES }, (_request, body, done) => done(null, body));

  app.post(
    '/assignments',
    {
      bodyLimit: MAX_LIST_BYTES,
      schema: {
        body: Type.String({ maxLength: MAX_LIST_BYTES }),
        response: { 200: UploadAnswerSchema, ...officerErrors, 413: ErrorResponseSchema, 415: ErrorResponseSchema, 422: InvalidListSchema },
      },
      config: {
        openapi: {
          operationId: 'uploadVoterLists',
          summary: 'Upload voter lists per TPS (CSV) for villages in the caller’s region',
          description:
            `Content-Type: text/csv, at most ${MAX_LIST_BYTES} bytes and ${MAX_LIST_VOTERS} voters. A header line names the columns ` +
            'desa, tps, nik, kk, nama, jenisKelamin, tempatLahir, tanggalLahir, alamat, rt and optionally rw. Each TPS in the file ' +
            'gets the file’s voters as its whole list; a file with any invalid line is refused whole (422, each problem with its line).',
          officerAuth: true,
          bodyType: 'text/csv',
        },
      },
    },
    async (request, reply) => {
      const officer = officerWith(request, 'assignments.manage');
      const now = new Date().toISOString();
      const parsed = parseVoterList(request.body, { catalog: REGION_CATALOG, scope: officer.scope, today: localDate(now) });
      if (!parsed.ok) {
        // Answered here rather than thrown: the error handler's answers carry no list.
        const message = `Daftar pemilih ditolak: ${parsed.problemCount} masalah; perbaiki baris yang disebut lalu unggah lagi.`;
        return reply.code(422).send({ error: 'invalid_lines', message, problems: parsed.problems, problemCount: parsed.problemCount });
      }
      const lists = await replaceTpsLists(app.db, app.dialect, app.dataKeys, parsed.voters, { actorId: officer.accountId, actorRole: officer.role }, now);
      // Pemilih ganda: the uploaded villages' records get their blind keys now (the search would catch up, later).
      await syncMatchKeys(app.db, app.dataKeys, now, { villages: [...new Set(lists.map((l) => l.village))] });
      return { lists, voters: parsed.voters.length };
    },
  );

  app.get(
    '/assignments',
    {
      schema: { querystring: AssignmentQuerySchema, response: { 200: AssignmentSchema, ...officerErrors } },
      config: {
        openapi: {
          operationId: 'downloadAssignment',
          summary: 'The voter lists of a village in the caller’s region, to work offline (the download is audited)',
          description: 'Lists are empty where none was uploaded: coklit records then start blank.',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'assignments.download');
      const village = request.query.village ?? officer.scope;
      if (levelOf(village) !== 'village') throw new ApiError(400, 'village_required', 'village: a village code such as 19.01.01.1001');
      if (!covers(officer.scope, village)) throw new ApiError(404, 'not_found', 'No such village in your region');
      const now = new Date().toISOString();
      const lists = await readVillageLists(app.db, app.dialect, app.dataKeys, {
        village,
        ...(request.query.tps !== undefined ? { tps: request.query.tps } : {}),
        by: { actorId: officer.accountId, actorRole: officer.role },
        now,
      });
      return { village, downloadedAt: now, lists };
    },
  );
};
