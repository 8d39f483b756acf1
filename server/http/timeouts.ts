// How long a connection may take, so held-open sockets (a slowloris, a phone gone out of signal
// mid-request) end on their own instead of piling up. Fastify leaves Node's request timeout off by
// default; here every limit is set:
//   - headersMs: the request line and headers must be in by then (Node checks this every
//     checkMs, so the real bound is up to one check later);
//   - requestMs: the whole request, body included (a 1 MB upload chunk at 4 KB/s takes ~250 s;
//     pushes have their own, tighter body deadline in http/admission.ts);
//   - idleMs: a socket with no traffic at all either way is closed;
//   - keepAliveMs: how long an idle keep-alive connection is kept for the phone's next request.
export interface HttpTimeouts {
  headersMs: number;
  requestMs: number;
  idleMs: number;
  keepAliveMs: number;
  /** How often Node looks for connections past headersMs or requestMs. */
  checkMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: Readonly<HttpTimeouts> = Object.freeze({
  headersMs: 20_000,
  requestMs: 300_000,
  idleMs: 60_000,
  keepAliveMs: 10_000,
  checkMs: 5_000,
});

function seconds(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number of seconds > 0, got ${raw}`);
  return Math.round(n * 1000);
}

/** HTTP_HEADERS_TIMEOUT_S, HTTP_REQUEST_TIMEOUT_S, HTTP_IDLE_TIMEOUT_S, HTTP_KEEP_ALIVE_TIMEOUT_S. */
export function timeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<HttpTimeouts> {
  const read = {
    headersMs: seconds(env.HTTP_HEADERS_TIMEOUT_S, 'HTTP_HEADERS_TIMEOUT_S'),
    requestMs: seconds(env.HTTP_REQUEST_TIMEOUT_S, 'HTTP_REQUEST_TIMEOUT_S'),
    idleMs: seconds(env.HTTP_IDLE_TIMEOUT_S, 'HTTP_IDLE_TIMEOUT_S'),
    keepAliveMs: seconds(env.HTTP_KEEP_ALIVE_TIMEOUT_S, 'HTTP_KEEP_ALIVE_TIMEOUT_S'),
  };
  return Object.fromEntries(Object.entries(read).filter(([, v]) => v !== undefined));
}

/** The limits with defaults filled in; headers within the request time, checks often enough. */
export function resolveTimeouts(given: Partial<HttpTimeouts> = {}): HttpTimeouts {
  const t = { ...DEFAULT_HTTP_TIMEOUTS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  const requestMs = Math.max(t.requestMs, t.headersMs);
  return { ...t, requestMs, checkMs: Math.max(250, Math.min(t.checkMs, Math.floor(t.headersMs / 4))) };
}
