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
import { officerWith } from '../auth/officer.ts';
import {
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
import { changeRequestStatus, serverLifecycle } from '../services/request-lifecycle.ts';

const notFound = () => new ApiError(404, 'not_found', 'No request with this receipt in your region');

function view<T extends InboxEntry>(item: T): WithReceipt<T> {
  return { ...item, receipt: formatReceipt(item.id) };
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
            'Filters: status, form, overdue (open and past the due date, WIB), dueWithin (open and due within N days, overdue included). ' +
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
      const filter: InboxFilter = {
        scope: officer.scope,
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
      return { items: (await withSummaries(app.repos.forms, app.dataKeys, page.items)).map(view), more: page.more, today };
    },
  );

  app.get(
    '/inbox/:id',
    {
      schema: { params: IdParamsSchema, response: { 200: InboxRequestSchema, ...officerErrors } },
      config: {
        openapi: { operationId: 'readRequest', summary: 'One request with its answers (the read is audited)', officerAuth: true },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'inbox.read');
      const found = await readRequest(app.db, app.dialect, app.dataKeys, request.params.id, officer.scope, localDate(new Date().toISOString()), {
        actorId: officer.accountId,
        actorRole: officer.role,
      });
      if (!found) throw notFound();
      return view((await withTitles(app.repos.forms, [found]))[0]!);
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
      const { status, document } = request.body;
      const answer = request.body.answer?.trim();
      if (status !== 'diproses' && !answer) throw new ApiError(400, 'answer_required', 'answer: selesai and ditolak need an answer text');
      const result = await changeRequestStatus(serverLifecycle(app), {
        id: request.params.id,
        status,
        ...(answer ? { answer } : {}),
        ...(document !== undefined ? { answerDocument: document } : {}),
        withinScope: officer.scope,
        audit: { actorId: officer.accountId, actorRole: officer.role },
      });
      if (!result.ok) {
        if (result.error === 'not_found') throw notFound();
        if (result.error === 'practice') throw new ApiError(409, 'practice_submission', 'A practice (latihan) submission takes no status');
        throw new ApiError(409, result.error, `Cannot move a request from ${result.from} to ${result.status}`);
      }
      return { id: result.id, status: result.status, at: result.at };
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
