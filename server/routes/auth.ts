// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me: an officer's device
// logs in once, online, and keeps a long-lived device token until it logs out or an admin
// revokes it. POST /api/v1/auth/password changes the officer's own password.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ulid } from '../../core/ids.ts';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';
import { tooManyRequests } from '../auth/auth-plugin.ts';
import { officerOf } from '../auth/officer.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password.ts';
import { ACCOUNT_PROBLEM_MESSAGES } from '../auth/accounts-service.ts';
import {
  LoginRequestSchema,
  LoginResponseSchema,
  MeResponseSchema,
  OkSchema,
  PasswordChangedSchema,
  PasswordChangeSchema,
  officerErrors,
} from '../auth/schemas.ts';
import { newDeviceToken, tokenHash } from '../auth/tokens.ts';
import { ApiError } from '../http/api-error.ts';
import { findAccount, findAccountForLogin, findPasswordHash, normalizeUsername, replacePassword, type Account } from '../repositories/accounts.ts';
import { recordAudit } from '../repositories/audit-log.ts';
import { issueToken, revokeToken } from '../repositories/tokens.ts';

export function accountView(a: Account) {
  return {
    id: a.id,
    username: a.username,
    role: a.role,
    scope: a.scope,
    displayName: a.displayName,
    createdAt: a.createdAt,
    disabled: a.disabledAt !== null,
  };
}

/** Login's brakes on password guessing, per client address and per (normalized) username. */
function limitPasswordTries(request: FastifyRequest, reply: FastifyReply, username: string): void {
  const byIp = request.server.auth.loginPerIp.hit(request.ip);
  if (!byIp.ok) throw tooManyRequests(reply, byIp.retryAfterSeconds);
  const byName = request.server.auth.loginPerUsername.hit(username);
  if (!byName.ok) throw tooManyRequests(reply, byName.retryAfterSeconds);
}

const loginFailed = () => new ApiError(401, 'login_failed', 'Wrong username or password');

export const authRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/auth/login',
    {
      schema: { body: LoginRequestSchema, response: { 200: LoginResponseSchema, ...officerErrors, 429: ErrorResponseSchema } },
      config: {
        openapi: {
          operationId: 'login',
          summary: 'Log a device in; answers a long-lived device token',
          description:
            'The token is shown once; the server keeps only its hash. Send it as `Authorization: Bearer <token>`. ' +
            'Rate-limited per client address and per username (429 with Retry-After).',
        },
      },
    },
    async (request, reply) => {
      const { username, password, deviceLabel } = request.body;
      limitPasswordTries(request, reply, normalizeUsername(username));

      const account = await findAccountForLogin(app.db, username);
      // An unknown username costs the same scrypt as a known one: timing tells nothing.
      const valid = await verifyPassword(password, account?.passwordHash ?? (await app.auth.dummyHash));
      if (!account || !valid || account.disabledAt !== null) throw loginFailed();

      const token = newDeviceToken();
      const id = ulid();
      const now = new Date().toISOString();
      await issueToken(app.db, { id, accountId: account.id, label: deviceLabel.trim() || 'perangkat', tokenHash: await tokenHash(token), now });
      await recordAudit(app.db, app.dialect, {
        actorId: account.id,
        actorRole: account.role,
        action: 'device.login',
        subject: id,
        regionCode: account.scope,
        at: now,
      });
      return { token, deviceId: id, account: accountView(account) };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: { response: { 200: OkSchema, ...officerErrors } },
      config: { openapi: { operationId: 'logout', summary: 'Revoke this device’s token', officerAuth: true } },
    },
    async (request) => {
      const officer = officerOf(request);
      const now = new Date().toISOString();
      await revokeToken(app.db, officer.tokenId, officer.accountId, now);
      await recordAudit(app.db, app.dialect, {
        actorId: officer.accountId,
        actorRole: officer.role,
        action: 'device.logout',
        subject: officer.tokenId,
        regionCode: officer.scope,
        at: now,
      });
      return { ok: true as const };
    },
  );

  app.post(
    '/auth/password',
    {
      schema: { body: PasswordChangeSchema, response: { 200: PasswordChangedSchema, ...officerErrors, 429: ErrorResponseSchema } },
      config: {
        openapi: {
          operationId: 'changePassword',
          summary: 'Change the caller’s own password; every other device of the account is logged out',
          description: 'Needs the current password. Rate-limited like login, per client address and per username (429 with Retry-After).',
          officerAuth: true,
        },
      },
    },
    async (request, reply) => {
      const officer = officerOf(request);
      // The same brakes as login: a stolen unlocked phone must not become a password oracle.
      limitPasswordTries(request, reply, officer.username);

      const { currentPassword, newPassword } = request.body;
      const stored = await findPasswordHash(app.db, officer.accountId);
      if (!stored || !(await verifyPassword(currentPassword, stored))) {
        throw new ApiError(400, 'current_password_wrong', 'currentPassword: not the password of this account');
      }
      const problem = passwordProblem(newPassword);
      if (problem) throw new ApiError(400, problem, ACCOUNT_PROBLEM_MESSAGES[problem]);
      if (newPassword === currentPassword) throw new ApiError(400, 'password_unchanged', 'newPassword: the same as the current one');
      const revokedDevices = await replacePassword(app.db, app.dialect, {
        accountId: officer.accountId,
        passwordHash: await hashPassword(newPassword, app.auth.scrypt),
        keepTokenId: officer.tokenId,
        audit: { actorId: officer.accountId, actorRole: officer.role, action: 'account.password_change', regionCode: officer.scope },
        now: new Date().toISOString(),
      });
      return { ok: true as const, revokedDevices };
    },
  );

  app.get(
    '/auth/me',
    {
      schema: { response: { 200: MeResponseSchema, ...officerErrors } },
      config: { openapi: { operationId: 'me', summary: 'The account this device is logged in as', officerAuth: true } },
    },
    async (request) => {
      const officer = officerOf(request);
      const account = await findAccount(app.db, officer.accountId);
      if (!account) throw new ApiError(401, 'token_invalid', 'The account no longer exists');
      return { account: accountView(account), deviceId: officer.tokenId };
    },
  );
};
