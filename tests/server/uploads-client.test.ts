// The fetch-only tus client against the real app: fetch is an adapter over app.inject, with
// network faults injected in the adapter (the client and server code run unmocked).
import { storedFile } from '../support/test-kek.ts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFile, type UploadOptions, type UploadProgress } from '../../src/lib/tus-client.ts';
import { envelope, newDevice, openTestApp, pushOk, type TestApp, type TestDevice } from './helpers.ts';
import { jpeg, sha } from './upload-fixtures.ts';

const ORIGIN = 'http://jangkau.test';
const BASE = `${ORIGIN}/api/v1/uploads`;

interface Call {
  method: string;
  bodyBytes: number;
}

/** What the adapter does to one request: pass it, fail before it leaves, or deliver part and cut. */
type Fault = 'none' | 'offline' | { cutAfter: number };


describe('tus client over fetch', () => {
  let t: TestApp;
  let dir: string;
  let device: TestDevice;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jangkau-tus-client-'));
    t = await openTestApp('sqlite', null, { uploads: { dir, maxBytes: 1024 * 1024, sweepEveryMs: 0 } });
    device = newDevice();
    await pushOk(t.app, device, [envelope()]);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function makeFetch(fault: (call: Call, index: number) => Fault) {
    const calls: Call[] = [];
    const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const url = new URL(String(input));
      const method = init?.method ?? 'GET';
      let body = init?.body instanceof Blob ? Buffer.from(await init.body.arrayBuffer()) : undefined;
      const call = { method, bodyBytes: body?.length ?? 0 };
      calls.push(call);
      const f = fault(call, calls.length - 1);
      if (f === 'offline') throw new TypeError('fetch failed');
      const headers = { ...(init?.headers as Record<string, string>) };
      if (typeof f === 'object' && body) body = body.subarray(0, f.cutAfter);
      const res = await t.app.inject({ method: method as 'GET', url: url.pathname, headers, ...(body ? { payload: body } : {}) });
      // The server got the partial body; the client never sees the answer.
      if (typeof f === 'object') throw new TypeError('connection reset');
      const out = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, String(v));
      const nullBody = method === 'HEAD' || res.statusCode === 204;
      return new Response(nullBody ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: out });
    }) as typeof fetch;
    return { fetchImpl, calls };
  }

  const options = (file: Buffer, fetchImpl: typeof fetch, extra: Partial<UploadOptions> = {}): UploadOptions => ({
    baseUrl: BASE,
    getAuth: () => device.authorization,
    blob: new Blob([new Uint8Array(file)]),
    sha256: sha(file),
    type: 'image/jpeg',
    fetch: fetchImpl,
    chunkBytes: 16 * 1024,
    ...extra,
  });

  it('uploads in chunks, reporting progress per acknowledged chunk', async () => {
    const file = jpeg(50_000);
    const { fetchImpl, calls } = makeFetch(() => 'none');
    const progress: UploadProgress[] = [];
    const result = await uploadFile(options(file, fetchImpl, { onProgress: (p) => progress.push(p) }));
    expect(result).toEqual({ kind: 'done', uploadUrl: `${BASE}/${sha(file)}`, bytesSent: file.length });
    expect(calls.map((c) => c.method)).toEqual(['POST', 'PATCH', 'PATCH', 'PATCH', 'PATCH']);
    expect(progress.map((p) => p.offset)).toEqual([0, 16_384, 32_768, 49_152, 50_000]);
    expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
  });

  it('after a cut asks HEAD for the offset and resumes there, keeping the bytes that arrived', async () => {
    const file = jpeg(60_000);
    const { fetchImpl, calls } = makeFetch((call, i) => (i === 2 && call.method === 'PATCH' ? { cutAfter: 10_000 } : 'none'));
    const result = await uploadFile(options(file, fetchImpl));
    expect(result.kind).toBe('done');
    expect(calls.map((c) => c.method).slice(0, 5)).toEqual(['POST', 'PATCH', 'PATCH', 'HEAD', 'PATCH']);
    // The resumed PATCH starts where the server stopped: 16 384 + 10 000.
    expect(calls[4]?.bodyBytes).toBe(16_384);
    expect(result.bytesSent).toBeLessThanOrEqual(file.length + 16 * 1024);
    expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
  });

  it('answers offline when the link is gone, and a later call with the upload URL resumes', async () => {
    const file = jpeg(40_000);
    // The first chunk arrives; from the second PATCH on the link is gone.
    let patches = 0;
    const { fetchImpl } = makeFetch((call) => (call.method === 'PATCH' ? ++patches : patches) > 1 ? 'offline' : 'none');
    let url: string | undefined;
    const first = await uploadFile(options(file, fetchImpl, { onUploadUrl: (u) => (url = u) }));
    expect(first.kind).toBe('offline');
    expect(url).toBe(`${BASE}/${sha(file)}`);
    const { fetchImpl: back, calls } = makeFetch(() => 'none');
    const second = await uploadFile(options(file, back, { uploadUrl: url }));
    expect(second).toMatchObject({ kind: 'done', bytesSent: file.length - 16_384 });
    expect(calls[0]?.method).toBe('HEAD');
  });

  it('never sends a finished file twice', async () => {
    const file = jpeg(20_000);
    const { fetchImpl } = makeFetch(() => 'none');
    expect((await uploadFile(options(file, fetchImpl))).kind).toBe('done');
    const { fetchImpl: again, calls } = makeFetch(() => 'none');
    expect(await uploadFile(options(file, again))).toMatchObject({ kind: 'done', bytesSent: 0 });
    expect(calls.map((c) => c.method)).toEqual(['POST']);
  });

  it('re-creates an upload the server no longer has (expired)', async () => {
    const file = jpeg(20_000);
    const { fetchImpl, calls } = makeFetch(() => 'none');
    const result = await uploadFile(options(file, fetchImpl, { uploadUrl: `${BASE}/${sha(file)}` }));
    expect(result.kind).toBe('done');
    expect(calls.map((c) => c.method).slice(0, 2)).toEqual(['HEAD', 'POST']);
  });

  it('reports a refused file as rejected, with the server error code', async () => {
    const notJpeg = randomBytes(5_000);
    notJpeg.set([0x4d, 0x5a], 0);
    const { fetchImpl } = makeFetch(() => 'none');
    expect(await uploadFile(options(notJpeg, fetchImpl))).toMatchObject({ kind: 'rejected', status: 415, error: 'unsupported_media_type' });
    const stranger = newDevice();
    const file = jpeg(1_000);
    expect(await uploadFile(options(file, fetchImpl, { getAuth: () => stranger.authorization }))).toMatchObject({
      kind: 'rejected',
      status: 401,
    });
  });
});
