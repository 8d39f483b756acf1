// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me: an officer's device
// logs in once, online, and keeps a long-lived device token until it logs out or an admin
// revokes it. POST /api/v1/auth/password changes the officer's own password.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccountView } from '../../core/auth/account-rules.ts';
import { ulid } from '../../core/ids.ts';
import { ErrorResponseSchema } from '../../core/protocol-schemas.ts';
import { tooManyRequests } from '../auth/auth-plugin.ts';
import { officerOf } from '../auth/officer.ts';
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from '../auth/password.ts';
import { clientNetwork } from '../auth/rate-limit.ts';
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
import { secretHash } from '../services/hashing.ts';
import { ApiError } from '../http/api-error.ts';
import {
  findAccount,
  findAccountForLogin,
  findPasswordHash,
  normalizeUsername,
  replacePassword,
  upgradePasswordHash,
  type Account,
} from '../repositories/accounts.ts';
import { recordAudit } from '../repositories/audit-log.ts';
import { issueToken, revokeToken } from '../repositories/tokens.ts';

export function accountView(a: Account): AccountView {
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

/**
 * The brakes on password guessing: a per-network limit on tries, then the growing delay of
 * `triesKey` (server/auth/rate-limit.ts FailureDelay), then a password-hashing slot for `check`.
 * The key names who guesses, never only whom: a stranger's wrong tries slow the stranger down and
 * never lock the officer out. A try that got no slot is not counted.
 */
async function braked<T>(request: FastifyRequest, reply: FastifyReply, triesKey: string, check: () => Promise<T>): Promise<T> {
  const auth = request.server.auth;
  const byNetwork = auth.loginPerIp.hit(clientNetwork(request.ip));
  if (!byNetwork.ok) throw tooManyRequests(reply, byNetwork.retryAfterSeconds);
  const delay = auth.passwordTries.attempt(triesKey);
  if (!delay.ok) throw tooManyRequests(reply, delay.retryAfterSeconds);
  let checked = false;
  try {
    return await auth.withPasswordSlot(reply, () => {
      checked = true;
      return check();
    });
  } finally {
    if (!checked) auth.passwordTries.withdraw(triesKey);
  }
}

const loginFailed = () => new ApiError(401, 'login_failed', 'Wrong username or password');

export const authRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/auth/login',
    {
      schema: { body: LoginRequestSchema, response: { 200: LoginResponseSchema, ...officerErrors, 429: ErrorResponseSchema, 503: ErrorResponseSchema } },
      config: {
        openapi: {
          operationId: 'login',
          summary: 'Log a device in; answers a long-lived device token',
          description:
            'The token is shown once; the server keeps only its hash. Send it as `Authorization: Bearer <token>`; it expires ' +
            'after a stated time unused. Limited per client network, with a growing wait between wrong tries of one username ' +
            'from one network (429 with Retry-After); 503 with Retry-After while too many passwords are being checked.',
        },
      },
    },
    async (request, reply) => {
      const { username, password, deviceLabel, revocationCheck } = request.body;
      const triesKey = `login ${normalizeUsername(username)} ${clientNetwork(request.ip)}`;
      const account = await braked(request, reply, triesKey, async () => {
        const found = await findAccountForLogin(app.db, username);
        // An unknown username costs the same scrypt as a known one: timing tells nothing.
        const stored = found?.passwordHash ?? (await app.auth.dummyHash);
        if (!(await verifyPassword(password, stored)) || !found || found.disabledAt !== null) return undefined;
        // A hash made with weaker parameters than today's is replaced while the password is at hand.
        if (needsRehash(stored, app.auth.scrypt)) await upgradePasswordHash(app.db, found.id, stored, await hashPassword(password, app.auth.scrypt));
        return found;
      });
      if (!account) throw loginFailed();
      app.auth.passwordTries.succeeded(triesKey);

      const token = newDeviceToken();
      const id = ulid();
      const now = new Date().toISOString();
      await issueToken(app.db, {
        id,
        accountId: account.id,
        label: deviceLabel.trim() || 'perangkat',
        tokenHash: tokenHash(token),
        now,
        ...(revocationCheck !== undefined ? { revocationCheckHash: secretHash(revocationCheck) } : {}),
      });
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
      await revokeToken(app.db, officer.tokenId, officer.accountId, now, 'logout');
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
      schema: { body: PasswordChangeSchema, response: { 200: PasswordChangedSchema, ...officerErrors, 429: ErrorResponseSchema, 503: ErrorResponseSchema } },
      config: {
        openapi: {
          operationId: 'changePassword',
          summary: 'Change the caller’s own password; every other device of the account is logged out',
          description:
            'Needs the current password. Limited like login: per client network, and a growing wait between wrong tries from this ' +
            'device token (429 with Retry-After); 503 with Retry-After while too many passwords are being checked.',
          officerAuth: true,
        },
      },
    },
    async (request, reply) => {
      const officer = officerOf(request);
      const { currentPassword, newPassword } = request.body;
      // The same brakes as login, keyed on this device token: a stolen unlocked phone must not
      // become a password oracle, whichever network it moves to.
      const triesKey = `password ${officer.tokenId}`;
      const stored = await braked(request, reply, triesKey, async () => {
        const found = await findPasswordHash(app.db, officer.accountId);
        return found !== undefined && (await verifyPassword(currentPassword, found)) ? found : undefined;
      });
      if (stored === undefined) throw new ApiError(400, 'current_password_wrong', 'currentPassword: not the password of this account');
      app.auth.passwordTries.succeeded(triesKey);
      const problem = passwordProblem(newPassword);
      if (problem) throw new ApiError(400, problem, ACCOUNT_PROBLEM_MESSAGES[problem]);
      if (newPassword === currentPassword) throw new ApiError(400, 'password_unchanged', 'newPassword: the same as the current one');
      const passwordHash = await app.auth.withPasswordSlot(reply, () => hashPassword(newPassword, app.auth.scrypt));
      const revokedDevices = await replacePassword(app.db, app.dialect, {
        accountId: officer.accountId,
        passwordHash,
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
