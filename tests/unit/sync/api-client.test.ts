// The API client turns every answer, and every missing answer, into a value the engine can act on.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ulid } from '../../../core/ids.ts';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { deviceAuthorization, type SubmissionEnvelope } from '../../../core/protocol.ts';
import { createApiClient, PROBE_TIMEOUT, probeTimeoutMs, type ApiClientOptions } from '../../../src/lib/api-client.ts';
import { FakeServer } from './fake-server.ts';
import { validPpid } from '../db/test-db.ts';

const AUTH = deviceAuthorization(ulid(), 'device-secret-0123456789');

function envelope(overrides: Partial<SubmissionEnvelope> = {}): SubmissionEnvelope {
  return {
    id: ulid(),
    formId: 'ppid-permohonan',
    formVersion: 1,
    createdAt: '2026-12-01T00:00:00.000Z',
    data: validPpid(),
    secret: 'submission-secret-0123456789',
    ...overrides,
  };
}

function client(fetchFn: typeof fetch, extra: Partial<ApiClientOptions> = {}) {
  return createApiClient({ baseUrl: 'http://kpu.test', getAuth: async () => AUTH, fetch: fetchFn, ...extra });
}

/** A fetch that answers every request with the given status and body. */
function answering(status: number, body: unknown, contentType = 'application/json'): typeof fetch {
  return async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': contentType } });
}

/** A fetch that never answers, and rejects when its signal aborts, as a real one does. */
const hanging: typeof fetch = (input, init) =>
  new Promise((_resolve, reject) => {
    const signal = input instanceof Request ? input.signal : init?.signal;
    const fail = () => reject(new DOMException('aborted', 'AbortError'));
    if (signal?.aborted) fail();
    signal?.addEventListener('abort', fail);
  });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('push', () => {
  it('sends the batch gzip-compressed with the device credential and parses the per-item answer', async () => {
    const server = new FakeServer();
    let seen: Request | undefined;
    const spy: typeof fetch = async (input, init) => {
      seen = (input instanceof Request ? input : new Request(input, init)).clone();
      return server.fetch(input, init);
    };
    const items = [envelope(), envelope()];
    const result = await client(spy).push(items);

    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.body.results.map((r) => [r.id, r.outcome])).toEqual(items.map((i) => [i.id, 'accepted']));
    expect(seen!.url).toBe('http://kpu.test/api/v1/push');
    expect(seen!.method).toBe('POST');
    expect(seen!.headers.get('authorization')).toBe(AUTH);
    expect(seen!.headers.get('content-encoding')).toBe('gzip');
    expect(server.requests[0]!.gzip).toBe(true);
    // Compressed on the wire: smaller than the JSON it carries.
    expect(server.requests[0]!.wireBytes).toBeLessThan(JSON.stringify({ items }).length);
  });

  it('sends plain JSON where CompressionStream is missing', async () => {
    vi.stubGlobal('CompressionStream', undefined);
    const server = new FakeServer();
    const result = await client(server.fetch).push([envelope()]);
    expect(result.kind).toBe('ok');
    expect(server.requests[0]!.gzip).toBe(false);
  });

  it('keeps the path of a base URL that has one', async () => {
    let url = '';
    const spy: typeof fetch = async (input, init) => {
      url = (input instanceof Request ? input : new Request(input, init)).url;
      return answering(200, { results: [], serverTime: 'T' })(input, init);
    };
    await client(spy, { baseUrl: 'https://kpu.test/jangkau' }).push([envelope()]);
    expect(url).toBe('https://kpu.test/jangkau/api/v1/push');
  });

  it.each([
    { label: 'a network failure', kind: 'offline', fetchFn: (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch },
    { label: 'a 500', kind: 'server_error', fetchFn: answering(500, { error: 'internal', message: 'x' }) },
    { label: 'a 503 from a proxy, in HTML', kind: 'server_error', fetchFn: answering(503, '<h1>Service Unavailable</h1>', 'text/html') },
    { label: 'a 429', kind: 'server_error', fetchFn: answering(429, {}) },
    { label: 'a 408', kind: 'server_error', fetchFn: answering(408, {}) },
    { label: 'a captive portal page with 200', kind: 'server_error', fetchFn: answering(200, '<html>Login WiFi</html>', 'text/html') },
    { label: 'a 200 with the wrong shape', kind: 'server_error', fetchFn: answering(200, { results: [{ id: 1, outcome: 'maybe' }], serverTime: 'T' }) },
    { label: 'a 200 without serverTime', kind: 'server_error', fetchFn: answering(200, { results: [] }) },
    { label: 'a 401', kind: 'auth', fetchFn: answering(401, { error: 'unauthorized', message: 'x' }) },
    { label: 'a 413', kind: 'client_error', fetchFn: answering(413, { error: 'too_large', message: 'x' }) },
  ] as const)('turns $label into $kind', async ({ fetchFn, kind }) => {
    const result = await client(fetchFn).push([envelope()]);
    expect(result.kind).toBe(kind);
  });

  it('keeps the body and status of a client error', async () => {
    const result = await client(answering(415, { error: 'unsupported_encoding', message: 'br' })).push([envelope()]);
    expect(result).toEqual({ kind: 'client_error', status: 415, body: { error: 'unsupported_encoding', message: 'br' } });
  });

  it('gives up on a request with no answer after the timeout, as offline', async () => {
    const result = await client(hanging, { timeoutMs: 30 }).push([envelope()]);
    expect(result).toEqual({ kind: 'offline', error: 'timeout' });
  });

  it('gives up on an answer whose body stalls half-way, as offline', async () => {
    const stalling: typeof fetch = async (input, init) => {
      const signal = input instanceof Request ? input.signal : init?.signal;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"results":['));
          signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const result = await client(stalling, { timeoutMs: 30 }).push([envelope()]);
    expect(result.kind).toBe('offline');
  });

  it('reports a connection reset while the body arrives as offline', async () => {
    const resetting: typeof fetch = async () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"results":['));
          controller.error(new TypeError('terminated: other side closed'));
        },
      });
      return new Response(body, { status: 200 });
    };
    const result = await client(resetting).push([envelope()]);
    expect(result.kind).toBe('offline');
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = client(hanging).push([envelope()], { signal: controller.signal });
    controller.abort();
    expect((await pending).kind).toBe('offline');
  });
});

describe('pullChanges and getForms', () => {
  it('asks for changes since the cursor, with the credential', async () => {
    let seen: Request | undefined;
    const spy: typeof fetch = async (input, init) => {
      seen = input instanceof Request ? input : new Request(input, init);
      return answering(200, { changes: [{ seq: 8, submissionId: 'X', status: 'diproses', at: 'T' }], cursor: '8', more: false })(input, init);
    };
    const result = await client(spy).pullChanges('7', { limit: 100 });
    expect(result).toEqual({ kind: 'ok', body: { changes: [{ seq: 8, submissionId: 'X', status: 'diproses', at: 'T' }], cursor: '8', more: false } });
    const url = new URL(seen!.url);
    expect(url.pathname).toBe('/api/v1/changes');
    expect(url.searchParams.get('since')).toBe('7');
    expect(url.searchParams.get('limit')).toBe('100');
    expect(seen!.headers.get('authorization')).toBe(AUTH);
  });

  it('omits since on the first pull and refuses a garbled page', async () => {
    let url: URL | undefined;
    const spy: typeof fetch = async (input, init) => {
      url = new URL((input instanceof Request ? input : new Request(input, init)).url);
      return answering(200, { changes: [{ seq: 'one' }], cursor: '1', more: false })(input, init);
    };
    expect((await client(spy).pullChanges(undefined)).kind).toBe('server_error');
    expect(url!.searchParams.has('since')).toBe(false);
  });

  it('fetches the forms without a credential and checks their shape', async () => {
    const server = new FakeServer();
    let auth: string | null = 'unset';
    const spy: typeof fetch = async (input, init) => {
      auth = (input instanceof Request ? input : new Request(input, init)).headers.get('authorization');
      return server.fetch(input, init);
    };
    const result = await client(spy).getForms();
    expect(result.kind).toBe('ok');
    expect(result.kind === 'ok' && result.body.forms.map((f) => f.formId)).toEqual(PUBLISHED_FORMS.map((f) => f.formId));
    expect(auth).toBeNull();
    expect((await client(answering(200, { forms: [{ formId: 'x' }], retired: [] })).getForms()).kind).toBe('server_error');
  });
});

describe('probe', () => {
  it('asks HEAD /api/v1/health with no credential and no body, and reads a 200 as the link being there', async () => {
    const seen: Request[] = [];
    const fetchFn: typeof fetch = async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      seen.push(request);
      return new Response(null, { status: 200 });
    };
    expect(await client(fetchFn).probe!()).toEqual({ kind: 'ok', body: undefined });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('HEAD');
    expect(new URL(seen[0]!.url).pathname).toBe('/api/v1/health');
    expect(seen[0]!.headers.get('authorization')).toBeNull();
    expect(seen[0]!.body).toBeNull();
  });

  it('tells a lost link from a busy province', async () => {
    expect((await client(async () => Promise.reject(new TypeError('fetch failed'))).probe!()).kind).toBe('offline');
    const busy = await client(async () => new Response(null, { status: 503, headers: { 'retry-after': '2' } })).probe!();
    expect(busy).toEqual({ kind: 'server_error', status: 503, retryAfterMs: 2_000 });
  });

  it('gives up on a dead link within its own short deadline, as offline', async () => {
    expect(probeTimeoutMs({ rttMs: 1300, bytesPerMs: 4 })).toBe(6_200);
    expect(probeTimeoutMs({ rttMs: 10, bytesPerMs: 4 })).toBe(PROBE_TIMEOUT.minMs);
    expect(probeTimeoutMs({ rttMs: 60_000, bytesPerMs: 4 })).toBe(PROBE_TIMEOUT.maxMs);
    expect(await client(hanging, { timeoutMs: 30 }).probe!()).toEqual({ kind: 'offline', error: 'timeout' });
  });
});
