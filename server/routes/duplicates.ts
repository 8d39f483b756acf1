// Pemilih ganda: the pairs of voter records the duplicate search found, for the staff whose region
// one of the two records lies in (PPS, PPK, regency operator, province), and their decision on
// each: ganda (one record, in the caller's region, gets the TMS-ganda outcome) or bukan ganda.
// Every page of pairs opens both records, so each is audited; a decided pair answers 409 with its
// decision, never asked twice. The province starts a search over the whole list (POST …/search);
// `npm run jangkau -- find-duplicates` does the same from a shell.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';
import { PROVINCE_CODE } from '../../core/regions.ts';
import { officerWith } from '../auth/officer.ts';
import { officerErrors } from '../auth/schemas.ts';
import { ApiError } from '../http/api-error.ts';
import { decidePair, listPairs, openPairsPerTps, searchDuplicates } from '../repositories/voter-duplicates.ts';
import { registerDuplicateCounts } from '../repositories/voter-recap.ts';
import { readRecord } from '../repositories/voter-records.ts';
import { applyRecordUpdate } from '../repositories/voter-updates.ts';

/** The TMS code for a voter listed twice (ganda) in the election's code list (core/forms/catalog/common.ts). */
const TMS_GANDA = '2';

const CardSchema = Type.Object({
  key: Type.String(),
  nik: Type.String(),
  nama: Type.String(),
  tanggalLahir: Type.String(),
  desa: Type.String(),
  tps: Type.String(),
  kk: Type.String(),
  jenisKelamin: Type.Optional(Type.String()),
});

const KindSchema = Type.Union([Type.Literal('nik'), Type.Literal('nama-lahir'), Type.Literal('mirip')]);
const StatusSchema = Type.Union([Type.Literal('terbuka'), Type.Literal('ganda'), Type.Literal('bukan_ganda')]);

const PairSchema = Type.Object({
  id: Type.String(),
  kind: KindSchema,
  score: Type.Integer(),
  status: StatusSchema,
  foundAt: Type.String(),
  decidedAt: Type.Optional(Type.String()),
  tmsKey: Type.Optional(Type.String()),
  a: CardSchema,
  b: CardSchema,
});

const ListSchema = Type.Object({ pairs: Type.Array(PairSchema), open: Type.Integer(), next: Type.Optional(Type.String()) });

const DecisionSchema = Type.Object(
  {
    keputusan: Type.Union([Type.Literal('ganda'), Type.Literal('bukan_ganda')]),
    /** With ganda: the key of the record that gets the TMS-ganda outcome (one of the pair). */
    tms: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

const SearchSchema = Type.Object({
  records: Type.Integer(),
  indexed: Type.Integer(),
  found: Type.Integer(),
  byKind: Type.Object({ nik: Type.Integer(), 'nama-lahir': Type.Integer(), mirip: Type.Integer() }),
  opened: Type.Integer(),
  closed: Type.Integer(),
  cardsOpened: Type.Integer(),
  blocksCompared: Type.Integer(),
});

const REFUSALS: Readonly<Record<string, readonly [number, string, string]>> = {
  not_found: [404, 'not_found', 'No such pair in your region'],
  already_decided: [409, 'already_decided', 'Pasangan ini sudah diputuskan; keputusan tidak diminta dua kali.'],
  tms_not_in_pair: [400, 'tms_required', 'keputusan ganda: tms must name one of the two records'],
  tms_out_of_scope: [403, 'tms_out_of_scope', 'Catatan yang ditandai TMS ganda harus di wilayah Anda.'],
};

export const duplicatesRoute: FastifyPluginAsyncTypebox = async (app) => {
  // The coklit recap's duplicates column: open pairs per TPS.
  registerDuplicateCounts(openPairsPerTps);
  app.get(
    '/voters/duplicates',
    {
      schema: {
        querystring: Type.Object({
          status: Type.Optional(StatusSchema),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          after: Type.Optional(Type.String({ pattern: '^\\d{1,3}:[0-9A-Z]{26}$' })),
        }),
        response: { 200: ListSchema, ...officerErrors },
      },
      config: {
        openapi: {
          operationId: 'listDuplicatePairs',
          summary: 'Pemilih ganda: pairs touching the caller’s region, surest first, with both records (audited)',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'voters.resolve');
      return listPairs(app.db, app.dialect, app.dataKeys, {
        scope: officer.scope,
        status: request.query.status ?? 'terbuka',
        limit: request.query.limit ?? 20,
        ...(request.query.after !== undefined ? { after: request.query.after } : {}),
        by: { actorId: officer.accountId, actorRole: officer.role },
        now: new Date().toISOString(),
      });
    },
  );

  app.post(
    '/voters/duplicates/:id/decision',
    {
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^[0-9A-Z]{26}$' }) }),
        body: DecisionSchema,
        response: {
          200: Type.Object({
            id: Type.String(),
            status: StatusSchema,
            tmsKey: Type.Optional(Type.String()),
            /** What the TMS-ganda update did to the voter record: applied, same, conflict (a Konflik opened), … */
            record: Type.Optional(Type.String()),
          }),
          ...officerErrors,
          409: ErrorResponseSchema,
        },
      },
      config: {
        openapi: {
          operationId: 'decideDuplicatePair',
          summary: 'Decide a pair ganda (one record in the caller’s region becomes TMS ganda) or bukan ganda; a decided pair answers 409',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'voters.resolve');
      const result = await decidePair(app.db, app.dialect, {
        id: request.params.id,
        decision: request.body.keputusan,
        ...(request.body.tms !== undefined ? { tmsKey: request.body.tms } : {}),
        scope: officer.scope,
        by: { actorId: officer.accountId, actorRole: officer.role },
        now: new Date().toISOString(),
      });
      if (!result.ok) {
        const [status, code, message] = REFUSALS[result.reason]!;
        throw new ApiError(status, code, message);
      }
      // Ganda: the chosen record gets the TMS-ganda outcome through the records' own update path
      // (versioned, in its history; a change made meanwhile opens a Konflik rather than being overwritten).
      let record: string | undefined;
      if (result.tmsKey) {
        const row = await readRecord(app.db, result.tmsKey);
        if (row) {
          const applied = await applyRecordUpdate(app.db, app.dialect, app.dataKeys, {
            update: { recordId: row.recordId, baseVersion: row.version, kind: 'staff', outcome: 'tms', tmsCode: TMS_GANDA },
            by: { actorId: officer.accountId, actorRole: officer.role },
            scope: officer.scope,
            now: new Date().toISOString(),
          });
          record = applied.status;
        }
      }
      return { id: request.params.id, status: result.status, ...(result.tmsKey ? { tmsKey: result.tmsKey } : {}), ...(record ? { record } : {}) };
    },
  );

  app.post(
    '/voters/duplicates/search',
    {
      schema: { response: { 200: SearchSchema, ...officerErrors } },
      config: {
        openapi: {
          operationId: 'searchDuplicates',
          summary: 'Search the whole province’s voter records for duplicate pairs (province staff); decided pairs stay decided',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'voters.resolve');
      // One search covers the province: only province staff start it.
      if (officer.scope !== PROVINCE_CODE) throw new ApiError(403, 'forbidden', 'Only province staff start the duplicate search');
      return searchDuplicates(app.db, app.dialect, app.dataKeys, { by: { actorId: officer.accountId, actorRole: officer.role }, now: new Date().toISOString() });
    },
  );
};
