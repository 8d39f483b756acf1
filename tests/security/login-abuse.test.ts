// Finding 9 of #12: login used to starve the server and lock officers out. A stranger who reads an
// officer's username (observers could, from the KPI tables) makes wrong tries to lock that officer
// out; rotates through the addresses of one IPv6 /64 to escape the per-address limit; floods
// logins so password hashing takes the whole thread pool from every other request. And an old,
// weaker password hash must not stay in the database once its officer has logged in again.
import { expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { HELD_VERSIONS_HEADER } from '../../core/protocol.ts';
import { hashPassword, verifyPassword } from '../../server/auth/password.ts';
import { bearer, coklit, officer, PASSWORD, pushAs, REGION, TEST_AUTH, TEST_SCRYPT } from '../server/auth-fixtures.ts';
import { describeEachDialect, type TestApp } from '../server/helpers.ts';

const STRANGER = '203.0.113.7';
const OFFICER_HOME = '198.51.100.20';

function loginFrom(t: TestApp, remoteAddress: string, username: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { username, password, deviceLabel: 'HP' } });
}

let clock = Date.parse('2026-12-07T00:00:00.000Z');

// The production limits (only the password cost is the tests' cheap one), on a clock the test moves.
describeEachDialect(
  'a stranger’s wrong tries against an officer',
  (ctx) => {
    it('never lock the officer out: the right password from the officer’s own network still logs in', async () => {
      const t = ctx();
      const victim = await officer(t, 'pantarlih', REGION.village);
      const stranger: number[] = [];
      for (let i = 0; i < 25; i++) stranger.push((await loginFrom(t, STRANGER, victim.username, `tebakan-${i}-xxxxx`)).statusCode);
      const own = await loginFrom(t, OFFICER_HOME, victim.username, PASSWORD);
      expect(own.statusCode, own.body).toBe(200);
      // The stranger gets the free tries, then waits.
      expect(stranger.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
      expect(stranger.every((s) => s === 401 || s === 429)).toBe(true);
    });

    it('make the stranger wait longer after each wrong try (1 s, 2 s, 4 s …), not for ever', async () => {
      const t = ctx();
      const victim = await officer(t, 'pantarlih', REGION.village);
      const waits: number[] = [];
      for (let i = 0; i < 3; i++) expect((await loginFrom(t, STRANGER, victim.username, 'salah-salah-salah')).statusCode).toBe(401);
      for (let i = 0; i < 5; i++) {
        const early = await loginFrom(t, STRANGER, victim.username, 'salah-salah-salah');
        expect(early.statusCode).toBe(429);
        const wait = Number(early.headers['retry-after']);
        waits.push(wait);
        clock += wait * 1000;
        expect((await loginFrom(t, STRANGER, victim.username, 'salah-salah-salah')).statusCode).toBe(401);
      }
      expect(waits).toEqual([1, 2, 4, 8, 16]);
      // Even the stranger's network gets the right password through once its wait is over.
      clock += 32_000;
      expect((await loginFrom(t, STRANGER, victim.username, PASSWORD)).statusCode).toBe(200);
    });

    it('count per IPv6 /64, not per address: rotating addresses in one /64 does not escape the limit', async () => {
      const t = ctx();
      const statuses: number[] = [];
      for (let i = 1; i <= 70; i++) {
        // Unknown usernames, one each: only the per-network limit (60 a minute) can stop these.
        const res = await loginFrom(t, `2001:db8:7:9::${i.toString(16)}`, `tak-ada-${randomBytes(4).toString('hex')}`, 'salah-salah-salah');
        statuses.push(res.statusCode);
      }
      expect(statuses.filter((s) => s === 429).length).toBe(10);
      // Another /64 has its own limit.
      expect((await loginFrom(t, '2001:db8:7:a::1', 'tak-ada-lain', 'salah-salah-salah')).statusCode).toBe(401);
    });
  },
  { auth: { scrypt: TEST_SCRYPT, now: () => clock } },
);

describeEachDialect(
  'a flood of logins',
  (ctx) => {
    it('leaves other requests answered, and refuses what it cannot hash soon with 503 and Retry-After', async () => {
      const t = ctx();
      const busy = await officer(t, 'pps', REGION.village);
      const order: string[] = [];
      const logins = Array.from({ length: 40 }, (_, i) =>
        loginFrom(t, `10.9.${i}.1`, `tak-ada-${randomBytes(4).toString('hex')}`, 'salah-salah-salah').then((res) => {
          if (res.statusCode === 401) order.push('login');
          return res;
        }),
      );
      // Let the logins reach their password check before the officer's request starts.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      const me = t.app.inject({ url: '/api/v1/auth/me', headers: bearer(busy.token) }).then((res) => {
        order.push('me');
        return res;
      });
      const [answered, ...rest] = await Promise.all([me, ...logins]);
      expect(answered.statusCode).toBe(200);
      // The officer's request did not queue behind the hashing: before the fix it came after ~all 40.
      expect(order.indexOf('me')).toBeLessThan(8);
      const refused = rest.filter((r) => r.statusCode === 503);
      expect(refused.length).toBeGreaterThan(0);
      for (const r of refused) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(rest.every((r) => r.statusCode === 401 || r.statusCode === 503)).toBe(true);
    });
  },
  // A real cost per hash (16 MiB, tens of ms), so the flood really occupies the threads.
  { auth: { ...TEST_AUTH, scrypt: { N: 2 ** 14, r: 8, p: 1 } } },
);

describeEachDialect(
  'usernames in the KPI tables',
  (ctx) => {
    it('are shown to account managers only, never to observers or PPK/PPS', async () => {
      const t = ctx();
      const field = await officer(t, 'pantarlih', REGION.village);
      expect((await pushAs(t.app, bearer(field.token), [{ ...coklit(REGION.village), practice: true }])).statusCode).toBe(200);
      // The field phone holds one form only, so the form-versions table lists what it lacks.
      await t.app.inject({ url: '/api/v1/changes?since=0', headers: { ...bearer(field.token), [HELD_VERSIONS_HEADER]: 'ppid-permohonan@1' } });
      const readers = {
        pengamat: await officer(t, 'pengamat', REGION.regency),
        ppk: await officer(t, 'ppk', REGION.district),
        pps: await officer(t, 'pps', REGION.village),
        operator: await officer(t, 'operator', REGION.regency),
      };
      for (const [role, reader] of Object.entries(readers)) {
        for (const url of ['/api/v1/kpi/practice', `/api/v1/kpi/form-versions?region=${REGION.village}`]) {
          for (const format of ['', url.includes('?') ? '&format=csv' : '?format=csv']) {
            const res = await t.app.inject({ url: `${url}${format}`, headers: bearer(reader.token) });
            expect(res.statusCode, `${role} ${url}${format}`).toBe(200);
            expect(res.body, `${role} ${url}${format}`).toContain('Uji pantarlih');
            if (role === 'operator') expect(res.body, `${role} ${url}${format}`).toContain(field.username);
            else expect(res.body, `${role} ${url}${format}`).not.toContain(field.username);
          }
        }
      }
    });
  },
  { auth: TEST_AUTH },
);

describeEachDialect(
  'a password hash made with older, weaker parameters',
  (ctx) => {
    it('is replaced by one with today’s parameters at the next login, and the password still works', async () => {
      const t = ctx();
      const o = await officer(t, 'kpps', REGION.village);
      // As an earlier version stored it: weaker than what this server hashes with.
      const old = await hashPassword(PASSWORD, TEST_SCRYPT);
      await t.db.updateTable('accounts').set({ password_hash: old }).where('id', '=', o.id).execute();
      const stored = async () => (await t.db.selectFrom('accounts').select('password_hash').where('id', '=', o.id).executeTakeFirstOrThrow()).password_hash;

      expect((await loginFrom(t, OFFICER_HOME, o.username, 'salah-salah-salah')).statusCode).toBe(401);
      expect(await stored()).toBe(old);
      expect((await loginFrom(t, OFFICER_HOME, o.username, PASSWORD)).statusCode).toBe(200);
      const upgraded = await stored();
      expect(upgraded).toMatch(/^scrypt\$2048\$8\$1\$/);
      expect(await verifyPassword(PASSWORD, upgraded)).toBe(true);
      expect((await loginFrom(t, OFFICER_HOME, o.username, PASSWORD)).statusCode).toBe(200);
      expect(await stored()).toBe(upgraded);
    });
  },
  { auth: { ...TEST_AUTH, scrypt: { N: 2 ** 11, r: 8, p: 1 } } },
);
