// Data subjects' requests (UU 27/2022) for KPU staff: record one, list them with their 3×24 h
// clock, export everything held about the NIK (JSON, or a readable text), correct a field, erase
// what the law allows. Only province admins and operators (permission subject_requests.handle),
// only for offices inside their scope; every act is audited (server/services/subject-requests.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';
import { officerWith, type Officer } from '../auth/officer.ts';
import { IdParamsSchema, officerErrors } from '../auth/schemas.ts';
import { ApiError } from '../http/api-error.ts';
import { listSubjectRequests } from '../repositories/subject-requests.ts';
import { readableExport } from '../services/subject-export-text.ts';
import { smsNumbersOf } from '../crypto/sms-numbers.ts';
import {
  correctSubject,
  eraseSubject,
  exportSubject,
  openSubjectRequest,
  type Outcome,
  type Staff,
  type SubjectDeps,
  type SubjectError,
} from '../services/subject-requests.ts';

// Spelled out (core's SUBJECT_REQUEST_KINDS) so the type provider sees the literals.
const KindSchema = Type.Union([Type.Literal('access'), Type.Literal('correction'), Type.Literal('erasure')]);

const RequestSchema = Type.Object({
  id: Type.String(),
  kind: KindSchema,
  regionCode: Type.String(),
  receivedAt: Type.String(),
  dueAt: Type.String({ description: 'receivedAt + 3×24 h: when the office must have acted (UU 27/2022)' }),
  createdAt: Type.String(),
  createdBy: Type.String(),
  answeredAt: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
});

const NewRequestSchema = Type.Object({
  kind: KindSchema,
  nik: Type.String({ minLength: 16, maxLength: 24 }),
  regionCode: Type.Optional(Type.String({ pattern: '^[0-9.]{2,13}$' })),
  receivedAt: Type.Optional(Type.String({ maxLength: 40 })),
});

const ListQuerySchema = Type.Object({
  open: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});

const ExportedSubmissionSchema = Type.Object({
  id: Type.String(),
  receipt: Type.String(),
  formId: Type.String(),
  formVersion: Type.Integer(),
  formTitle: Type.String(),
  createdAt: Type.String(),
  receivedAt: Type.String(),
  status: Type.String(),
  statusAt: Type.String(),
  answer: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.String(),
  practice: Type.Boolean(),
  answers: Type.Record(Type.String(), Type.Unknown()),
  attachments: Type.Array(Type.Object({ field: Type.String(), sha256: Type.String(), type: Type.String(), size: Type.Number() })),
  history: Type.Array(Type.Object({ status: Type.String(), answer: Type.Union([Type.String(), Type.Null()]), at: Type.String() })),
  sms: Type.Array(Type.Object({ sender: Type.String(), receivedAt: Type.String() })),
});

const ExportSchema = Type.Object({ request: RequestSchema, generatedAt: Type.String(), submissions: Type.Array(ExportedSubmissionSchema) });

const ExportQuerySchema = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('text')])) });

const CorrectionSchema = Type.Object({
  submissionId: Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' }),
  field: Type.String({ pattern: '^[a-z][A-Za-z0-9]{0,63}$' }),
  value: Type.String({ maxLength: 2000 }),
});

const ErasureSchema = Type.Object({
  erased: Type.Array(Type.String()),
  held: Type.Array(Type.Object({ submissionId: Type.String(), holds: Type.Array(Type.String()) })),
  files: Type.Integer(),
});

const errors = { ...officerErrors, 409: ErrorResponseSchema };

const MESSAGES: Record<SubjectError, [number, string]> = {
  invalid_nik: [400, 'nik: not a NIK (16 digits)'],
  invalid_time: [400, 'receivedAt: not a time, or in the future'],
  out_of_scope: [403, 'This office lies outside your region'],
  not_found: [404, 'No such request (or record) in your region'],
  wrong_kind: [409, 'This request is of another kind'],
  invalid_field: [400, 'field: not a correctable answer of this form'],
  invalid_value: [400, 'value: not a valid answer for this field'],
};

function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  const [status, message] = MESSAGES[outcome.error];
  throw new ApiError(status, outcome.error, message);
}

function staffOf(officer: Officer): Staff {
  return { accountId: officer.accountId, role: officer.role, scope: officer.scope };
}

export const subjectRequestsRoute: FastifyPluginAsyncTypebox<{ uploadsDir: string }> = async (app, { uploadsDir }) => {
  const smsNumbers = await smsNumbersOf(app.dataKeys);
  const deps = (): SubjectDeps => ({
    db: app.db,
    dialect: app.dialect,
    forms: app.repos.forms,
    index: app.subjectIndex,
    uploadsDir,
    payloads: app.payloads,
    smsNumbers,
    now: () => new Date(),
  });

  app.post(
    '/subject-requests',
    {
      schema: { body: NewRequestSchema, response: { 201: RequestSchema, ...errors } },
      config: {
        openapi: {
          operationId: 'openSubjectRequest',
          summary: 'Record a data subject’s request (access, correction, erasure) with its received time; dueAt is 3×24 h later',
          officerAuth: true,
        },
      },
    },
    async (request, reply) => {
      const officer = officerWith(request, 'subject_requests.handle');
      const row = unwrap(await openSubjectRequest(deps(), staffOf(officer), request.body));
      return reply.code(201).send(row);
    },
  );

  app.get(
    '/subject-requests',
    {
      schema: { querystring: ListQuerySchema, response: { 200: Type.Object({ items: Type.Array(RequestSchema), now: Type.String() }), ...errors } },
      config: { openapi: { operationId: 'listSubjectRequests', summary: 'Data subjects’ requests to offices in scope; open=true: unanswered, soonest due first', officerAuth: true } },
    },
    async (request) => {
      const officer = officerWith(request, 'subject_requests.handle');
      const items = await listSubjectRequests(app.db, officer.scope, request.query.open === true, request.query.limit ?? 50);
      return { items, now: new Date().toISOString() };
    },
  );

  app.get(
    '/subject-requests/:id/export',
    {
      schema: { params: IdParamsSchema, querystring: ExportQuerySchema, response: { 200: Type.Union([ExportSchema, Type.String()]), ...errors } },
      config: {
        openapi: {
          operationId: 'exportSubject',
          summary: 'Everything held about the request’s NIK in its region, as one JSON (format=text: readable, Indonesian); audited',
          officerAuth: true,
        },
      },
    },
    async (request, reply) => {
      const officer = officerWith(request, 'subject_requests.handle');
      const { export: data, forms } = unwrap(await exportSubject(deps(), staffOf(officer), request.params.id));
      reply.header('cache-control', 'no-store');
      if (request.query.format === 'text') return reply.type('text/plain; charset=utf-8').send(readableExport(data, forms));
      return data;
    },
  );

  app.post(
    '/subject-requests/:id/correct',
    {
      schema: { params: IdParamsSchema, body: CorrectionSchema, response: { 200: Type.Object({ submissionId: Type.String(), field: Type.String() }), ...errors } },
      config: { openapi: { operationId: 'correctSubject', summary: 'Correct one answer of one of the subject’s records (a correction request); audited', officerAuth: true } },
    },
    async (request) => {
      const officer = officerWith(request, 'subject_requests.handle');
      return unwrap(await correctSubject(deps(), staffOf(officer), request.params.id, request.body));
    },
  );

  app.post(
    '/subject-requests/:id/erase',
    {
      schema: { params: IdParamsSchema, response: { 200: ErasureSchema, ...errors } },
      config: {
        openapi: {
          operationId: 'eraseSubject',
          summary: 'Erase the subject’s records in the request’s region, except those a legal hold keeps (an erasure request); audited',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'subject_requests.handle');
      return unwrap(await eraseSubject(deps(), staffOf(officer), request.params.id));
    },
  );
};
