// The app-wide half of authentication: bearer tokens resolved on every request, the login and
// push brakes, and the password-hashing cost and slots. Registered before the routes.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.ts';
import { sharedPlugin } from '../plugins/shared-plugin.ts';
import { DEFAULT_SCRYPT, hashPassword, type ScryptParams } from './password.ts';
import { resolveOfficer } from './officer.ts';
import { signalWipe } from './wipe-signal.ts';
import { clientNetwork, FailureDelay, RateLimiter, Slots, type FailureDelayOptions, type WindowLimit } from './rate-limit.ts';

export interface AuthOptions {
  scrypt?: ScryptParams;
  /** Login attempts per client network (IPv4 address, IPv6 /64); generous, since carriers put many phones behind one address. */
  loginPerIp?: WindowLimit;
  /** The growing delay between password tries of one username from one network (or of one device token). */
  passwordTries?: FailureDelayOptions;
  /** Password hashes computed at once, and how many may wait for a slot and how long. */
  passwordSlots?: { slots: number; queue: number; maxWaitMs: number };
  /** Push requests per client network (the public endpoint). */
  pushPerIp?: WindowLimit;
  /** How long a device token may go unused before it expires (TOKEN_IDLE_DAYS); 30 days by default. */
  tokenIdleMs?: number;
  /** The clock of the limiters (tests move it instead of waiting). */
  now?: () => number;
}

/**
 * Long enough for a field officer's weeks out of signal (the phone keeps its queue either way and
 * asks for a login), short enough that a forgotten phone's token dies on its own.
 */
export const DEFAULT_TOKEN_IDLE_MS = 30 * 24 * 60 * 60_000;

export const DEFAULT_AUTH_LIMITS = {
  loginPerIp: { max: 60, windowMs: 60_000 },
  pushPerIp: { max: 600, windowMs: 60_000 },
} as const satisfies Record<string, WindowLimit>;

/** 3 free tries, then 1 s, 2 s, 4 s … up to 15 minutes between tries; forgotten after a quiet day. */
export const DEFAULT_PASSWORD_TRIES: FailureDelayOptions = { free: 3, baseMs: 1000, maxMs: 15 * 60_000, forgetMs: 24 * 60 * 60_000 };

/**
 * Half of libuv's default 4 threads: the other two stay free for uploads' file I/O whatever the
 * logins do. With 64 MiB per scrypt hash that is also at most 128 MiB of hashing memory.
 */
export const DEFAULT_PASSWORD_SLOTS = { slots: 2, queue: 16, maxWaitMs: 5000 } as const;

export interface AuthRuntime {
  scrypt: ScryptParams;
  loginPerIp: RateLimiter;
  passwordTries: FailureDelay;
  pushPerIp: RateLimiter;
  tokenIdleMs: number;
  /**
   * Runs `work` (which hashes a password) in one of the password slots; 503 with Retry-After when
   * none frees up soon, so a flood of logins is refused instead of queueing behind itself.
   */
  withPasswordSlot<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T>;
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

/** onRequest hook for the push route: per-network limit. */
export async function limitPush(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const verdict = request.server.auth.pushPerIp.hit(clientNetwork(request.ip));
  if (!verdict.ok) throw tooManyRequests(reply, verdict.retryAfterSeconds);
}

export const authPlugin = sharedPlugin<AuthOptions>('jangkau-auth', async (app, options) => {
  const scrypt = options.scrypt ?? DEFAULT_SCRYPT;
  const now = options.now ?? Date.now;
  const slotOptions = options.passwordSlots ?? DEFAULT_PASSWORD_SLOTS;
  const slots = new Slots(slotOptions);
  const runtime: AuthRuntime = {
    scrypt,
    loginPerIp: new RateLimiter(options.loginPerIp ?? DEFAULT_AUTH_LIMITS.loginPerIp, now),
    passwordTries: new FailureDelay(options.passwordTries ?? DEFAULT_PASSWORD_TRIES, now),
    pushPerIp: new RateLimiter(options.pushPerIp ?? DEFAULT_AUTH_LIMITS.pushPerIp, now),
    tokenIdleMs: options.tokenIdleMs ?? DEFAULT_TOKEN_IDLE_MS,
    async withPasswordSlot(reply, work) {
      const release = await slots.acquire();
      if (!release) {
        void reply.header('retry-after', String(Math.max(1, Math.ceil(slotOptions.maxWaitMs / 1000))));
        throw new ApiError(503, 'busy', 'The server is checking many passwords; try again shortly');
      }
      try {
        return await work();
      } finally {
        release();
      }
    },
    dummyHash: hashPassword('not a password of anyone', scrypt),
  };
  // A rejected promise nobody awaited yet must not crash the process.
  runtime.dummyHash.catch(() => undefined);
  app.decorate('auth', runtime);
  app.addHook('onRequest', signalWipe);
  app.addHook('onRequest', resolveOfficer);
});
