// The app-wide half of authentication: bearer tokens resolved on every request, the login and
// push rate limiters, and the password-hashing cost. Registered before the routes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.ts';
import { sharedPlugin } from '../plugins/shared-plugin.ts';
import { DEFAULT_SCRYPT, hashPassword, type ScryptParams } from './password.ts';
import { resolveOfficer } from './officer.ts';
import { RateLimiter, type WindowLimit } from './rate-limit.ts';

export interface AuthOptions {
  scrypt?: ScryptParams;
  /** Login attempts per client address; generous, since carriers put many phones behind one address. */
  loginPerIp?: WindowLimit;
  /** Login attempts per username, whoever makes them: the brute-force brake. */
  loginPerUsername?: WindowLimit;
  /** Push requests per client address (the public endpoint). */
  pushPerIp?: WindowLimit;
}

export const DEFAULT_AUTH_LIMITS = {
  loginPerIp: { max: 60, windowMs: 60_000 },
  loginPerUsername: { max: 10, windowMs: 15 * 60_000 },
  pushPerIp: { max: 600, windowMs: 60_000 },
} as const satisfies Record<string, WindowLimit>;

export interface AuthRuntime {
  scrypt: ScryptParams;
  loginPerIp: RateLimiter;
  loginPerUsername: RateLimiter;
  pushPerIp: RateLimiter;
  /** A hash to check unknown usernames against, so they take as long as known ones. */
  dummyHash: Promise<string>;
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthRuntime;
  }
}

export function tooManyRequests(reply: FastifyReply, retryAfterSeconds: number): ApiError {
  void reply.header('retry-after', String(retryAfterSeconds));
  return new ApiError(429, 'rate_limited', 'Too many requests; try again later');
}

/** onRequest hook for the push route: per-address limit. */
export async function limitPush(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const verdict = request.server.auth.pushPerIp.hit(request.ip);
  if (!verdict.ok) throw tooManyRequests(reply, verdict.retryAfterSeconds);
}

export const authPlugin = sharedPlugin<AuthOptions>('jangkau-auth', async (app, options) => {
  const scrypt = options.scrypt ?? DEFAULT_SCRYPT;
  const runtime: AuthRuntime = {
    scrypt,
    loginPerIp: new RateLimiter(options.loginPerIp ?? DEFAULT_AUTH_LIMITS.loginPerIp),
    loginPerUsername: new RateLimiter(options.loginPerUsername ?? DEFAULT_AUTH_LIMITS.loginPerUsername),
    pushPerIp: new RateLimiter(options.pushPerIp ?? DEFAULT_AUTH_LIMITS.pushPerIp),
    dummyHash: hashPassword('not a password of anyone', scrypt),
  };
  // A rejected promise nobody awaited yet must not crash the process.
  runtime.dummyHash.catch(() => undefined);
  app.decorate('auth', runtime);
  app.addHook('onRequest', resolveOfficer);
});
