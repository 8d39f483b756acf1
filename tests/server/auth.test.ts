// Accounts, device tokens and revocation: log in once, use the token everywhere, and a revoked
// token (logout or an admin's revoke) is refused at once on every endpoint.
import { expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, verifyPassword } from '../../server/auth/password.ts';
import { clientNetwork, FailureDelay, RateLimiter, Slots } from '../../server/auth/rate-limit.ts';
import { newDevice, push, pull, envelope, describeEachDialect } from './helpers.ts';
import { bearer, coklit, login, officer, PASSWORD, pushAs, REGION, TEST_AUTH, TEST_SCRYPT } from './auth-fixtures.ts';

it('hashes passwords with a per-user salt and verifies them', async () => {
  const a = await hashPassword('rahasia-sekali-1', TEST_SCRYPT);
  const b = await hashPassword('rahasia-sekali-1', TEST_SCRYPT);
  expect(a).not.toBe(b);
  expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(await verifyPassword('rahasia-sekali-1', a)).toBe(true);
  expect(await verifyPassword('rahasia-sekali-2', a)).toBe(false);
  expect(await verifyPassword('rahasia-sekali-1', 'scrypt$99999999$8$1$AA$AA')).toBe(false);
  expect(await verifyPassword('x', 'not a hash')).toBe(false);
});

it('limits per key in fixed windows and says when to retry', () => {
  let now = 0;
  const limiter = new RateLimiter({ max: 2, windowMs: 10_000 }, () => now);
  expect(limiter.hit('a')).toEqual({ ok: true });
  expect(limiter.hit('a')).toEqual({ ok: true });
  expect(limiter.hit('b')).toEqual({ ok: true });
  now = 2_500;
  expect(limiter.hit('a')).toEqual({ ok: false, retryAfterSeconds: 8 });
  now = 10_000;
  expect(limiter.hit('a')).toEqual({ ok: true });
});

it('keys client addresses by network: IPv4 as is, IPv6 by its /64', () => {
  const cases: [string, string][] = [
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::5%eth0', '2001:db8:1:2::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['2001:db8:1::1.2.3.4', '2001:db8:1:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ];
  for (const [ip, key] of cases) expect(clientNetwork(ip), ip).toBe(key);
});

it('makes each try past the free ones wait twice as long, and forgets after success or a quiet time', () => {
  let now = 0;
  const delay = new FailureDelay({ free: 2, baseMs: 1000, maxMs: 4000, forgetMs: 60_000 }, () => now);
  expect([delay.attempt('k'), delay.attempt('k')]).toEqual([{ ok: true }, { ok: true }]);
  const waits: number[] = [];
  for (let i = 0; i < 4; i++) {
    const early = delay.attempt('k');
    if (early.ok) throw new Error('not braked');
    waits.push(early.retryAfterSeconds);
    now += early.retryAfterSeconds * 1000;
    expect(delay.attempt('k')).toEqual({ ok: true });
  }
  expect(waits).toEqual([1, 2, 4, 4]);
  expect(delay.attempt('other')).toEqual({ ok: true });
  delay.succeeded('k');
  expect(delay.attempt('k')).toEqual({ ok: true });
  now += 60_000;
  expect(delay.attempt('k')).toEqual({ ok: true });
});

it('hands password slots over in order and refuses beyond the queue', async () => {
  const slots = new Slots({ slots: 1, queue: 1, maxWaitMs: 60_000 });
  const first = await slots.acquire();
  const waiting = slots.acquire();
  expect(await slots.acquire()).toBeUndefined();
  first!();
  const second = await waiting;
  expect(second).toBeTypeOf('function');
  second!();
  const third = await slots.acquire();
  expect(third).toBeTypeOf('function');
});

it('hashes with OWASP-level scrypt by default and rehashes only weaker stored hashes', async () => {
  const { N, r, p } = DEFAULT_SCRYPT;
  // OWASP: N = 2^17, r = 8, p = 1 or an equivalent (same N · r · p, r ≥ 8).
  expect(N * r * p).toBeGreaterThanOrEqual(2 ** 17 * 8);
  expect(r).toBeGreaterThanOrEqual(8);
  const weak = await hashPassword('rahasia-sekali-1', TEST_SCRYPT);
  expect(needsRehash(weak, DEFAULT_SCRYPT)).toBe(true);
  expect(needsRehash(weak, TEST_SCRYPT)).toBe(false);
  expect(needsRehash(weak, { ...TEST_SCRYPT, N: TEST_SCRYPT.N / 2 })).toBe(false);
});

describeEachDialect(
  'device tokens',
  (ctx) => {
    it('logs in, answers the account on /auth/me, and refuses wrong passwords alike for unknown users', async () => {
      const t = ctx();
      const pps = await officer(t, 'pps', REGION.village);
      expect(pps.token).toMatch(/^jkt_/);
      const me = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(pps.token) });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ account: { username: pps.username, role: 'pps', scope: REGION.village }, deviceId: pps.deviceId });

      const wrong = await login(t.app, pps.username, 'salah-salah-salah');
      const unknown = await login(t.app, 'tidak-ada-orangnya', PASSWORD);
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toEqual(unknown.json());
      // Only the hash is stored.
      const stored = await t.db.selectFrom('device_tokens').select('token_hash').where('id', '=', pps.deviceId).executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toContain(pps.token.slice(4));
    });

    it('pushes and pulls with the token; logout revokes it everywhere at once', async () => {
      const t = ctx();
      const p = await officer(t, 'pantarlih', REGION.village);
      const item = coklit(REGION.village);
      const pushed = await pushAs(t.app, bearer(p.token), [item]);
      expect(pushed.statusCode).toBe(200);
      expect(pushed.json().results[0]).toMatchObject({ outcome: 'accepted' });
      const row = await t.db.selectFrom('submissions').select(['region_code', 'account_id', 'device_id']).where('id', '=', item.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ region_code: REGION.village, account_id: p.id, device_id: p.deviceId });
      const pulled = await t.app.inject({ url: '/api/v1/changes?since=0', headers: bearer(p.token) });
      expect(pulled.statusCode).toBe(200);

      const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(p.token) });
      expect(out.statusCode).toBe(200);
      for (const res of [
        await pushAs(t.app, bearer(p.token), [coklit(REGION.village)]),
        await t.app.inject({ url: '/api/v1/changes?since=0', headers: bearer(p.token) }),
        await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(p.token) }),
        await t.app.inject({ url: '/api/v1/forms', headers: bearer(p.token) }),
      ]) {
        expect(res.statusCode).toBe(401);
        // A stable code a phone can act on: this token was revoked (not merely unknown).
        expect(res.json()).toMatchObject({ error: 'token_revoked' });
      }
    });

    it('lets an admin revoke a device in scope (lost phone), and no one outside scope', async () => {
      const t = ctx();
      const p = await officer(t, 'pantarlih', REGION.village);
      const otherOperator = await officer(t, 'operator', REGION.otherRegency);
      const operator = await officer(t, 'operator', REGION.regency);
      const denied = await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${p.deviceId}/revoke`, headers: bearer(otherOperator.token) });
      expect(denied.statusCode).toBe(404);
      expect((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(p.token) })).statusCode).toBe(200);

      const list = await t.app.inject({ url: `/api/v1/admin/accounts/${p.id}/devices`, headers: bearer(operator.token) });
      expect(list.json().devices).toEqual([expect.objectContaining({ id: p.deviceId, revoked: false })]);
      const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/admin/devices/${p.deviceId}/revoke`, headers: bearer(operator.token) });
      expect(revoked.statusCode).toBe(200);
      expect((await pushAs(t.app, bearer(p.token), [coklit(REGION.village)])).statusCode).toBe(401);
      expect((await t.app.inject({ url: '/api/v1/changes?since=0', headers: bearer(p.token) })).statusCode).toBe(401);
      // A new login on another phone works.
      const again = await login(t.app, p.username, PASSWORD);
      expect(again.statusCode).toBe(200);
    });

    it('accepts officer forms only from an officer token whose scope covers the village', async () => {
      const t = ctx();
      const p = await officer(t, 'pantarlih', REGION.village);
      const observer = await officer(t, 'pengamat', REGION.regency);
      const inScope = coklit(REGION.village);
      const outOfScope = coklit(REGION.otherVillage);
      const res = await pushAs(t.app, bearer(p.token), [inScope, outOfScope]);
      expect(res.json().results.map((r: { outcome: string; reason?: string }) => r.reason ?? r.outcome)).toEqual(['accepted', 'forbidden']);
      const resident = await push(t.app, newDevice(), { items: [coklit(REGION.village), envelope()] });
      expect(resident.json().results.map((r: { outcome: string; reason?: string }) => r.reason ?? r.outcome)).toEqual(['forbidden', 'accepted']);
      const byObserver = await pushAs(t.app, bearer(observer.token), [coklit(REGION.village)]);
      expect(byObserver.json().results[0]).toMatchObject({ outcome: 'rejected', reason: 'forbidden' });
      // A resident device still pulls as before.
      expect((await pull(t.app, newDevice())).statusCode).toBe(200);
    });

    it('creates accounts only within the creator’s scope and role list', async () => {
      const t = ctx();
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const operator = await officer(t, 'operator', REGION.regency);
      const create = (token: string, body: Record<string, unknown>) =>
        t.app.inject({ method: 'POST', url: '/api/v1/admin/accounts', headers: bearer(token), payload: { password: PASSWORD, displayName: 'Petugas', ...body } });
      expect((await create(operator.token, { username: 'pps-sungailiat', role: 'pps', scope: REGION.village })).statusCode).toBe(201);
      expect((await create(operator.token, { username: 'pps-lain', role: 'pps', scope: REGION.otherVillage })).statusCode).toBe(403);
      expect((await create(operator.token, { username: 'op-baru', role: 'operator', scope: REGION.regency })).statusCode).toBe(403);
      expect((await create(admin.token, { username: 'op-belitung', role: 'operator', scope: REGION.otherRegency })).statusCode).toBe(201);
      expect((await create(admin.token, { username: 'op-belitung', role: 'operator', scope: REGION.otherRegency })).statusCode).toBe(409);
      const mismatch = await create(admin.token, { username: 'pps-salah', role: 'pps', scope: REGION.regency });
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.json().error).toBe('scope_role_mismatch');
      expect((await create(admin.token, { username: 'x', role: 'pps', scope: REGION.village })).json().error).toBe('username_invalid');
      expect((await create(admin.token, { username: 'pps-pendek', role: 'pps', scope: REGION.village, password: 'pendek' })).json().error).toBe('password_short');
      expect((await create(admin.token, { username: 'pps-ghaib', role: 'pps', scope: '19.01.01.9999' })).json().error).toBe('scope_unknown');
      const listed = await t.app.inject({ url: '/api/v1/admin/accounts?limit=200', headers: bearer(operator.token) });
      const scopes = listed.json().accounts.map((a: { scope: string }) => a.scope);
      expect(scopes.length).toBeGreaterThan(0);
      expect(scopes.every((s: string) => s === REGION.regency || s.startsWith(`${REGION.regency}.`))).toBe(true);
    });
  },
  { auth: TEST_AUTH },
);

describeEachDialect(
  'login rate limits',
  (ctx) => {
    it('answers 429 with Retry-After once a username has had its free tries from this network', async () => {
      const t = ctx();
      const p = await officer(t, 'pps', REGION.village);
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await login(t.app, p.username, 'salah-salah-salah')).statusCode);
      const limited = await login(t.app, p.username, PASSWORD);
      expect(codes).toEqual([401, 401, 401, 429]);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });
  },
  { auth: { ...TEST_AUTH, passwordTries: { free: 3, baseMs: 60_000, maxMs: 60_000, forgetMs: 60 * 60_000 } } },
);

describeEachDialect(
  'push rate limit',
  (ctx) => {
    it('answers 429 with Retry-After past the per-address push limit, and counts no item', async () => {
      const t = ctx();
      const device = newDevice();
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await push(t.app, device, { items: [envelope()] })).statusCode);
      const limited = await push(t.app, device, { items: [envelope()] });
      expect(codes).toEqual([200, 200, 200]);
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      const stored = await t.db.selectFrom('submissions').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(3);
    });
  },
  { auth: { ...TEST_AUTH, pushPerIp: { max: 3, windowMs: 60_000 } } },
);

describeEachDialect(
  'disabling an account',
  (ctx) => {
    it('stops its logins and revokes its devices; only a manager in scope may, and not on itself', async () => {
      const t = ctx();
      const op = await officer(t, 'operator', REGION.regency);
      const rogue = await officer(t, 'pps', REGION.village);
      const disable = (who: { token: string }, id: string) =>
        t.app.inject({ method: 'POST', url: `/api/v1/admin/accounts/${id}/disable`, headers: bearer(who.token) });
      expect((await disable(await officer(t, 'operator', REGION.otherRegency), rogue.id)).statusCode).toBe(404);
      expect((await disable(op, op.id)).statusCode).toBe(404);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      expect((await disable(admin, admin.id)).statusCode).toBe(409);
      expect((await disable(op, rogue.id)).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(rogue.token) })).statusCode).toBe(401);
      expect((await login(t.app, rogue.username, PASSWORD)).statusCode).toBe(401);
      const audit = await t.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'account.disable').where('subject', '=', rogue.id).execute();
      expect(audit).toEqual([{ actor_id: op.id }]);
    });
  },
  { auth: TEST_AUTH },
);
