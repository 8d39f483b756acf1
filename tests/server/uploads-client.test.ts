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
import { jpeg, nameFiles, sha } from './upload-fixtures.ts';

const ORIGIN = 'http://jangkau.test';
const BASE = `${ORIGIN}/api/v1/uploads`;

interface Call {
  method: string;
  bodyBytes: number;
}

/**
 * What the adapter does to one request: pass it, fail before it leaves, deliver part and cut,
 * expire the upload on the server just before passing it (the sweep ran between two requests), or
 * pass it and strip a header from the answer (a proxy or a faulty server).
 */
type Fault = 'none' | 'offline' | 'expire' | { cutAfter: number } | { dropHeader: string };


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

  /** Pushes a submission naming the file a creation POST declares. */
  async function nameDeclared(headers: Record<string, string>): Promise<void> {
    const fields = new Map(
      (headers['Upload-Metadata'] ?? headers['upload-metadata'] ?? '').split(',').map((pair) => {
        const [key = '', value = ''] = pair.trim().split(' ');
        return [key, Buffer.from(value, 'base64').toString()] as const;
      }),
    );
    const size = Number(headers['Upload-Length'] ?? headers['upload-length']);
    await nameFiles(t.app, t.db, device, [{ sha256: fields.get('sha256') ?? '', type: fields.get('type') ?? '', size }]);
  }

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
      if (f === 'expire') {
        const id = url.pathname.split('/').pop() ?? '';
        rmSync(join(dir, id), { force: true });
        rmSync(join(dir, `${id}.json`), { force: true });
      }
      const headers = { ...(init?.headers as Record<string, string>) };
      // Data first: the device's submission names the file before its upload starts.
      if (method === 'POST' && url.pathname === new URL(BASE).pathname) await nameDeclared(headers);
      if (typeof f === 'object' && 'cutAfter' in f && body) body = body.subarray(0, f.cutAfter);
      const res = await t.app.inject({ method: method as 'GET', url: url.pathname, headers, ...(body ? { payload: body } : {}) });
      // The server got the partial body; the client never sees the answer.
      if (typeof f === 'object' && 'cutAfter' in f) throw new TypeError('connection reset');
      const out = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, String(v));
      if (typeof f === 'object' && 'dropHeader' in f) out.delete(f.dropHeader);
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

  it('uploads in chunks (the first in the creation POST), reporting progress per acknowledged chunk', async () => {
    const file = jpeg(50_000);
    const { fetchImpl, calls } = makeFetch(() => 'none');
    const progress: UploadProgress[] = [];
    const result = await uploadFile(options(file, fetchImpl, { onProgress: (p) => progress.push(p) }));
    expect(result).toEqual({ kind: 'done', uploadUrl: `${BASE}/${sha(file)}`, bytesSent: file.length });
    expect(calls.map((c) => [c.method, c.bodyBytes])).toEqual([
      ['POST', 16_384],
      ['PATCH', 16_384],
      ['PATCH', 16_384],
      ['PATCH', 848],
    ]);
    expect(progress.map((p) => p.offset)).toEqual([16_384, 32_768, 49_152, 50_000]);
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
    // Two chunks arrive (the creation's and one PATCH); from the second PATCH on the link is gone.
    let patches = 0;
    const { fetchImpl } = makeFetch((call) => (call.method === 'PATCH' ? ++patches : patches) > 1 ? 'offline' : 'none');
    let url: string | undefined;
    const first = await uploadFile(options(file, fetchImpl, { onUploadUrl: (u) => (url = u) }));
    expect(first.kind).toBe('offline');
    expect(url).toBe(`${BASE}/${sha(file)}`);
    const { fetchImpl: back, calls } = makeFetch(() => 'none');
    const second = await uploadFile(options(file, back, { uploadUrl: url }));
    expect(second).toMatchObject({ kind: 'done', bytesSent: file.length - 32_768 });
    expect(calls[0]?.method).toBe('HEAD');
  });

  it('never sends a finished file twice once it was started: a creation without a body finds it', async () => {
    const file = jpeg(20_000);
    const { fetchImpl } = makeFetch(() => 'none');
    let creating = 0;
    expect((await uploadFile(options(file, fetchImpl, { onCreating: () => creating++ }))).kind).toBe('done');
    expect(creating).toBe(1);
    // The phone lost its "done" (closed before noting it): the next try knows it started before.
    const { fetchImpl: again, calls } = makeFetch(() => 'none');
    expect(await uploadFile(options(file, again, { startedBefore: true }))).toMatchObject({ kind: 'done', bytesSent: 0 });
    expect(calls).toEqual([{ method: 'POST', bodyBytes: 0 }]);
  });

  it('a creation cut mid-body keeps what arrived; the next try asks without a body and sends the rest', async () => {
    const file = jpeg(60_000);
    const { fetchImpl, calls } = makeFetch((call, i) => (i === 0 ? { cutAfter: 25_000 } : i === 1 ? 'offline' : 'none'));
    const first = await uploadFile(options(file, fetchImpl, { chunkBytes: 0 }));
    expect(first).toMatchObject({ kind: 'offline', bytesSent: file.length });
    expect('uploadUrl' in first).toBe(false);
    const second = await uploadFile(options(file, fetchImpl, { chunkBytes: 0, startedBefore: true }));
    expect(second).toMatchObject({ kind: 'done', bytesSent: file.length - 25_000 });
    expect(calls.map((c) => [c.method, c.bodyBytes])).toEqual([
      ['POST', 60_000],
      ['POST', 0],
      ['POST', 0],
      ['PATCH', 35_000],
    ]);
    expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
  });

  it('re-creates an upload the server no longer has (expired)', async () => {
    const file = jpeg(20_000);
    const { fetchImpl, calls } = makeFetch(() => 'none');
    const result = await uploadFile(options(file, fetchImpl, { uploadUrl: `${BASE}/${sha(file)}` }));
    expect(result.kind).toBe('done');
    expect(calls.map((c) => c.method).slice(0, 2)).toEqual(['HEAD', 'POST']);
  });

  it('starts again when the upload expired between HEAD and PATCH (404), never rejecting the file', async () => {
    const file = jpeg(60_000);
    // The second PATCH finds the upload swept away; the file must still arrive whole.
    const { fetchImpl, calls } = makeFetch((call, i) => (i === 2 && call.method === 'PATCH' ? 'expire' : 'none'));
    const result = await uploadFile(options(file, fetchImpl));
    expect(result.kind).toBe('done');
    expect(calls.map((c) => c.method).slice(0, 4)).toEqual(['POST', 'PATCH', 'PATCH', 'POST']);
    expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
  });

  it('treats a 2xx without Upload-Offset, or a 201 without Location, as a passing server fault', async () => {
    const file = jpeg(40_000);
    // A PATCH answered 204 without its offset: ask HEAD and go on.
    const patch = makeFetch((call, i) => (i === 1 && call.method === 'PATCH' ? { dropHeader: 'upload-offset' } : 'none'));
    expect((await uploadFile(options(file, patch.fetchImpl))).kind).toBe('done');
    expect(patch.calls.map((c) => c.method).slice(0, 3)).toEqual(['POST', 'PATCH', 'HEAD']);
    expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
    // A creation answered 201 without Location: try again later, the file is not refused.
    const other = jpeg(30_000);
    const post = makeFetch((call) => (call.method === 'POST' ? { dropHeader: 'location' } : 'none'));
    expect((await uploadFile(options(other, post.fetchImpl))).kind).toBe('offline');
    const later = makeFetch(() => 'none');
    expect((await uploadFile(options(other, later.fetchImpl))).kind).toBe('done');
    // A HEAD answered 200 without its offset (resuming a started upload): the same.
    const third = jpeg(30_000);
    const start = makeFetch((call) => (call.method === 'PATCH' ? 'offline' : 'none'));
    expect((await uploadFile(options(third, start.fetchImpl))).kind).toBe('offline');
    const head = makeFetch((call) => (call.method === 'HEAD' ? { dropHeader: 'upload-offset' } : 'none'));
    expect((await uploadFile(options(third, head.fetchImpl, { uploadUrl: `${BASE}/${sha(third)}` }))).kind).toBe('offline');
    const resumed = makeFetch(() => 'none');
    expect((await uploadFile(options(third, resumed.fetchImpl, { uploadUrl: `${BASE}/${sha(third)}` }))).kind).toBe('done');
    expect(sha(await storedFile(t.db, dir, sha(third)))).toBe(sha(third));
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
