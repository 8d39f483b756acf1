// The review inbox: requests in the caller's region, their status moves, and the one extension
// of a due date. Opening a request reads personal data and writes an audit entry; a list shows
// each request's subject and requester's name to roles that may read requests, with one audit
// entry per page (docs/officers.md says why), and nothing personal to the others.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { hasPermission } from '../../core/auth/roles.ts';
import { addDays } from '../../core/calendar/days.ts';
import { dueDate, localDate } from '../../core/calendar/working-days.ts';
import { formatReceipt } from '../../core/ids.ts';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';
import { askedScope, forbidden, officerWith } from '../auth/officer.ts';
import { appendAudit } from '../repositories/audit-log.ts';
import { receiptKey } from '../../core/ids.ts';
import { searchKind } from '../../core/office/inbox-search.ts';
import { isValidDate } from '../../core/forms/validate.ts';
import type { Role } from '../../core/auth/roles.ts';
import type { FastifyInstance } from 'fastify';
import {
  AssignResponseSchema,
  AssignSchema,
  NoteResponseSchema,
  NoteSchema,
  ReturnSchema,
  ExtendResponseSchema,
  IdParamsSchema,
  InboxListSchema,
  InboxQuerySchema,
  InboxRequestSchema,
  StatusChangeResponseSchema,
  StatusChangeSchema,
  officerErrors,
} from '../auth/schemas.ts';
import { ApiError } from '../http/api-error.ts';
import type { InboxEntry, WithReceipt } from '../../core/inbox.ts';
import { extendDueDate, findForExtension, listInbox, listInboxSealed, readRequest, type InboxFilter } from '../repositories/inbox.ts';
import { withSummaries, withTitles } from '../services/inbox-view.ts';
import { assignStaff, changeRequestStatus, noteOnRequest, returnForCompletion, serverLifecycle } from '../services/request-lifecycle.ts';
import { assignedTo, listNotes, listRevisions } from '../repositories/office.ts';
import { requestFiles } from '../repositories/attachments.ts';

const notFound = () => new ApiError(404, 'not_found', 'No request with this receipt in your region');

function view<T extends InboxEntry>(item: T): WithReceipt<T> {
  return { ...item, receipt: formatReceipt(item.id) };
}

/** The UTC instant a WIB date starts at. */
function wibDayStart(date: string): string {
  return new Date(`${date}T00:00:00+07:00`).toISOString();
}

/**
 * What a search term names: a receipt number (the id, with or without its dashes), a NIK, or words
 * of the requester's name — the last two found through their keyed blind indexes
 * (server/crypto/subject-index.ts, migrations 016 and 035), never by opening answers. Only roles
 * that may read requests may search; a term that is none of these is a 400.
 */
function searchOf(
  app: FastifyInstance,
  role: Role,
  term: string,
): { by: 'receipt' | 'nik' | 'name'; match: { id: string } | { nikIndex: string } | { nameWords: string[] } } {
  if (!hasPermission(role, 'inbox.read')) throw forbidden();
  const kind = searchKind(term);
  if (kind === 'receipt') return { by: kind, match: { id: receiptKey(term) } };
  const nikIndex = kind === 'nik' ? app.subjectIndex.of(receiptKey(term)) : undefined;
  if (nikIndex !== undefined) return { by: 'nik', match: { nikIndex } };
  if (kind === 'name') return { by: kind, match: { nameWords: app.subjectIndex.nameWords(term) } };
  throw new ApiError(400, 'invalid_search', 'q: a receipt number, a 16-digit NIK or a name (a word of 2 letters or more)');
}

/** A WIB date the schema's pattern let through but the calendar does not have (2026-02-30) is a 400, not a shifted day. */
function calendarDate(field: string, value: string | undefined): string | undefined {
  if (value !== undefined && !isValidDate(value)) throw new ApiError(400, 'invalid_date', `${field}: not a date in the calendar (YYYY-MM-DD)`);
  return value;
}

export const inboxRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/inbox',
    {
      schema: { querystring: InboxQuerySchema, response: { 200: InboxListSchema, ...officerErrors } },
      config: {
        openapi: {
          operationId: 'listInbox',
          summary: 'Requests in the caller’s region, newest received or soonest due first',
          description:
            'Filters: status, form, overdue (open and past the due date, WIB), dueWithin (open and due within N days, overdue included), ' +
            'region (inside the caller’s scope, else 403), receivedFrom/receivedTo (WIB dates, inclusive; an impossible date or a range ' +
            'ending before it starts is a 400), assigned (me: assigned to the caller; none: to nobody), q (a receipt number, a NIK or words ' +
            'of the requester’s name, every word required; the NIK and the name are found through keyed blind indexes, never by opening ' +
            'answers; roles that may read requests; each search audited as submission.search with its kind, never its term). ' +
            'sort=due puts the soonest due first. Paged with limit and offset. Roles that may read requests also get each ' +
            'request’s subject and requester’s name, and the page read is audited once (submission.list).',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'inbox.list');
      const today = localDate(new Date().toISOString());
      const q = request.query;
      const receivedFrom = calendarDate('receivedFrom', q.receivedFrom);
      const receivedTo = calendarDate('receivedTo', q.receivedTo);
      if (receivedFrom !== undefined && receivedTo !== undefined && receivedTo < receivedFrom) {
        throw new ApiError(400, 'invalid_date_range', 'receivedTo: before receivedFrom');
      }
      const search = q.q === undefined ? undefined : searchOf(app, officer.role, q.q);
      const filter: InboxFilter = {
        scope: officer.scope,
        ...(q.region !== undefined ? { region: askedScope(officer.scope, q.region) } : {}),
        ...(receivedFrom !== undefined ? { receivedFrom: wibDayStart(receivedFrom) } : {}),
        ...(receivedTo !== undefined ? { receivedTo: wibDayStart(addDays(receivedTo, 1)) } : {}),
        ...(q.assigned === 'me' ? { assigned: { to: officer.accountId } } : q.assigned === 'none' ? { assigned: 'none' as const } : {}),
        ...(search ? { match: search.match } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.form !== undefined ? { formId: q.form } : {}),
        overdue: q.overdue === true,
        ...(q.dueWithin !== undefined ? { dueBy: addDays(today, q.dueWithin) } : {}),
        ...(q.sort !== undefined ? { sort: q.sort } : {}),
        today,
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      };
      if (!hasPermission(officer.role, 'inbox.read')) {
        const page = await listInbox(app.db, filter);
        return { items: (await withTitles(app.repos.forms, page.items)).map(view), more: page.more, today };
      }
      const page = await listInboxSealed(app.db, app.dialect, filter, { actorId: officer.accountId, actorRole: officer.role });
      if (search) {
        // Who looked for whom is on record, by the kind of search only: the term itself (a NIK) stays out of the log.
        await app.db.transaction().execute((trx) =>
          appendAudit(trx, app.dialect, {
            actorId: officer.accountId,
            actorRole: officer.role,
            action: 'submission.search',
            subject: filter.region ?? officer.scope,
            regionCode: filter.region ?? officer.scope,
            detail: { by: search.by, count: page.items.length },
          }),
        );
      }
      return { items: (await withSummaries(app.repos.forms, app.dataKeys, page.items)).map(view), more: page.more, today };
    },
  );

  app.get(
    '/inbox/:id',
    {
      schema: { params: IdParamsSchema, response: { 200: InboxRequestSchema, ...officerErrors } },
      config: {
        openapi: {
          operationId: 'readRequest',
          summary: 'One request with its answers (the read is audited)',
          description: 'files: its photos and documents, whether each arrived, and those a completion replaced (kept with the version that held them).',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'inbox.read');
      const found = await readRequest(app.db, app.dialect, app.dataKeys, request.params.id, officer.scope, localDate(new Date().toISOString()), {
        actorId: officer.accountId,
        actorRole: officer.role,
      });
      if (!found) throw notFound();
      const [revisions, notes, assignee, files] = await Promise.all([
        listRevisions(app.db, found.id),
        listNotes(app.db, app.dataKeys, found.id),
        assignedTo(app.db, found.id),
        requestFiles(app.db, found.id),
      ]);
      return { ...view((await withTitles(app.repos.forms, [found]))[0]!), revisions, notes, assignedTo: assignee, files };
    },
  );

  app.post(
    '/inbox/:id/status',
    {
      schema: {
        params: IdParamsSchema,
        body: StatusChangeSchema,
        response: { 200: StatusChangeResponseSchema, ...officerErrors, 409: ErrorResponseSchema },
      },
      config: {
        openapi: {
          operationId: 'changeStatus',
          summary: 'Move a request: diterima → diproses → selesai | ditolak',
          description: 'selesai and ditolak need an answer text; the resident’s device receives the change on its next pull.',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'inbox.answer');
      const { status, document, ground } = request.body;
      const answer = request.body.answer?.trim();
      if (status !== 'diproses' && !answer) throw new ApiError(400, 'answer_required', 'answer: selesai and ditolak need an answer text');
      const result = await changeRequestStatus(serverLifecycle(app), {
        id: request.params.id,
        status,
        ...(answer ? { answer } : {}),
        ...(document !== undefined ? { answerDocument: document } : {}),
        ...(ground !== undefined ? { ground } : {}),
        withinScope: officer.scope,
        audit: { actorId: officer.accountId, actorRole: officer.role },
      });
      if (!result.ok) {
        if (result.error === 'not_found') throw notFound();
        if (result.error === 'practice') throw new ApiError(409, 'practice_submission', 'A practice (latihan) submission takes no status');
        if (result.error === 'ground_required') throw new ApiError(400, 'ground_required', 'ground: refusing a public information request needs a ground from the list');
        if (!('from' in result)) throw new ApiError(400, 'unknown_ground', 'ground: not one of the refusal grounds');
        throw new ApiError(409, result.error, `Cannot move a request from ${result.from} to ${result.status}`);
      }
      return { id: result.id, status: result.status, at: result.at };
    },
  );

  app.post(
    '/inbox/:id/return',
    {
      schema: {
        params: IdParamsSchema,
        body: ReturnSchema,
        response: { 200: StatusChangeResponseSchema, ...officerErrors, 409: ErrorResponseSchema },
      },
      config: {
        openapi: {
          operationId: 'returnForCompletion',
          summary: 'Send a request back to the resident for completion (perlu dilengkapi), with a reason and the fields to complete',
          description:
            'The resident’s phone receives the reason and the fields on its next pull and sends the completion as the next revision ' +
            'of the same request (docs/sync-protocol.md); the first version is kept. The waiting time does not count against the SLA (core/office/sla-clock.ts).',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'inbox.answer');
      const reason = request.body.reason.trim();
      if (!reason) throw new ApiError(400, 'reason_required', 'reason: say what is missing');
      const result = await returnForCompletion(serverLifecycle(app), {
        id: request.params.id,
        reason,
        fields: request.body.fields,
        withinScope: officer.scope,
        audit: { actorId: officer.accountId, actorRole: officer.role },
      });
      if (!result.ok) {
        if (result.error === 'not_found') throw notFound();
        if (result.error === 'practice') throw new ApiError(409, 'practice_submission', 'A practice (latihan) submission takes no status');
        if (result.error === 'unknown_field') throw new ApiError(400, 'unknown_field', `fields: not fields of this form: ${result.fields.join(', ')}`);
        if (!('from' in result)) throw new ApiError(409, 'too_many_revisions', 'This request was returned too many times');
        throw new ApiError(409, result.error, `Cannot return a request that is ${result.from}`);
      }
      return { id: result.id, status: result.status, at: result.at };
    },
  );

  app.post(
    '/inbox/:id/notes',
    {
      schema: { params: IdParamsSchema, body: NoteSchema, response: { 200: NoteResponseSchema, ...officerErrors } },
      config: {
        openapi: {
          operationId: 'addNote',
          summary: 'An internal note on a request: sealed at rest, shown to staff who open the request, never to the resident (audited)',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'inbox.read');
      const text = request.body.text.trim();
      if (!text) throw new ApiError(400, 'text_required', 'text: write the note');
      const result = await noteOnRequest(serverLifecycle(app), {
        id: request.params.id,
        text,
        withinScope: officer.scope,
        accountId: officer.accountId,
        audit: { actorId: officer.accountId, actorRole: officer.role },
      });
      if (!result.ok) throw notFound();
      return { id: result.id };
    },
  );

  app.post(
    '/inbox/:id/assign',
    {
      schema: { params: IdParamsSchema, body: AssignSchema, response: { 200: AssignResponseSchema, ...officerErrors } },
      config: {
        openapi: {
          operationId: 'assignRequest',
          summary: 'Put a staff member in charge of a request (null: nobody); the assignee’s scope must cover the request (audited)',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'inbox.answer');
      const result = await assignStaff(serverLifecycle(app), {
        id: request.params.id,
        accountId: request.body.accountId,
        withinScope: officer.scope,
        audit: { actorId: officer.accountId, actorRole: officer.role },
      });
      if (!result.ok) {
        if (result.error === 'not_found') throw notFound();
        throw new ApiError(400, 'assignee_out_of_scope', 'accountId: no active staff account whose region covers this request');
      }
      return { id: request.params.id, assignedTo: request.body.accountId };
    },
  );

  app.post(
    '/inbox/:id/extend',
    {
      schema: { params: IdParamsSchema, response: { 200: ExtendResponseSchema, ...officerErrors, 409: ErrorResponseSchema } },
      config: {
        openapi: {
          operationId: 'extendDueDate',
          summary: 'Extend the due date once by the form’s extension (PPID: 7 working days)',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'inbox.answer');
      const id = request.params.id;
      const found = await findForExtension(app.db, id, officer.scope);
      if (!found) throw notFound();
      const form = (await app.repos.forms.findMany([{ formId: found.formId, version: found.formVersion }])).values().next().value;
      if (!form?.sla?.extensionWorkingDays) throw new ApiError(409, 'not_extendable', 'This service has no extension');
      if (found.extended) throw new ApiError(409, 'already_extended', 'The due date was already extended once');
      const dueOn = dueDate(found.receivedAt, form.sla, true);
      const done = await extendDueDate(app.db, app.dialect, {
        id,
        dueOn,
        now: new Date().toISOString(),
        audit: { actorId: officer.accountId, actorRole: officer.role },
      });
      if (!done) throw new ApiError(409, 'not_extendable', 'The request is closed or was extended meanwhile');
      return { id, dueOn };
    },
  );
};
