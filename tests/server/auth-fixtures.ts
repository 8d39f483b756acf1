// Accounts, logins and officer-form submissions for the officer-side server tests.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Role } from '../../core/auth/roles.ts';
import { findForm, PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { randomSecret, ulid } from '../../core/ids.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { createAccountChecked } from '../../server/auth/accounts-service.ts';
import type { AuthOptions } from '../../server/auth/auth-plugin.ts';
import type { ScryptParams } from '../../server/auth/password.ts';
import { sampleAnswers } from '../support/form-filler.ts';
import type { TestApp } from './helpers.ts';

/** Cheap scrypt for tests (the stored hash carries its parameters, so verification follows). */
export const TEST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
export const TEST_AUTH: AuthOptions = {
  scrypt: TEST_SCRYPT,
  loginPerIp: { max: 100_000, windowMs: 60_000 },
  passwordTries: { free: 100_000, baseMs: 1, maxMs: 1, forgetMs: 60_000 },
  pushPerIp: { max: 100_000, windowMs: 60_000 },
};

/** Real codes from the catalogue: two villages of one district, and elsewhere. */
export const REGION = {
  province: '19',
  regency: '19.01',
  otherRegency: '19.02',
  district: '19.01.01',
  otherDistrict: '19.01.02',
  village: '19.01.01.1001',
  siblingVillage: '19.01.01.1002',
  otherVillage: '19.02.01.2003',
} as const;

export const PASSWORD = 'kata-sandi-uji-123';

export interface TestOfficer {
  id: string;
  username: string;
  role: Role;
  scope: string;
  token: string;
  deviceId: string;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function login(app: FastifyInstance, username: string, password: string, deviceLabel = 'HP uji'): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, deviceLabel } });
}

/** Creates an account straight in the database (as create-admin would) and logs a device in. */
export async function officer(t: TestApp, role: Role, scope: string): Promise<TestOfficer> {
  const username = `${role.replace('_', '-')}-${randomBytes(4).toString('hex')}`;
  const created = await createAccountChecked(
    t.db,
    t.dialect,
    { username, password: PASSWORD, role, scope, displayName: `Uji ${role}` },
    { actorId: 'test', actorRole: 'test' },
    TEST_SCRYPT,
  );
  if (!created.ok) throw new Error(`account not created: ${created.error}`);
  const res = await login(t.app, username, PASSWORD);
  if (res.statusCode !== 200) throw new Error(`login answered ${res.statusCode}: ${res.body}`);
  const body = res.json<{ token: string; deviceId: string }>();
  return { id: created.account.id, username, role, scope, token: body.token, deviceId: body.deviceId };
}

/** A valid submission of any catalogue form, its region field set to `region` where it has one. */
export function formEnvelope(formId: string, overrides: Record<string, unknown> = {}): SubmissionEnvelope {
  const form = findForm(PUBLISHED_FORMS, formId, 1);
  if (!form) throw new Error(`no form ${formId}`);
  return {
    id: ulid(),
    formId,
    formVersion: 1,
    createdAt: new Date().toISOString(),
    data: { ...sampleAnswers(form), ...overrides } as SubmissionEnvelope['data'],
    secret: randomSecret(),
  };
}

export function coklit(village: string): SubmissionEnvelope {
  return formEnvelope('coklit-pilkada', { desa: village });
}

export function pushAs(app: FastifyInstance, headers: Record<string, string>, items: unknown[]): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/push', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify({ items }) });
}

/** How an officer's token stops working, each by the means an admin or the officer would use. */
export type DeadTokenState =
  | 'revoked by an admin'
  | 'logged out'
  | 'account disabled'
  | 'password changed elsewhere'
  | 'password reset by an admin'
  | 'idle past its limit';

/** A pantarlih's token brought into `state`. */
export async function deadToken(t: TestApp, state: DeadTokenState): Promise<TestOfficer> {
  const victim = await officer(t, 'pantarlih', REGION.village);
  const admin = await officer(t, 'admin_provinsi', REGION.province);
  const post = (url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
  let res;
  switch (state) {
    case 'revoked by an admin':
      res = await post(`/admin/devices/${victim.deviceId}/revoke`, bearer(admin.token));
      break;
    case 'logged out':
      res = await post('/auth/logout', bearer(victim.token));
      break;
    case 'account disabled':
      res = await post(`/admin/accounts/${victim.id}/disable`, bearer(admin.token));
      break;
    case 'password changed elsewhere': {
      const other = (await login(t.app, victim.username, PASSWORD)).json<{ token: string }>().token;
      res = await post('/auth/password', bearer(other), { currentPassword: PASSWORD, newPassword: 'kata-sandi-baru-789' });
      break;
    }
    case 'password reset by an admin':
      res = await post(`/admin/accounts/${victim.id}/password`, bearer(admin.token), { newPassword: 'kata-sandi-baru-789' });
      break;
    case 'idle past its limit':
      // The token was last used a year ago (nothing in the app moves last_used_at back).
      await t.db.updateTable('device_tokens').set({ last_used_at: '2025-01-01T00:00:00.000Z' }).where('id', '=', victim.deviceId).execute();
      return victim;
  }
  if (res.statusCode !== 200) throw new Error(`${state}: ${res.statusCode} ${res.body}`);
  return victim;
}
