// A regency operator manages accounts as the account screen offers (issue 17, point 6): only PPK,
// PPS, Pantarlih and KPPS, only in the regency. Everything else is refused at every admin endpoint,
// also for an account inside the regency whose role the operator may not manage (another operator).
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect } from './helpers.ts';
import { bearer, officer, REGION, TEST_AUTH } from './auth-fixtures.ts';

const PASSWORD = 'kata-sandi-uji-2026';

describeEachDialect(
  'account management by a regency operator',
  (ctx) => {
    it('creates, lists, resets, revokes and disables only what the operator may manage', async () => {
      const t = ctx();
      const op = await officer(t, 'operator', REGION.regency);
      const h = bearer(op.token);
      const create = (role: string, scope: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/admin/accounts',
          headers: h,
          payload: { username: `u-${randomBytes(4).toString('hex')}`, password: PASSWORD, role, scope, displayName: 'Uji' },
        });
      expect((await create('pps', REGION.village)).statusCode).toBe(201);
      expect((await create('ppk', REGION.district)).statusCode).toBe(201);
      for (const [role, scope] of [
        ['operator', REGION.regency],
        ['pengamat', REGION.regency],
        ['admin_provinsi', REGION.province],
        ['pps', REGION.otherVillage],
      ] as const) {
        expect((await create(role, scope)).statusCode, `${role} ${scope}`).toBe(403);
      }
      // A role at the wrong level is said beside the scope.
      const wrongLevel = await create('pps', REGION.district);
      expect(wrongLevel.statusCode).toBe(400);
      expect(wrongLevel.json().error).toBe('scope_role_mismatch');

      const peer = await officer(t, 'operator', REGION.regency);
      const outsider = await officer(t, 'pps', REGION.otherVillage);
      for (const target of [peer, outsider]) {
        expect((await t.app.inject({ url: `/api/v1/admin/accounts/${target.id}/devices`, headers: h })).statusCode).toBe(404);
        expect((await t.app.inject({ method: 'POST', url: `/api/v1/admin/accounts/${target.id}/password`, headers: h, payload: { newPassword: 'kata-sandi-baru-99' } })).statusCode).toBe(404);
        expect((await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${target.deviceId}/revoke`, headers: h })).statusCode).toBe(404);
        expect((await t.app.inject({ method: 'POST', url: `/api/v1/admin/accounts/${target.id}/disable`, headers: h })).statusCode).toBe(404);
        // Still able to work: nothing was done to it.
        expect((await t.app.inject({ url: '/api/v1/inbox', headers: bearer(target.token) })).statusCode).toBe(200);
      }

      const listed = (await t.app.inject({ url: '/api/v1/admin/accounts?limit=200', headers: h })).json<{ accounts: { id: string; scope: string }[] }>().accounts;
      expect(listed.every((a) => a.scope === REGION.regency || a.scope.startsWith(`${REGION.regency}.`))).toBe(true);
      expect(listed.some((a) => a.id === outsider.id)).toBe(false);

      const pps = await officer(t, 'pps', REGION.village);
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${pps.deviceId}/revoke`, headers: h })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/v1/inbox', headers: bearer(pps.token) })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/admin/accounts/${pps.id}/disable`, headers: h })).statusCode).toBe(200);
    });
  },
  { auth: TEST_AUTH },
);
