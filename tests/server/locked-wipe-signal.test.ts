// The wipe signal reaches a LOCKED phone (#12 finding 4, docs/security.md). A locked phone cannot
// send its officer token (sealed under the device key), yet it still pulls and pushes under its own
// device credential. At login it gave the server a random revocation check, kept in the clear; it
// sends `<tokenId>.<check>` with each sync request, and once an admin revoked that token (or
// disabled the account) every answer carries `x-jangkau-wipe: officer`. A logout, a password change
// or a reset does not (the phone may hold work not sent yet); nor hears it a phone that holds
// another check, another token's check, or none.
import { expect, it } from 'vitest';
import { randomSecret } from '../../core/ids.ts';
import { REVOCATION_CHECK_HEADER, WIPE_HEADER } from '../../core/protocol.ts';
import { bearer, officer, PASSWORD, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pushOk, type TestApp, type TestDevice } from './helpers.ts';

interface Phone {
  own: TestDevice;
  tokenId: string;
  token: string;
  check: string;
}

/** An officer's phone: its own device credential (known to the server) and a login with a check. */
async function phoneOf(t: TestApp, victim: TestOfficer): Promise<Phone> {
  const own = newDevice();
  await pushOk(t.app, own, [envelope()]);
  const check = randomSecret(32);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: victim.username, password: PASSWORD, deviceLabel: 'HP uji', revocationCheck: check } });
  expect(res.statusCode).toBe(200);
  const { token, deviceId } = res.json<{ token: string; deviceId: string }>();
  return { own, tokenId: deviceId, token, check };
}

/** What the phone hears when it syncs locked: a pull and a push under its own credential. */
async function heard(t: TestApp, own: TestDevice, check: string | undefined): Promise<(string | undefined)[]> {
  const headers: Record<string, string> = check === undefined ? {} : { [REVOCATION_CHECK_HEADER]: check };
  const pulled = await t.app.inject({ url: '/api/v1/changes', headers: { authorization: own.authorization, ...headers } });
  const pushed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/push',
    headers: { authorization: own.authorization, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ items: [envelope()] }),
  });
  expect([pulled.statusCode, pushed.statusCode]).toEqual([200, 200]);
  return [pulled.headers[WIPE_HEADER] as string | undefined, pushed.headers[WIPE_HEADER] as string | undefined];
}

const checkOf = (p: Phone, secret = p.check) => `${p.tokenId}.${secret}`;

describeEachDialect(
  'the wipe signal reaches a locked phone under its own device credential',
  (ctx) => {
    it('after an admin revokes the token: every answer to the phone that holds the check says wipe', async () => {
      const t = ctx();
      const victim = await officer(t, 'pantarlih', REGION.village);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const phone = await phoneOf(t, victim);
      expect(await heard(t, phone.own, checkOf(phone))).toEqual([undefined, undefined]);
      const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${phone.tokenId}/revoke`, headers: bearer(admin.token) });
      expect(revoked.json()).toEqual({ ok: true, wipeOnContact: true });
      expect(await heard(t, phone.own, checkOf(phone))).toEqual(['officer', 'officer']);
      // The public forms list too: any contact.
      const forms = await t.app.inject({ url: '/api/v1/forms', headers: { [REVOCATION_CHECK_HEADER]: checkOf(phone) } });
      expect(forms.headers[WIPE_HEADER]).toBe('officer');
    });

    it('after the account is disabled: wipe', async () => {
      const t = ctx();
      const victim = await officer(t, 'pantarlih', REGION.village);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const phone = await phoneOf(t, victim);
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/admin/accounts/${victim.id}/disable`, headers: bearer(admin.token) });
      expect(res.statusCode).toBe(200);
      expect(await heard(t, phone.own, checkOf(phone))).toEqual(['officer', 'officer']);
    });

    it('after a password change elsewhere, or a logout: no signal', async () => {
      const t = ctx();
      const victim = await officer(t, 'pantarlih', REGION.village);
      const phone = await phoneOf(t, victim);
      const changed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: bearer(victim.token),
        payload: { currentPassword: PASSWORD, newPassword: 'kata-sandi-baru-789' },
      });
      expect(changed.statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(phone.token) })).json().error).toBe('token_revoked');
      expect(await heard(t, phone.own, checkOf(phone))).toEqual([undefined, undefined]);

      const other = await officer(t, 'pantarlih', REGION.village);
      const second = await phoneOf(t, other);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(second.token) })).statusCode).toBe(200);
      expect(await heard(t, second.own, checkOf(second))).toEqual([undefined, undefined]);
    });

    it('tells nobody else: another phone, a guessed check, another token’s check, or the token as check', async () => {
      const t = ctx();
      const victim = await officer(t, 'pantarlih', REGION.village);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const phone = await phoneOf(t, victim);
      const bystander = await phoneOf(t, await officer(t, 'pantarlih', REGION.village));
      await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${phone.tokenId}/revoke`, headers: bearer(admin.token) });
      const stranger = newDevice();
      await pushOk(t.app, stranger, [envelope()]);
      expect(await heard(t, stranger, undefined)).toEqual([undefined, undefined]);
      expect(await heard(t, stranger, checkOf(phone, randomSecret(32)))).toEqual([undefined, undefined]);
      expect(await heard(t, stranger, checkOf(phone, phone.token))).toEqual([undefined, undefined]);
      expect(await heard(t, stranger, `${phone.tokenId}.${bystander.check}`)).toEqual([undefined, undefined]);
      expect(await heard(t, bystander.own, checkOf(bystander))).toEqual([undefined, undefined]);
      expect(await heard(t, stranger, 'not a check')).toEqual([undefined, undefined]);
      // A login without a check (an older app) is never signalled this way.
      const old = await officer(t, 'pantarlih', REGION.village);
      await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${old.deviceId}/revoke`, headers: bearer(admin.token) });
      expect(await heard(t, stranger, `${old.deviceId}.${'A'.repeat(43)}`)).toEqual([undefined, undefined]);
    });

    it('is in the OpenAPI document: the login’s check, the pull’s header and its answer’s header', async () => {
      const doc = (await ctx().app.inject({ url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: unknown; responses: Record<string, { headers?: object }> }>> }>();
      const pullOp = doc.paths['/api/v1/changes']!.get!;
      expect(pullOp.parameters?.map((p) => p.name)).toContain(REVOCATION_CHECK_HEADER);
      expect(Object.keys(pullOp.responses['200']!.headers ?? {})).toEqual([WIPE_HEADER]);
      expect(JSON.stringify(doc.paths['/api/v1/auth/login']!.post!.requestBody)).toContain('revocationCheck');
    });
  },
  { auth: TEST_AUTH },
);
