// The tus upload endpoint through app.inject: content addressing, resume, limits, types, auth.
import { storedFile } from '../support/test-kek.ts';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredUploads } from '../../server/uploads/cleanup.ts';
import { envelope, newDevice, openTestApp, pushOk, type TestApp, type TestDevice } from './helpers.ts';
import { b64, jpeg, nameFiles, refOf, sha, tusCreate, tusPatch, UPLOADS_BASE as BASE } from './upload-fixtures.ts';

const MAX = 64 * 1024;

describe('tus uploads', () => {
  let t: TestApp;
  let dir: string;
  let device: TestDevice;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jangkau-uploads-'));
    t = await openTestApp('sqlite', null, { uploads: { dir, maxBytes: MAX, sweepEveryMs: 0 } });
    device = newDevice();
    // A device exists on the server once it pushed: data first, then files.
    await pushOk(t.app, device, [envelope()]);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Data first: a submission of the device names each file before its upload starts.
  const create = async (bytes: Buffer, type?: string, extra?: Record<string, string>, hash?: string) => {
    await nameFiles(t.app, t.db, device, [refOf(bytes, type, hash)]);
    return tusCreate(t.app, device, bytes, type, extra, hash);
  };
  const patch = (url: string, offset: number, body: Buffer, extra?: Record<string, string>) => tusPatch(t.app, device, url, offset, body, extra);
  const head = (url: string) =>
    t.app.inject({ method: 'HEAD', url, headers: { authorization: device.authorization, 'tus-resumable': '1.0.0' } });
  const error = (res: LightMyRequestResponse) => (JSON.parse(res.body) as { error: string }).error;

  it('creates, resumes from the server offset and completes byte-identical', async () => {
    const file = jpeg(40_000);
    const created = await create(file);
    expect(created.statusCode).toBe(201);
    const url = created.headers.location as string;
    expect(url).toBe(`${BASE}/${sha(file)}`);
    // tus writes the answer itself; the shared headers must still be there.
    expect(created.headers['x-content-type-options']).toBe('nosniff');
    expect(created.headers['cache-control']).toBe('no-store');

    const first = await patch(url, 0, file.subarray(0, 15_000));
    expect(first.statusCode).toBe(204);
    expect(first.headers['upload-offset']).toBe('15000');
    expect((await head(url)).headers['upload-offset']).toBe('15000');
    // A PATCH at a stale offset is refused without touching the file.
    expect((await patch(url, 0, file.subarray(0, 100))).statusCode).toBe(409);

    const rest = await patch(url, 15_000, file.subarray(15_000));
    expect(rest.statusCode).toBe(204);
    const done = await head(url);
    expect(done.headers['upload-offset']).toBe(String(file.length));
    expect(done.headers['upload-length']).toBe(String(file.length));
    expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
  });

  it('answers a POST for bytes it already holds with 200, Location and the offset: nothing is sent twice', async () => {
    const file = jpeg(10_000);
    const url = (await create(file)).headers.location as string;
    expect((await patch(url, 0, file.subarray(0, 4_000))).statusCode).toBe(204);

    const again = await create(file);
    expect(again.statusCode).toBe(200);
    expect(again.headers.location).toBe(url);
    expect(again.headers['upload-offset']).toBe('4000');

    expect((await patch(url, 4_000, file.subarray(4_000))).statusCode).toBe(204);
    const complete = await create(file);
    expect(complete.statusCode).toBe(200);
    expect(complete.headers['upload-offset']).toBe(String(file.length));
    expect(complete.headers['upload-length']).toBe(String(file.length));
    // The stored file was not truncated by the repeated POST.
    expect((await storedFile(t.db, dir, sha(file))).length).toBe(file.length);

    const conflicting = await create(file.subarray(0, 9_000), 'image/jpeg', {}, sha(file));
    expect(conflicting.statusCode).toBe(409);
  });

  it('lets only one of two simultaneous first POSTs create; the other is told to retry (423)', async () => {
    const file = jpeg(8_000);
    await nameFiles(t.app, t.db, device, [refOf(file)]);
    const answers = await Promise.all([tusCreate(t.app, device, file), tusCreate(t.app, device, file)]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 423]);
    const again = await create(file);
    expect(again.statusCode).toBe(200);
    expect(again.headers['upload-offset']).toBe('0');
  });

  it('refuses and deletes a file whose bytes do not match the declared sha256', async () => {
    const file = jpeg(5_000);
    const claimed = sha(jpeg(5_000));
    const url = (await create(file, 'image/jpeg', {}, claimed)).headers.location as string;
    const res = await patch(url, 0, file);
    expect(res.statusCode).toBe(422);
    expect(error(res)).toBe('checksum_mismatch');
    expect(existsSync(join(dir, claimed))).toBe(false);
    expect((await head(url)).statusCode).toBe(404);
  });

  it('never reports a complete file as done before it was checked (HEAD or repeated POST)', async () => {
    // The state between the last bytes landing and tus's finish hook: complete on disk, unchecked.
    const file = jpeg(3_000);
    const claimed = sha(jpeg(3_000));
    const url = (await create(file, 'image/jpeg', {}, claimed)).headers.location as string;
    writeFileSync(join(dir, claimed), file);
    expect((await head(url)).statusCode).toBe(404);
    expect(existsSync(join(dir, claimed))).toBe(false);

    const good = jpeg(3_000);
    const goodUrl = (await create(good)).headers.location as string;
    writeFileSync(join(dir, sha(good)), good);
    const again = await create(good);
    expect(again.statusCode).toBe(200);
    expect(again.headers['upload-offset']).toBe(String(good.length));
    expect((await head(goodUrl)).headers['upload-offset']).toBe(String(good.length));
  });

  it('refuses by magic bytes: a renamed executable is not an image (415) and is deleted', async () => {
    const exe = randomBytes(3_000);
    exe.set([0x4d, 0x5a, 0x90, 0x00], 0); // "MZ": a Windows executable
    const url = (await create(exe, 'image/jpeg')).headers.location as string;
    const res = await patch(url, 0, exe);
    expect(res.statusCode).toBe(415);
    expect(error(res)).toBe('unsupported_media_type');
    expect(existsSync(join(dir, sha(exe)))).toBe(false);

    // A real PNG declared as JPEG is refused too: the declaration must match the content.
    const png = randomBytes(2_000);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
    const pngUrl = (await create(png, 'image/jpeg')).headers.location as string;
    expect((await patch(pngUrl, 0, png)).statusCode).toBe(415);
    // Declared types outside the list never get an upload.
    expect((await create(jpeg(100), 'application/x-msdownload')).statusCode).toBe(415);
    const ok = await create(png, 'image/png');
    expect(ok.statusCode).toBe(201);
    expect((await patch(ok.headers.location as string, 0, png)).statusCode).toBe(204);
  });

  it('refuses oversize: at creation by Upload-Length, and while streaming a body past the length (413)', async () => {
    expect((await create(jpeg(MAX + 1))).statusCode).toBe(413);
    const file = jpeg(1_000);
    const url = (await create(file)).headers.location as string;
    const res = await patch(url, 0, Buffer.concat([file, randomBytes(5_000)]));
    expect(res.statusCode).toBe(413);
  });

  it('names each refusal: too large, a type not allowed, and content that is not what it claims', async () => {
    const tooBig = await create(jpeg(MAX + 1));
    expect(tooBig.statusCode).toBe(413);
    expect(JSON.parse(tooBig.body)).toMatchObject({ error: 'too_large', message: expect.stringContaining(String(MAX)) });
    for (const declared of ['application/x-msdownload', 'application/zip', 'text/html', 'image/svg+xml', 'image/gif']) {
      const res = await create(jpeg(500), declared);
      expect(res.statusCode, declared).toBe(415);
      expect(JSON.parse(res.body), declared).toMatchObject({ error: 'unsupported_media_type', message: expect.stringMatching(/image\/jpeg/) });
    }
    // Executables and other files renamed to look like an allowed type, caught by their first bytes.
    const disguised: Array<[string, number[], string]> = [
      ['Windows executable as a photo', [0x4d, 0x5a, 0x90, 0x00, 0x03], 'image/jpeg'],
      ['Linux executable as a PNG', [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01], 'image/png'],
      ['Android package (zip) as a PDF', [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], 'application/pdf'],
      ['shell script as a WebP', [...Buffer.from('#!/bin/sh\nrm -rf /\n')], 'image/webp'],
      ['HTML page as a photo', [...Buffer.from('<!doctype html><script>')], 'image/jpeg'],
      ['PDF as a photo', [...Buffer.from('%PDF-1.7\n')], 'image/jpeg'],
      ['JPEG header cut to two bytes', [0xff, 0xd8], 'image/jpeg'],
    ];
    for (const [name, magic, type] of disguised) {
      const bytes = Buffer.concat([Buffer.from(magic), randomBytes(magic.length > 2 ? 1_500 : 0)]);
      const created = await create(bytes, type);
      expect(created.statusCode, name).toBe(201);
      const res = await patch(created.headers.location as string, 0, bytes);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(415);
      expect(JSON.parse(res.body), name).toMatchObject({ error: 'unsupported_media_type', message: expect.stringContaining(type) });
      expect(existsSync(join(dir, sha(bytes))), name).toBe(false);
    }
  });

  it('requires device credentials: missing, malformed, unknown and wrong secret get 401', async () => {
    const file = jpeg(100);
    const without = await create(file, 'image/jpeg', { authorization: '' });
    expect(without.statusCode).toBe(401);
    expect((await create(file, 'image/jpeg', { authorization: 'Bearer x' })).statusCode).toBe(401);
    const stranger = newDevice();
    expect((await create(file, 'image/jpeg', { authorization: stranger.authorization })).statusCode).toBe(401);
    const wrong = `Device ${device.deviceId}.${'x'.repeat(32)}`;
    expect((await create(file, 'image/jpeg', { authorization: wrong })).statusCode).toBe(401);
    const url = `${BASE}/${sha(file)}`;
    const headRes = await t.app.inject({ method: 'HEAD', url, headers: { 'tus-resumable': '1.0.0' } });
    expect(headRes.statusCode).toBe(401);
  });

  it('answers malformed requests with 4xx, never 5xx', async () => {
    const file = jpeg(2_000);
    const auth = { authorization: device.authorization };
    const cases: Array<{ name: string; res: Promise<LightMyRequestResponse> }> = [
      { name: 'no Tus-Resumable', res: t.app.inject({ method: 'POST', url: BASE, headers: { ...auth, 'upload-length': '10' } }) },
      { name: 'no metadata', res: create(file, 'image/jpeg', { 'upload-metadata': '' }) },
      { name: 'garbage metadata', res: create(file, 'image/jpeg', { 'upload-metadata': 'sha256 !!!,,' }) },
      { name: 'short sha', res: create(file, 'image/jpeg', { 'upload-metadata': `sha256 ${b64('abc')},type ${b64('image/jpeg')}` }) },
      { name: 'no type', res: create(file, 'image/jpeg', { 'upload-metadata': `sha256 ${b64(sha(file))}` }) },
      { name: 'negative length', res: create(file, 'image/jpeg', { 'upload-length': '-5' }) },
      { name: 'text length', res: create(file, 'image/jpeg', { 'upload-length': 'lots' }) },
      { name: 'zero length', res: create(Buffer.alloc(0)) },
      { name: 'deferred length', res: create(file, 'image/jpeg', { 'upload-defer-length': '1' }) },
      { name: 'HEAD unknown id', res: head(`${BASE}/${'0'.repeat(64)}`) },
      { name: 'HEAD non-sha id', res: head(`${BASE}/../../etc/passwd`) },
      { name: 'HEAD bad id', res: head(`${BASE}/not-a-hash`) },
      { name: 'PATCH unknown id', res: patch(`${BASE}/${'1'.repeat(64)}`, 0, file) },
      { name: 'POST to an upload', res: t.app.inject({ method: 'POST', url: `${BASE}/${sha(file)}`, headers: { ...auth, 'tus-resumable': '1.0.0' } }) },
      { name: 'DELETE', res: t.app.inject({ method: 'DELETE', url: `${BASE}/${sha(file)}`, headers: { ...auth, 'tus-resumable': '1.0.0' } }) },
    ];
    const url = (await create(file)).headers.location as string;
    cases.push(
      { name: 'PATCH without offset', res: t.app.inject({ method: 'PATCH', url, headers: { ...auth, 'tus-resumable': '1.0.0', 'content-type': 'application/offset+octet-stream' }, payload: file }) },
      { name: 'PATCH wrong content type', res: patch(url, 0, file, { 'content-type': 'application/json' }) },
      { name: 'PATCH text offset', res: patch(url, 0, file, { 'upload-offset': 'x' }) },
      { name: 'PATCH gzip', res: patch(url, 0, file, { 'content-encoding': 'gzip' }) },
    );
    for (const c of cases) {
      const res = await c.res;
      expect(res.statusCode, `${c.name}: ${res.statusCode} ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${c.name}: ${res.statusCode} ${res.body}`).toBeLessThan(500);
    }
  });

  it('expires unfinished uploads older than the limit, never finished ones', async () => {
    const cleanDir = mkdtempSync(join(tmpdir(), 'jangkau-expiry-'));
    try {
      const info = (size: number, created: string) => JSON.stringify({ id: 'x', size, offset: 0, creation_date: created });
      const old = new Date('2026-01-01T00:00:00Z').toISOString();
      const fresh = new Date('2026-01-09T00:00:00Z').toISOString();
      const [a, b, c] = ['a', 'b', 'c'].map((ch) => ch.repeat(64)) as [string, string, string];
      writeFileSync(join(cleanDir, a), randomBytes(10));
      writeFileSync(join(cleanDir, `${a}.json`), info(100, old)); // old, unfinished: goes
      writeFileSync(join(cleanDir, b), randomBytes(100));
      writeFileSync(join(cleanDir, `${b}.json`), info(100, old)); // old, finished: stays
      writeFileSync(join(cleanDir, c), randomBytes(10));
      writeFileSync(join(cleanDir, `${c}.json`), info(100, fresh)); // unfinished, young: stays
      utimesSync(join(cleanDir, a), new Date(old), new Date(old));
      const deleted = await deleteExpiredUploads(cleanDir, 7 * 24 * 3600 * 1000, new Date('2026-01-10T00:00:00Z'));
      expect(deleted).toEqual([a]);
      expect(existsSync(join(cleanDir, a))).toBe(false);
      expect(existsSync(join(cleanDir, `${a}.json`))).toBe(false);
      expect(existsSync(join(cleanDir, b))).toBe(true);
      expect(existsSync(join(cleanDir, c))).toBe(true);
    } finally {
      rmSync(cleanDir, { recursive: true, force: true });
    }
  });
  it('counts an unfinished upload\'s age from its last byte received, not its creation (#11 defect 5)', async () => {
    const cleanDir = mkdtempSync(join(tmpdir(), 'jangkau-expiry-'));
    try {
      const now = new Date('2026-01-20T00:00:00Z');
      const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * 3600 * 1000);
      // Created 12 days ago on a slow link; bytes kept arriving until yesterday: it stays.
      const slow = 'd'.repeat(64);
      writeFileSync(join(cleanDir, slow), randomBytes(10));
      writeFileSync(join(cleanDir, `${slow}.json`), JSON.stringify({ id: slow, size: 100, offset: 0, creation_date: daysAgo(12).toISOString() }));
      utimesSync(join(cleanDir, slow), daysAgo(1), daysAgo(1));
      // Created 12 days ago, last byte 8 days ago: it goes.
      const idle = 'e'.repeat(64);
      writeFileSync(join(cleanDir, idle), randomBytes(10));
      writeFileSync(join(cleanDir, `${idle}.json`), JSON.stringify({ id: idle, size: 100, offset: 0, creation_date: daysAgo(12).toISOString() }));
      utimesSync(join(cleanDir, idle), daysAgo(8), daysAgo(8));
      expect(await deleteExpiredUploads(cleanDir, 7 * 24 * 3600 * 1000, now)).toEqual([idle]);
      expect(existsSync(join(cleanDir, slow))).toBe(true);
    } finally {
      rmSync(cleanDir, { recursive: true, force: true });
    }
  });
});

// Bad input as it really arrives: over a TCP socket, where a body can run past what was declared
// or stop short. app.inject cannot send either (it always sends a whole, correctly sized body).
describe('tus uploads over a real socket: bodies that run long or stop short', () => {
  let t: TestApp;
  let dir: string;
  let device: TestDevice;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jangkau-uploads-socket-'));
    t = await openTestApp('sqlite', null, { uploads: { dir, maxBytes: MAX, sweepEveryMs: 0 } });
    device = newDevice();
    await pushOk(t.app, device, [envelope()]);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tusHeaders = () => ({ authorization: device.authorization, 'tus-resumable': '1.0.0' });

  async function create(file: Buffer, length = file.length): Promise<string> {
    await nameFiles(t.app, t.db, device, [{ ...refOf(file), size: length }]);
    const res = await t.app.inject({
      method: 'POST',
      url: BASE,
      headers: { ...tusHeaders(), 'upload-length': String(length), 'upload-metadata': `sha256 ${b64(sha(file))},type ${b64('image/jpeg')}` },
    });
    expect(res.statusCode).toBe(201);
    return res.headers.location as string;
  }
  const offsetOf = async (url: string) => {
    const res = await t.app.inject({ method: 'HEAD', url, headers: tusHeaders() });
    expect(res.statusCode).toBe(200);
    return Number(res.headers['upload-offset']);
  };
  const finish = (url: string, offset: number, file: Buffer) =>
    t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...tusHeaders(), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
      payload: file.subarray(offset),
    });

  /**
   * A PATCH sent chunked (no Content-Length, so the server only learns the size by reading):
   * 4 KB pieces until the server answers or `body` runs out. Resolves with the answer, if any.
   */
  function streamPatch(url: string, body: Buffer): Promise<{ status?: number; text: string }> {
    return new Promise((resolve) => {
      let sent = 0;
      let answered = false;
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'PATCH',
        path: url,
        headers: { ...tusHeaders(), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, text }));
        res.on('error', () => resolve({ status: res.statusCode, text }));
      });
      // The server may answer and close while pieces are still going out.
      req.on('error', () => {
        if (!answered) resolve({ text: '' });
      });
      const pump = () => {
        while (!answered && sent < body.length) {
          const piece = body.subarray(sent, sent + 4096);
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
  }

  /** A PATCH that declares `body.length + missing` bytes, sends `body`, then the sender's side closes. */
  function truncatedPatch(url: string, body: Buffer, missing: number, how: 'half-close' | 'reset'): Promise<{ status?: number; text: string }> {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      let answer = '';
      socket.setEncoding('latin1');
      socket.on('data', (d: string) => (answer += d));
      const done = () => {
        const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
        resolve({ status: status ? Number(status) : undefined, text: answer.split('\r\n\r\n').slice(1).join('\r\n\r\n') });
      };
      socket.on('close', done);
      socket.on('error', () => undefined);
      const head = [
        `PATCH ${url} HTTP/1.1`,
        `host: 127.0.0.1:${port}`,
        `authorization: ${device.authorization}`,
        'tus-resumable: 1.0.0',
        'upload-offset: 0',
        'content-type: application/offset+octet-stream',
        `content-length: ${body.length + missing}`,
        '',
        '',
      ].join('\r\n');
      socket.write(head);
      socket.write(body, () => {
        // Give the server the bytes before the line drops, as a radio link would have.
        setTimeout(() => (how === 'reset' ? socket.resetAndDestroy() : socket.end()), 200);
      });
      // A half-closed socket whose server never answers: stop listening after a while.
      setTimeout(() => socket.destroy(), 5_000).unref();
    });
  }

  it('stops a body streamed past Upload-Length with 413, keeps only the declared bytes, and the file still completes', async () => {
    const file = jpeg(20_000);
    const url = await create(file);
    // The file, then 200 KB more than declared, with no Content-Length to give it away.
    const res = await streamPatch(url, Buffer.concat([file, randomBytes(200_000)]));
    expect(res.status, res.text).toBe(413);
    expect(res.text).toMatch(/size/i);
    // Nothing past the declared length was stored, and what was stored is the file's start.
    const offset = await offsetOf(url);
    expect(offset).toBeLessThanOrEqual(file.length);
    const stored = readFileSync(join(dir, sha(file)));
    expect(stored.length).toBeLessThanOrEqual(file.length);
    expect(stored.equals(file.subarray(0, stored.length))).toBe(true);
    if (offset < file.length) expect((await finish(url, offset, file)).statusCode).toBe(204);
    expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
  });

  it('stops a streamed body at the size limit even when Upload-Length claims the limit', async () => {
    const file = jpeg(MAX);
    const url = await create(file);
    const res = await streamPatch(url, Buffer.concat([file, randomBytes(4 * MAX)]));
    expect(res.status, res.text).toBe(413);
    const stored = readFileSync(join(dir, sha(file)));
    expect(stored.length).toBeLessThanOrEqual(MAX);
    expect(stored.equals(file.subarray(0, stored.length))).toBe(true);
  });

  it.each(['half-close', 'reset'] as const)(
    'keeps the bytes of a body cut off mid-PATCH (%s): no 5xx, HEAD gives the offset, the rest completes the file',
    async (how) => {
      const file = jpeg(48_000);
      const url = await create(file);
      const res = await truncatedPatch(url, file.subarray(0, 30_000), 18_000, how);
      // The sender is gone, so usually nobody hears the answer; if one went out, it is a 4xx.
      if (res.status !== undefined) {
        expect(res.status, res.text).toBeGreaterThanOrEqual(400);
        expect(res.status, res.text).toBeLessThan(500);
      }
      const offset = await offsetOf(url);
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThanOrEqual(30_000);
      // A truncated file is never reported complete.
      expect(offset).toBeLessThan(file.length);
      const done = await finish(url, offset, file);
      expect(done.statusCode).toBe(204);
      expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
      console.log(`truncated PATCH (${how}): answer ${res.status ?? 'none'} ${res.text.trim()}; kept ${offset} of 30000 B`);
    },
  );
});
