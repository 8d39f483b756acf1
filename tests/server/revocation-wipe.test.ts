// The wipe signal (#12 finding 4): a token an admin revoked, or whose account an admin disabled,
// is refused with its own 401 code, `token_revoked_wipe`, under every scheme the phone may send it
// in (Bearer, and `Device <tokenId>.<token>`), so the phone erases the officer's data. A logout, a
// password change (which revokes the officer's other phones) or a reset, and an idle token, keep
// their codes: those phones may hold work not sent yet. Only the token's holder hears the signal.
import { expect, it } from 'vitest';
import { deviceAuthorization } from '../../core/protocol.ts';
import { bearer, deadToken, login, officer, PASSWORD, REGION, TEST_AUTH, type DeadTokenState } from './auth-fixtures.ts';
import { describeEachDialect } from './helpers.ts';

const EXPECTED: Readonly<Record<DeadTokenState, { bearer: string; device: string }>> = {
  'revoked by an admin': { bearer: 'token_revoked_wipe', device: 'token_revoked_wipe' },
  'account disabled': { bearer: 'token_revoked_wipe', device: 'token_revoked_wipe' },
  'logged out': { bearer: 'token_revoked', device: 'officer_device' },
  'password changed elsewhere': { bearer: 'token_revoked', device: 'officer_device' },
  'password reset by an admin': { bearer: 'token_revoked', device: 'officer_device' },
  'idle past its limit': { bearer: 'token_expired', device: 'officer_device' },
};

describeEachDialect(
  'the wipe signal of an admin’s revocation',
  (ctx) => {
    for (const [state, expected] of Object.entries(EXPECTED) as [DeadTokenState, (typeof EXPECTED)[DeadTokenState]][]) {
      it(`${state}: 401 ${expected.bearer} as Bearer, ${expected.device} as a Device credential`, async () => {
        const t = ctx();
        const victim = await deadToken(t, state);
        const asBearer = await t.app.inject({ url: '/api/v1/changes?since=0', headers: bearer(victim.token) });
        const asDevice = await t.app.inject({ url: '/api/v1/changes?since=0', headers: { authorization: deviceAuthorization(victim.deviceId, victim.token) } });
        expect([asBearer.statusCode, asDevice.statusCode]).toEqual([401, 401]);
        expect({ bearer: asBearer.json().error, device: asDevice.json().error }).toEqual(expected);
      });
    }

    it('tells only the token’s holder: the token id with another secret hears officer_device', async () => {
      const t = ctx();
      const victim = await deadToken(t, 'revoked by an admin');
      const guess = await t.app.inject({ url: '/api/v1/forms', headers: { authorization: deviceAuthorization(victim.deviceId, `jkt_${'A'.repeat(43)}`) } });
      expect(guess.statusCode).toBe(401);
      expect(guess.json().error).toBe('officer_device');
    });

    it('a phone stolen, logged out by a password change, then reported to an admin: wipes', async () => {
      const t = ctx();
      const victim = await deadToken(t, 'password changed elsewhere');
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const before = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(victim.token) });
      expect(before.json().error).toBe('token_revoked');
      const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${victim.deviceId}/revoke`, headers: bearer(admin.token) });
      expect(revoked.json()).toEqual({ ok: true, wipeOnContact: true });
      const after = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(victim.token) });
      expect(after.json().error).toBe('token_revoked_wipe');
    });

    it('tells the admin: the revoke and disable answers and the device list say the phone wipes', async () => {
      const t = ctx();
      const victim = await officer(t, 'pantarlih', REGION.village);
      const second = (await login(t.app, victim.username, PASSWORD)).json<{ deviceId: string }>();
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${victim.deviceId}/revoke`, headers: bearer(admin.token) });
      expect(revoked.json()).toEqual({ ok: true, wipeOnContact: true });
      const list = async () =>
        (await t.app.inject({ url: `/api/v1/admin/accounts/${victim.id}/devices`, headers: bearer(admin.token) })).json<{ devices: { id: string; revoked: boolean; wipeOnContact: boolean }[] }>().devices;
      expect(new Map((await list()).map((d) => [d.id, [d.revoked, d.wipeOnContact]]))).toEqual(
        new Map([
          [victim.deviceId, [true, true]],
          [second.deviceId, [false, false]],
        ]),
      );
      const disabled = await t.app.inject({ method: 'POST', url: `/api/v1/admin/accounts/${victim.id}/disable`, headers: bearer(admin.token) });
      expect(disabled.json()).toEqual({ ok: true, wipeOnContact: true });
      expect((await list()).every((d) => d.revoked && d.wipeOnContact)).toBe(true);
    });
  },
  { auth: TEST_AUTH },
);
