// Fuzzing the API through app.inject: thousands of malformed, oversize, wrongly typed and
// unauthorised requests. Every one is answered 4xx (a 5xx would mean input reached code that did
// not expect it), the server stays healthy, nothing is created, and the audit chain verifies.
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { countAccounts } from '../../server/repositories/accounts.ts';
import { verifyAuditChain } from '../../server/repositories/audit-log.ts';
import { describeEachDialect, newDevice, type TestApp } from './helpers.ts';
import { bearer, coklit, officer, pushAs, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 600);

const OFFICER_ROUTES = [
  ['GET', '/api/v1/auth/me'],
  ['POST', '/api/v1/auth/logout'],
  ['GET', '/api/v1/admin/accounts'],
  ['POST', '/api/v1/admin/accounts'],
  ['GET', '/api/v1/admin/accounts/01JD2K8FABCDEFGHJKMNPQRSTV/devices'],
  ['POST', '/api/v1/admin/devices/01JD2K8FABCDEFGHJKMNPQRSTV/revoke'],
  ['GET', '/api/v1/inbox'],
  ['GET', '/api/v1/inbox/01JD2K8FABCDEFGHJKMNPQRSTV'],
  ['POST', '/api/v1/inbox/01JD2K8FABCDEFGHJKMNPQRSTV/status'],
  ['POST', '/api/v1/inbox/01JD2K8FABCDEFGHJKMNPQRSTV/extend'],
  ['GET', '/api/v1/audit'],
  ['POST', '/api/v1/auth/password'],
  ['POST', '/api/v1/admin/accounts/01JD2K8FABCDEFGHJKMNPQRSTV/password'],
  ['GET', '/api/v1/assignments'],
  ['POST', '/api/v1/assignments'],
] as const;

const ADMIN_ONLY = OFFICER_ROUTES.filter(
  ([method, url]) => url.includes('/admin/') || url.endsWith('/audit') || url.includes('/inbox') || (method === 'POST' && url.endsWith('/assignments')),
);

interface Ctx {
  admin: TestOfficer;
  field: TestOfficer;
  revoked: TestOfficer;
  accountsBefore: number;
}
let c: Ctx | undefined;
const fx = () => {
  if (!c) throw new Error('not ready');
  return c;
};

/** JSON values of every shape, deep and wide enough to reach the schema checks' corners. */
const jsonValue = fc.jsonValue({ maxDepth: 4 });
const jsonText = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '{"username":', '[]', 'null', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '{"a":1}{"b":2}'),
);

function expect4xx(res: LightMyRequestResponse, what: string): void {
  if (res.statusCode < 400 || res.statusCode >= 500) throw new Error(`${what} → ${res.statusCode} ${res.body.slice(0, 200)}`);
}

describeEachDialect(
  'fuzz',
  (ctx) => {
    beforeAll(async () => {
      const t = ctx();
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const field = await officer(t, 'pantarlih', REGION.village);
      const revoked = await officer(t, 'operator', REGION.regency);
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(revoked.token) });
      c = { admin, field, revoked, accountsBefore: await countAccounts(t.db) };
    });

    it('refuses every unauthorised call to an officer endpoint', async () => {
      const t: TestApp = ctx();
      const credentials = fc.oneof(
        fc.constant<Record<string, string>>({}),
        fc.string({ maxLength: 300 }).map((s) => ({ authorization: s })),
        fc.string({ maxLength: 80 }).map((s) => ({ authorization: `Bearer ${s}` })),
        fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((s) => ({ authorization: `Bearer jkt_${s}` })),
        fc.constant(0).map(() => bearer(fx().revoked.token)),
        fc.constant(0).map(() => ({ authorization: newDevice().authorization })),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...OFFICER_ROUTES), credentials, jsonText, async ([method, url], headers, body) => {
          const res = await t.app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: method === 'POST' ? body : undefined });
          expect4xx(res, `${method} ${url}`);
          if (res.statusCode !== 401 && res.statusCode !== 400) throw new Error(`${method} ${url} unauthorised → ${res.statusCode}`);
        }),
        { numRuns: RUNS },
      );
    });

    it('refuses a field officer on every staff endpoint', async () => {
      const t = ctx();
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ADMIN_ONLY), jsonValue, async ([method, url], body) => {
          const res = await t.app.inject({ method, url, headers: bearer(fx().field.token), payload: method === 'POST' ? (body as object) : undefined });
          expect4xx(res, `${method} ${url}`);
        }),
        { numRuns: RUNS },
      );
    });

    it('answers malformed and wrongly typed bodies, params and queries from an admin with 4xx', async () => {
      const t = ctx();
      const target = fc.oneof(
        fc.record({ method: fc.constant('POST' as const), url: fc.constant('/api/v1/admin/accounts'), body: jsonText }),
        fc.record({ method: fc.constant('POST' as const), url: fc.constant('/api/v1/auth/login'), body: jsonText }),
        fc.record({
          method: fc.constant('POST' as const),
          url: fc.string({ maxLength: 40 }).map((s) => `/api/v1/inbox/${encodeURIComponent(s)}/status`),
          body: jsonText,
        }),
        fc.record({
          method: fc.constantFrom('GET' as const, 'POST' as const),
          url: fc.string({ minLength: 1, maxLength: 40 }).map((s) => `/api/v1/admin/devices/${encodeURIComponent(s)}/revoke`),
          body: fc.constant(''),
        }),
        fc.record({
          method: fc.constant('GET' as const),
          url: fc
            .tuple(fc.string({ maxLength: 20 }), fc.oneof(fc.integer({ min: 201 }), fc.integer({ max: 0 }), fc.constantFrom('x', '1.5', '-1', 'NaN')))
            .map(([status, limit]) => `/api/v1/inbox?status=zz${encodeURIComponent(status)}&limit=${encodeURIComponent(String(limit))}`),
          body: fc.constant(''),
        }),
        fc.record({
          method: fc.constant('GET' as const),
          url: fc.oneof(fc.integer({ max: -1 }), fc.constantFrom('x', '1e999', '--1')).map((v) => `/api/v1/audit?after=${encodeURIComponent(String(v))}`),
          body: fc.constant(''),
        }),
      );
      await fc.assert(
        fc.asyncProperty(target, async ({ method, url, body }) => {
          const res = await t.app.inject({
            method,
            url,
            headers: { ...bearer(fx().admin.token), 'content-type': 'application/json' },
            payload: method === 'POST' ? body : undefined,
          });
          expect4xx(res, `${method} ${url} ${body.slice(0, 60)}`);
        }),
        { numRuns: RUNS },
      );
    });

    it('refuses oversize bodies, foreign content types and encodings', async () => {
      const t = ctx();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/api/v1/auth/login', '/api/v1/admin/accounts', '/api/v1/inbox/01JD2K8FABCDEFGHJKMNPQRSTV/status'),
          fc.oneof(
            fc.integer({ min: 17 * 1024, max: 64 * 1024 }).map((n) => ({ type: 'application/json', body: `{"username":"${'a'.repeat(n)}"}` })),
            fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml').map((type) => ({
              type,
              body: 'username=a&password=b',
            })),
          ),
          async (url, { type, body }) => {
            const res = await t.app.inject({ method: 'POST', url, headers: { ...bearer(fx().admin.token), 'content-type': type }, payload: body });
            expect4xx(res, `${url} ${type} ${body.length}`);
          },
        ),
        { numRuns: Math.ceil(RUNS / 4) },
      );
      const huge = await pushAs(t.app, bearer(fx().field.token), [{ ...coklit(REGION.village), data: { x: 'a'.repeat(5 * 1024 * 1024) } }]);
      expect(huge.statusCode).toBe(413);
      const gzipLie = await t.app.inject({
        method: 'POST',
        url: '/api/v1/push',
        headers: { ...bearer(fx().field.token), 'content-type': 'application/json', 'content-encoding': 'gzip' },
        payload: '{"items":[]}',
      });
      expect(gzipLie.statusCode).toBe(400);
    });

    it('rejects every item of a push made of random data, and never stores one', async () => {
      const t = ctx();
      await fc.assert(
        fc.asyncProperty(fc.array(jsonValue, { minLength: 1, maxLength: 20 }), async (items) => {
          const res = await pushAs(t.app, bearer(fx().field.token), items);
          if (res.statusCode !== 200) {
            expect4xx(res, 'push');
            return;
          }
          const results = res.json<{ results: { outcome: string }[] }>().results;
          if (results.some((r) => r.outcome !== 'rejected')) throw new Error(`random item stored: ${res.body.slice(0, 200)}`);
        }),
        { numRuns: RUNS },
      );
    });

    it('stays healthy: health answers, no account was created, and the audit chain verifies', async () => {
      const t = ctx();
      expect((await t.app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
      expect(await countAccounts(t.db)).toBe(fx().accountsBefore);
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
      const still = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(fx().admin.token) });
      expect(still.statusCode).toBe(200);
    });
  },
  { auth: { ...TEST_AUTH, loginPerIp: { max: 50, windowMs: 60_000 } } },
);
