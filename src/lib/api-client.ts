// The device's client for the provincial API, shared by page and service worker (so: fetch only,
// no XMLHttpRequest, no window). Every outcome is a value: the sync engine decides what "offline"
// or "server_error" means for the queue, and nothing here throws for a network or HTTP failure.
import ky, { type KyInstance } from 'ky';
import {
  API_PREFIX,
  HELD_VERSIONS_HEADER,
  REVOCATION_CHECK_HEADER,
  WIPE_HEADER,
  WIPE_OFFICER,
  type Change,
  type FollowRequest,
  type FollowResponse,
  type ItemResult,
  type PullResponse,
  type PushResponse,
  type SubmissionEnvelope,
} from '../../core/protocol.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import type { SopDoc } from '../../core/forms/sop.ts';
import { observe, PESSIMISTIC_LINK, slowDown, timeoutFor, windowTimeoutFor, type LinkEstimate } from './link-estimate.ts';

export interface FormsResponse {
  forms: FormDef[];
  retired: { formId: string; version: number }[];
  /** The current SOP documents; absent from a server older than them. */
  sops?: SopDoc[];
}

export type ApiResult<T> =
  | { kind: 'ok'; body: T }
  /** No answer: no network, connection reset, timeout or abort. Try again later. */
  | { kind: 'offline'; error: string }
  /**
   * 5xx, 408, 429, or a 2xx whose body is not what the protocol promises. Try again later, and not
   * before `retryAfterMs` when the server said so (a busy server's 503, a 429).
   */
  | { kind: 'server_error'; status: number; retryAfterMs?: number }
  /** The device credential was refused: stop and keep the queue. */
  | { kind: 'auth'; status: 401 }
  /** The request itself was refused (other 4xx). */
  | { kind: 'client_error'; status: number; body: unknown };

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface ApiClient {
  /**
   * `authorization`: push as another identity than `getAuth`'s (engine.ts `pushAs`). `windowed`:
   * the first push after a lost link, with the shorter deadline of link-estimate.ts windowTimeoutFor.
   */
  push(items: readonly SubmissionEnvelope[], options?: RequestOptions & { authorization?: string; windowed?: boolean }): Promise<ApiResult<PushResponse>>;
  /**
   * `held`: the versions the device holds (forms-cache.ts heldVersionsReport), sent as a header.
   * `authorization`: pull as another identity than `getAuth`'s (engine.ts PullIdentity).
   */
  pullChanges(since: string | undefined, options?: RequestOptions & { limit?: number; held?: string; authorization?: string }): Promise<ApiResult<PullResponse>>;
  getForms(options?: RequestOptions): Promise<ApiResult<FormsResponse>>;
  /**
   * Follows requests filed earlier by id and secret (POST /follow): what a resident's phone does
   * under a fresh identity (src/sync/relink.ts). No items: only makes the device known.
   */
  follow(items: FollowRequest['items'], options?: RequestOptions & { authorization?: string }): Promise<ApiResult<FollowResponse>>;
  /**
   * Is the link there? `HEAD /health`: no body either way, no credential, no personal data; a few
   * hundred bytes of heads. Its own short deadline, so a dead link does not hold the sync lock
   * through a whole signal window. Left out (test doubles), the engine sends without probing.
   */
  probe?(options?: RequestOptions): Promise<ApiResult<undefined>>;
  /** What the link has shown so far (link-estimate.ts); left out, the engine assumes the pessimistic one. */
  linkEstimate?(): LinkEstimate;
}

export interface ApiClientOptions {
  /** Absolute origin (or base path) of the API server, e.g. `self.location.origin`. */
  baseUrl: string;
  /** The `Authorization` header value, e.g. `Device <id>.<secret>`. */
  getAuth: () => Promise<string>;
  fetch?: typeof fetch;
  /**
   * A fixed time allowed for each whole exchange, answer body included. Left out, the time scales
   * with the bytes sent and the link observed so far (link-estimate.ts).
   */
  timeoutMs?: number;
  /** Gzip push bodies when the runtime has CompressionStream (default true). */
  compress?: boolean;
  /**
   * Given the `Date` header of each answer the server gave in full (2xx), and when it arrived: how
   * the phone learns its clock's offset from the server's (src/db/server-clock.ts).
   */
  onServerDate?: (date: string, receivedAt: number) => void;
  /**
   * The revocation check an officer's login left on the phone (`<tokenId>.<check>`,
   * src/sync/wipe-signal.ts), sent with each push, pull and follow whatever their credential:
   * how a locked phone hears that an admin revoked the officer's token. Undefined: none.
   */
  revocationCheck?: () => Promise<string | undefined>;
  /** An answer to a request that carried `check` said to erase the officer's data (`x-jangkau-wipe: officer`). */
  onWipeSignal?: (check: string) => void;
}

/** What a push answer weighs per item, for its timeout: an id, an outcome and a timestamp. */
const ANSWER_BYTES_PER_ITEM = 120;
const SMALL_ANSWER_BYTES = 2048;
/** A full page of changes, for a pull's timeout: the server's default page and a change's size. */
const DEFAULT_PULL_PAGE = 500;
const CHANGE_BYTES = 150;

// ---- Shape checks. Hand-written rather than compiled from the TypeBox schemas: they run on every
// answer in the page's first-load bundle, where a schema compiler costs more bytes than it saves.

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isString = (v: unknown): v is string => typeof v === 'string';
const isOptString = (v: unknown) => v === undefined || typeof v === 'string';

function isItemResult(v: unknown): v is ItemResult {
  if (!isRecord(v) || !isString(v.id) || !isOptString(v.receivedAt) || !isOptString(v.reason)) return false;
  if (v.outcome !== 'accepted' && v.outcome !== 'duplicate' && v.outcome !== 'rejected') return false;
  if (v.errors === undefined) return true;
  return Array.isArray(v.errors) && v.errors.every((e) => isRecord(e) && isString(e.field) && isString(e.code));
}

export function isPushResponse(v: unknown): v is PushResponse {
  return isRecord(v) && isString(v.serverTime) && Array.isArray(v.results) && v.results.every(isItemResult);
}

function isChange(v: unknown): v is Change {
  return (
    isRecord(v) &&
    Number.isInteger(v.seq) &&
    isString(v.submissionId) &&
    isString(v.status) &&
    isString(v.at) &&
    isOptString(v.answer)
  );
}

export function isPullResponse(v: unknown): v is PullResponse {
  return (
    isRecord(v) &&
    Array.isArray(v.changes) &&
    v.changes.every(isChange) &&
    isString(v.cursor) &&
    typeof v.more === 'boolean' &&
    isOptString(v.formsTag)
  );
}

export function isFollowResponse(v: unknown): v is FollowResponse {
  return isRecord(v) && Array.isArray(v.following) && v.following.every(isString);
}

function isFormDef(v: unknown): v is FormDef {
  return (
    isRecord(v) &&
    isString(v.formId) &&
    Number.isInteger(v.version) &&
    isString(v.titleField) &&
    isRecord(v.title) &&
    Array.isArray(v.fields) &&
    v.fields.every((f) => isRecord(f) && isString(f.name) && isString(f.type))
  );
}

export function isFormsResponse(v: unknown): v is FormsResponse {
  return (
    isRecord(v) &&
    Array.isArray(v.forms) &&
    v.forms.every(isFormDef) &&
    Array.isArray(v.retired) &&
    v.retired.every((r) => isRecord(r) && isString(r.formId) && Number.isInteger(r.version)) &&
    (v.sops === undefined || Array.isArray(v.sops))
  );
}

// ---- Transport.

/** Gzip through CompressionStream; undefined where the runtime lacks it (Safari < 16.4). */
export async function gzip(text: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (typeof CompressionStream === 'undefined') return undefined;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** A probe's deadline: two round trips (connection and request) with room, within these bounds. */
export const PROBE_TIMEOUT = Object.freeze({ minMs: 3_000, maxMs: 8_000 });

export function probeTimeoutMs(link: LinkEstimate): number {
  return Math.round(Math.min(PROBE_TIMEOUT.maxMs, Math.max(PROBE_TIMEOUT.minMs, 4 * link.rttMs + 1_000)));
}

const isNothing = (_body: unknown): _body is undefined => true;

/** Longest wait a Retry-After may impose: a broken header must not park the queue for days. */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** Retry-After as delay-seconds (the form this server sends) or an HTTP date; ms, capped. */
export function retryAfterOf(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - nowMs;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

type Parsed = { ok: true; value: unknown; bytes: number } | { ok: false; bytes: number };

async function readJson(response: Response): Promise<Parsed> {
  const text = await response.text();
  const bytes = text.length;
  if (text === '') return { ok: true, value: undefined, bytes };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, bytes };
  } catch {
    return { ok: false, bytes };
  }
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  // Relative to baseUrl, so an API mounted under a path (https://host/jangkau/) keeps that path.
  const path = (name: string) => `${API_PREFIX.replace(/^\//, '')}/${name}`;
  const http: KyInstance = ky.create({
    baseUrl,
    // The engine owns retrying (with backoff across restarts); ky retrying inside one call would
    // hide failures from it and hold the sync lock longer.
    retry: 0,
    throwHttpErrors: false,
    // ky's timeout stops at the response headers; the deadline in `call` also covers the body,
    // whose read can stall on a dying link and would otherwise hold the sync lock for ever.
    timeout: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const compress = options.compress ?? true;
  let link: LinkEstimate = PESSIMISTIC_LINK;

  /**
   * Sends with the revocation check when the phone holds one, and hears the wipe signal only in
   * the answer to such a request: the public forms list (cacheable, shared) never carries it.
   */
  async function checked(headers: Record<string, string>, send: () => Promise<Response>): Promise<Response> {
    const check = await options.revocationCheck?.();
    if (check === undefined) return send();
    headers[REVOCATION_CHECK_HEADER] = check;
    const response = await send();
    if (response.headers.get(WIPE_HEADER) === WIPE_OFFICER) options.onWipeSignal?.(check);
    return response;
  }

  async function call<T>(
    send: (signal: AbortSignal) => Promise<Response>,
    check: (body: unknown) => body is T,
    outer: AbortSignal | undefined,
    size: { up: number; down: number } = { up: 0, down: SMALL_ANSWER_BYTES },
    deadlineMs?: number,
  ): Promise<ApiResult<T>> {
    const timeoutMs = deadlineMs ?? options.timeoutMs ?? timeoutFor(link, size.up, size.down);
    const started = Date.now();
    // One controller for the deadline and the caller's signal: AbortSignal.any is too new for
    // the browser floor (Chromium 80).
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (outer?.aborted) controller.abort();
    outer?.addEventListener('abort', abort);
    const timer = setTimeout(abort, timeoutMs);
    let response: Response;
    let parsed: Parsed;
    try {
      response = await send(controller.signal);
      // Read inside the try: a connection reset while the body streams in is "offline" too.
      parsed = await readJson(response);
      link = observe(link, size.up + parsed.bytes, Date.now() - started);
    } catch (error) {
      const timedOut = controller.signal.aborted && !outer?.aborted;
      if (timedOut) link = slowDown(link);
      return { kind: 'offline', error: timedOut ? 'timeout' : describe(error) };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', abort);
    }
    const { status } = response;
    if (status === 401) return { kind: 'auth', status: 401 };
    if (status >= 200 && status < 300) {
      if (parsed.ok && check(parsed.value)) {
        const date = response.headers.get('date');
        if (date) options.onServerDate?.(date, Date.now());
        return { kind: 'ok', body: parsed.value };
      }
      return { kind: 'server_error', status };
    }
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfterMs = retryAfterOf(response.headers.get('retry-after'));
      return retryAfterMs === undefined ? { kind: 'server_error', status } : { kind: 'server_error', status, retryAfterMs };
    }
    if (status >= 400) return { kind: 'client_error', status, body: parsed.ok ? parsed.value : undefined };
    return { kind: 'server_error', status };
  }

  return {
    async push(items, requestOptions = {}) {
      // Compressed before the clock starts: the timeout is for the link, not for this CPU.
      const json = JSON.stringify({ items });
      const zipped = compress ? await gzip(json) : undefined;
      const body = zipped ?? json;
      const up = zipped ? zipped.byteLength : json.length;
      return call(
        async (signal) => {
          const headers: Record<string, string> = {
            authorization: requestOptions.authorization ?? (await options.getAuth()),
            'content-type': 'application/json',
          };
          if (zipped) headers['content-encoding'] = 'gzip';
          return checked(headers, () => http.post(path('push'), { headers, body, signal }));
        },
        isPushResponse,
        requestOptions.signal,
        { up, down: SMALL_ANSWER_BYTES + items.length * ANSWER_BYTES_PER_ITEM },
        requestOptions.windowed
          ? Math.min(options.timeoutMs ?? Number.POSITIVE_INFINITY, windowTimeoutFor(link, up, SMALL_ANSWER_BYTES + items.length * ANSWER_BYTES_PER_ITEM))
          : undefined,
      );
    },

    async pullChanges(since, requestOptions = {}) {
      return call(async (signal) => {
        const searchParams: Record<string, string | number> = {};
        if (since !== undefined) searchParams.since = since;
        if (requestOptions.limit !== undefined) searchParams.limit = requestOptions.limit;
        const headers: Record<string, string> = { authorization: requestOptions.authorization ?? (await options.getAuth()) };
        if (requestOptions.held !== undefined) headers[HELD_VERSIONS_HEADER] = requestOptions.held;
        return checked(headers, () => http.get(path('changes'), { headers, searchParams, signal }));
      }, isPullResponse, requestOptions.signal, { up: 0, down: (requestOptions.limit ?? DEFAULT_PULL_PAGE) * CHANGE_BYTES });
    },

    async follow(items, requestOptions = {}) {
      const body = JSON.stringify({ items });
      return call(
        async (signal) => {
          const headers = { authorization: requestOptions.authorization ?? (await options.getAuth()), 'content-type': 'application/json' };
          return checked(headers, () => http.post(path('follow'), { headers, body, signal }));
        },
        isFollowResponse,
        requestOptions.signal,
        { up: body.length, down: SMALL_ANSWER_BYTES + items.length * ANSWER_BYTES_PER_ITEM },
      );
    },

    async probe(requestOptions = {}) {
      const deadline = Math.min(options.timeoutMs ?? Number.POSITIVE_INFINITY, probeTimeoutMs(link));
      return call((signal) => http.head(path('health'), { signal }), isNothing, requestOptions.signal, { up: 0, down: 0 }, deadline);
    },

    linkEstimate: () => link,

    async getForms(requestOptions = {}) {
      // Forms are public: no credential, so shared caches and the HTTP cache can keep them.
      return call((signal) => http.get(path('forms'), { signal }), isFormsResponse, requestOptions.signal);
    },
  };
}
