// Password change (own, with the current password) and reset (an account manager, in scope): the
// new hash is stored, the account's other device tokens stop working at once, both are audited,
// and the change is braked like login.
import { expect, it } from 'vitest';
import { verifyPassword } from '../../server/auth/password.ts';
import { bearer, login, officer, PASSWORD, REGION, TEST_AUTH, TEST_SCRYPT } from './auth-fixtures.ts';
import { describeEachDialect } from './helpers.ts';

const NEW_PASSWORD = 'kata-sandi-baru-456';

describeEachDialect(
  'password change and reset',
  (ctx) => {
    const storedHash = async (id: string) =>
      (await ctx().db.selectFrom('accounts').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()).password_hash;
    const me = async (token: string) => (await ctx().app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode;

    it('changes the own password, keeps this device, logs the others out and audits it', async () => {
      const t = ctx();
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const other = (await login(t.app, pantarlih.username, PASSWORD)).json<{ token: string }>().token;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: bearer(pantarlih.token),
        payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ ok: true, revokedDevices: 1 });
      expect(await verifyPassword(NEW_PASSWORD, await storedHash(pantarlih.id))).toBe(true);
      expect(await me(pantarlih.token)).toBe(200);
      expect(await me(other)).toBe(401);
      expect((await login(t.app, pantarlih.username, PASSWORD)).statusCode).toBe(401);
      expect((await login(t.app, pantarlih.username, NEW_PASSWORD)).statusCode).toBe(200);
      const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'subject', 'detail_json']).where('action', '=', 'account.password_change').execute();
      expect(audit.map((a) => [a.actor_id, a.subject, JSON.parse(a.detail_json)])).toEqual([[pantarlih.id, pantarlih.id, { revokedDevices: 1 }]]);
      expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
    });

    it('refuses a wrong current password, a short new one and the same one with 400, changing nothing', async () => {
      const t = ctx();
      const pps = await officer(t, 'pps', REGION.village);
      const before = await storedHash(pps.id);
      const cases = [
        [{ currentPassword: 'bukan-kata-sandinya', newPassword: NEW_PASSWORD }, 'current_password_wrong'],
        [{ currentPassword: PASSWORD, newPassword: 'pendek' }, 'password_short'],
        [{ currentPassword: PASSWORD, newPassword: PASSWORD }, 'password_unchanged'],
      ] as const;
      for (const [payload, error] of cases) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(pps.token), payload });
        expect(res.statusCode, error).toBe(400);
        expect(res.json()).toMatchObject({ error });
      }
      expect(await storedHash(pps.id)).toBe(before);
      expect(await me(pps.token)).toBe(200);
      const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } });
      expect(anonymous.statusCode).toBe(401);
    });

    it('lets an account manager reset a password in scope only, logging out every device of the account', async () => {
      const t = ctx();
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const operator = await officer(t, 'operator', REGION.regency);
      const elsewhere = await officer(t, 'operator', REGION.otherRegency);
      const pps = await officer(t, 'pps', REGION.village);
      const reset = (token: string, id: string) =>
        t.app.inject({ method: 'POST', url: `/api/v1/admin/accounts/${id}/password`, headers: bearer(token), payload: { newPassword: NEW_PASSWORD } });
      expect((await reset(elsewhere.token, pantarlih.id)).statusCode).toBe(404);
      expect((await reset(pps.token, pantarlih.id)).statusCode).toBe(403);
      // An operator cannot reach another operator, and an admin not itself: that is POST /auth/password.
      expect((await reset(operator.token, operator.id)).statusCode).toBe(404);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      expect((await reset(admin.token, admin.id)).statusCode).toBe(409);
      expect(await me(pantarlih.token)).toBe(200);

      const res = await reset(operator.token, pantarlih.id);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ ok: true, revokedDevices: 1 });
      expect(await me(pantarlih.token)).toBe(401);
      expect((await login(t.app, pantarlih.username, NEW_PASSWORD)).statusCode).toBe(200);
      const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'subject', 'region_code']).where('action', '=', 'account.password_reset').execute();
      expect(audit).toEqual([{ actor_id: operator.id, subject: pantarlih.id, region_code: REGION.village }]);
    });
  },
  { auth: TEST_AUTH },
);

describeEachDialect(
  'password change rate limit',
  (ctx) => {
    it('answers 429 with Retry-After once this token’s free tries are spent, even for the right password', async () => {
      const t = ctx();
      const kpps = await officer(t, 'kpps', REGION.village);
      const attempt = (currentPassword: string) =>
        t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(kpps.token), payload: { currentPassword, newPassword: NEW_PASSWORD } });
      expect((await attempt('salah-satu-1234')).statusCode).toBe(400);
      expect((await attempt('salah-dua-12345')).statusCode).toBe(400);
      const braked = await attempt(PASSWORD);
      expect(braked.statusCode).toBe(429);
      expect(Number(braked.headers['retry-after'])).toBeGreaterThan(0);
      expect(await verifyPassword(PASSWORD, (await t.db.selectFrom('accounts').select('password_hash').where('id', '=', kpps.id).executeTakeFirstOrThrow()).password_hash)).toBe(true);
    });
  },
  { auth: { ...TEST_AUTH, scrypt: TEST_SCRYPT, passwordTries: { free: 2, baseMs: 60 * 60_000, maxMs: 60 * 60_000, forgetMs: 24 * 60 * 60_000 } } },
);
