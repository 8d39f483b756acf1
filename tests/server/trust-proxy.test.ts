// TRUST_PROXY: off by default, so X-Forwarded-For is ignored and a client cannot pick its own
// address; set to the load balancer's address, the per-address limits key on the real client.
import { expect, it } from 'vitest';
import { parseTrustProxy } from '../../server/config.ts';
import { TEST_AUTH } from './auth-fixtures.ts';
import { describeEachDialect } from './helpers.ts';

const ONE_LOGIN_PER_ADDRESS = { ...TEST_AUTH, loginPerIp: { max: 1, windowMs: 60 * 60_000 } };

/** Two logins that claim two different client addresses: the second is braked only when both count as one. */
async function secondLoginStatus(app: import('fastify').FastifyInstance): Promise<number> {
  let last = 0;
  for (const client of ['36.70.1.10', '36.70.1.11']) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-for': client },
      payload: { username: 'tidak-ada', password: 'bukan-kata-sandi', deviceLabel: 'uji' },
    });
    last = res.statusCode;
  }
  return last;
}

describeEachDialect(
  'trust proxy off (default)',
  (ctx) => {
    it('ignores X-Forwarded-For: every request from the balancer shares one limit', async () => {
      expect(await secondLoginStatus(ctx().app)).toBe(429);
    });
  },
  { auth: ONE_LOGIN_PER_ADDRESS },
);

describeEachDialect(
  'trust proxy on for the balancer',
  (ctx) => {
    it('keys the limit on the client address the balancer forwards', async () => {
      // app.inject comes from 127.0.0.1, standing for the load balancer.
      expect(await secondLoginStatus(ctx().app)).toBe(401);
    });
  },
  { auth: ONE_LOGIN_PER_ADDRESS, trustProxy: ['127.0.0.1'] },
);

it('reads TRUST_PROXY: off by default, else addresses or ranges; refuses anything else', () => {
  expect(parseTrustProxy(undefined)).toBe(false);
  expect(parseTrustProxy(' ')).toBe(false);
  expect(parseTrustProxy('off')).toBe(false);
  expect(parseTrustProxy('10.0.0.5, 10.0.1.0/24,::1')).toEqual(['10.0.0.5', '10.0.1.0/24', '::1']);
  for (const bad of ['true', '2', 'loadbalancer.local', '10.0.0.5;rm', '10.0.0.0/33']) expect(() => parseTrustProxy(bad), bad).toThrow(/TRUST_PROXY/);
});
