// Per-network request limits on the public paths that had none: the QR hand-off delivery, tus
// uploads, pulls and the form catalogue. Each is open to anyone (or to any made-up device), and a
// flood of any of them costs database reads, disk or CPU that real phones need. One fixed-window
// limiter per path (auth/rate-limit.ts, the same one login and push use), keyed by client network
// (an IPv4 address, an IPv6 /64); a request over the limit gets 429 with Retry-After, which the
// app's sync engine honours like a 503. The limits are generous: carriers put many phones behind
// one address, and a real phone's sync makes a handful of these calls per minute.
import type { FastifyInstance } from 'fastify';
import { tooManyRequests } from '../auth/auth-plugin.ts';
import { clientNetwork, RateLimiter, type WindowLimit } from '../auth/rate-limit.ts';

export type LimitedPath = 'handoff' | 'uploads' | 'changes' | 'forms';

/** Per client network per minute. Uploads are counted per request: tus sends a file as several. */
export const DEFAULT_PATH_LIMITS: Readonly<Record<LimitedPath, WindowLimit>> = Object.freeze({
  handoff: { max: 300, windowMs: 60_000 },
  uploads: { max: 3000, windowMs: 60_000 },
  changes: { max: 1200, windowMs: 60_000 },
  forms: { max: 600, windowMs: 60_000 },
});

export type PathLimits = Partial<Record<LimitedPath, WindowLimit>>;

/** PATH_LIMIT_SCALE multiplies every limit (a province behind one big NAT, or a load test). */
export function pathLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): PathLimits {
  const raw = env.PATH_LIMIT_SCALE;
  if (raw === undefined || raw.trim() === '') return {};
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`PATH_LIMIT_SCALE must be a number > 0, got ${raw}`);
  return Object.fromEntries(
    Object.entries(DEFAULT_PATH_LIMITS).map(([path, limit]) => [path, { ...limit, max: Math.max(1, Math.round(limit.max * scale)) }]),
  );
}

/** An onRequest hook on `app` (the API's scope, `prefix` its path) limiting each path below it. */
export function limitPaths(app: FastifyInstance, prefix: string, limits: PathLimits = {}): void {
  const limiters = (Object.keys(DEFAULT_PATH_LIMITS) as LimitedPath[]).map((name) => ({
    path: `${prefix}/${name}`,
    limiter: new RateLimiter(limits[name] ?? DEFAULT_PATH_LIMITS[name]),
  }));
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const hit = limiters.find((l) => path === l.path || path.startsWith(`${l.path}/`));
    if (!hit) return;
    const verdict = hit.limiter.hit(clientNetwork(request.ip));
    if (!verdict.ok) throw tooManyRequests(reply, verdict.retryAfterSeconds);
  });
}
