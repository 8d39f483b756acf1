// Account administration: create accounts and revoke devices, each only within the caller's
// scope and for the roles the caller may manage (core/auth/roles.ts MANAGEABLE_ROLES). Anything
// outside is answered like something that does not exist.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { mayManage } from '../../core/auth/access.ts';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';
import { ACCOUNT_PROBLEM_MESSAGES, createAccountChecked } from '../auth/accounts-service.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { forbidden, officerWith } from '../auth/officer.ts';
import {
  AccountListSchema,
  AccountSchema,
  DeviceListSchema,
  IdParamsSchema,
  NewAccountSchema,
  PageQuerySchema,
  PasswordChangedSchema,
  PasswordResetSchema,
  RevokedSchema,
  officerErrors,
} from '../auth/schemas.ts';
import { ApiError } from '../http/api-error.ts';
import { disableAccount, findAccount, listAccountsWithin, replacePassword } from '../repositories/accounts.ts';
import { recordAudit } from '../repositories/audit-log.ts';
import { findToken, listTokens, revokeToken } from '../repositories/tokens.ts';
import { accountView } from './auth.ts';

const notFound = () => new ApiError(404, 'not_found', 'Not found');

export const adminRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/admin/accounts',
    {
      schema: { body: NewAccountSchema, response: { 201: AccountSchema, ...officerErrors, 409: ErrorResponseSchema } },
      config: {
        openapi: {
          operationId: 'createAccount',
          summary: 'Create an account within the caller’s scope',
          description: 'Province admins create any role in the province; regency operators create PPK, PPS, Pantarlih and KPPS accounts in their regency.',
          officerAuth: true,
        },
      },
    },
    async (request, reply) => {
      const officer = officerWith(request, 'accounts.manage');
      const input = request.body;
      if (!mayManage(officer, { role: input.role, scope: input.scope })) throw forbidden();
      const result = await app.auth.withPasswordSlot(reply, () =>
        createAccountChecked(app.db, app.dialect, input, { actorId: officer.accountId, actorRole: officer.role }, app.auth.scrypt),
      );
      if (!result.ok) {
        throw new ApiError(result.error === 'username_taken' ? 409 : 400, result.error, ACCOUNT_PROBLEM_MESSAGES[result.error]);
      }
      return reply.code(201).send(accountView(result.account));
    },
  );

  app.get(
    '/admin/accounts',
    {
      schema: { querystring: PageQuerySchema, response: { 200: AccountListSchema, ...officerErrors } },
      config: { openapi: { operationId: 'listAccounts', summary: 'Accounts within the caller’s scope', officerAuth: true } },
    },
    async (request) => {
      const officer = officerWith(request, 'accounts.manage');
      const limit = request.query.limit ?? 50;
      const rows = await listAccountsWithin(app.db, officer.scope, limit + 1, request.query.offset ?? 0);
      return { accounts: rows.slice(0, limit).map(accountView), more: rows.length > limit };
    },
  );

  app.get(
    '/admin/accounts/:id/devices',
    {
      schema: { params: IdParamsSchema, response: { 200: DeviceListSchema, ...officerErrors } },
      config: { openapi: { operationId: 'listDevices', summary: 'The devices an account has logged in on', officerAuth: true } },
    },
    async (request) => {
      const officer = officerWith(request, 'accounts.manage');
      const target = await findAccount(app.db, request.params.id);
      if (!target || !mayManage(officer, target)) throw notFound();
      const tokens = await listTokens(app.db, target.id);
      return {
        devices: tokens.map((t) => ({
          id: t.id,
          label: t.label,
          createdAt: t.createdAt,
          lastUsedAt: t.lastUsedAt,
          revoked: t.revokedAt !== null,
          wipeOnContact: t.wipeOnContact,
        })),
      };
    },
  );

  app.post(
    '/admin/accounts/:id/disable',
    {
      schema: { params: IdParamsSchema, response: { 200: RevokedSchema, ...officerErrors, 409: ErrorResponseSchema } },
      config: {
        openapi: {
          operationId: 'disableAccount',
          summary: 'Disable an account (an officer who left, or went rogue): it can no longer log in, and its devices are revoked',
          description:
            'Each of its phones erases the officer’s data (queued entries not sent yet included; a resident’s own requests stay) at its next contact, when the server answers 401 token_revoked_wipe.',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'accounts.manage');
      const target = await findAccount(app.db, request.params.id);
      if (!target || !mayManage(officer, target)) throw notFound();
      if (target.id === officer.accountId) throw new ApiError(409, 'self', 'An account cannot disable itself');
      const now = new Date().toISOString();
      if (await disableAccount(app.db, target.id, officer.accountId, now)) {
        await recordAudit(app.db, app.dialect, {
          actorId: officer.accountId,
          actorRole: officer.role,
          action: 'account.disable',
          subject: target.id,
          regionCode: target.scope,
          at: now,
        });
      }
      return { ok: true as const, wipeOnContact: true as const };
    },
  );

  app.post(
    '/admin/accounts/:id/password',
    {
      schema: { params: IdParamsSchema, body: PasswordResetSchema, response: { 200: PasswordChangedSchema, ...officerErrors, 409: ErrorResponseSchema } },
      config: {
        openapi: {
          operationId: 'resetPassword',
          summary: 'Set a new password for an account in scope (a forgotten password); all its devices are logged out',
          description: 'For one’s own password use POST /auth/password, which asks for the current one.',
          officerAuth: true,
        },
      },
    },
    async (request, reply) => {
      const officer = officerWith(request, 'accounts.manage');
      const target = await findAccount(app.db, request.params.id);
      if (!target || !mayManage(officer, target)) throw notFound();
      if (target.id === officer.accountId) throw new ApiError(409, 'self', 'Change your own password with POST /auth/password');
      const problem = passwordProblem(request.body.newPassword);
      if (problem) throw new ApiError(400, problem, ACCOUNT_PROBLEM_MESSAGES[problem]);
      const revokedDevices = await replacePassword(app.db, app.dialect, {
        accountId: target.id,
        passwordHash: await app.auth.withPasswordSlot(reply, () => hashPassword(request.body.newPassword, app.auth.scrypt)),
        audit: { actorId: officer.accountId, actorRole: officer.role, action: 'account.password_reset', regionCode: target.scope },
        now: new Date().toISOString(),
      });
      return { ok: true as const, revokedDevices };
    },
  );

  app.post(
    '/admin/devices/:id/revoke',
    {
      schema: { params: IdParamsSchema, response: { 200: RevokedSchema, ...officerErrors } },
      config: {
        openapi: {
          operationId: 'revokeDevice',
          summary: 'Revoke a device token (a lost or stolen phone)',
          description:
            'The token is refused (401 token_revoked_wipe) on every endpoint from the next request on, under Bearer and as a Device credential; on that answer the phone erases the officer’s data (queued entries not sent yet included; a resident’s own requests stay).',
          officerAuth: true,
        },
      },
    },
    async (request) => {
      const officer = officerWith(request, 'accounts.manage');
      const token = await findToken(app.db, request.params.id);
      if (!token || !mayManage(officer, token.account)) throw notFound();
      const now = new Date().toISOString();
      if (await revokeToken(app.db, token.id, officer.accountId, now, 'admin_revoke')) {
        await recordAudit(app.db, app.dialect, {
          actorId: officer.accountId,
          actorRole: officer.role,
          action: 'device.revoke',
          subject: token.id,
          regionCode: token.account.scope,
          at: now,
        });
      }
      return { ok: true as const, wipeOnContact: true as const };
    },
  );
};

