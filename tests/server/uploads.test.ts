// The tus upload endpoint through app.inject: content addressing, resume, limits, types, auth.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredUploads } from '../../server/uploads/cleanup.ts';
import { envelope, newDevice, openTestApp, pushOk, type TestApp, type TestDevice } from './helpers.ts';

const MAX = 64 * 1024;
const BASE = '/api/v1/uploads';

function jpeg(size: number): Buffer {
  const body = randomBytes(size);
  body.set([0xff, 0xd8, 0xff, 0xe0], 0);
  return body;
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const b64 = (s: string) => Buffer.from(s).toString('base64');

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

  const create = (bytes: Buffer, type = 'image/jpeg', extra: Record<string, string> = {}, hash = sha(bytes)) =>
    t.app.inject({
      method: 'POST',
      url: BASE,
      headers: {
        authorization: device.authorization,
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': `sha256 ${b64(hash)},type ${b64(type)}`,
        ...extra,
      },
    });
  const patch = (url: string, offset: number, body: Buffer, extra: Record<string, string> = {}) =>
    t.app.inject({
      method: 'PATCH',
      url,
      headers: {
        authorization: device.authorization,
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        ...extra,
      },
      payload: body,
    });
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
    expect(sha(readFileSync(join(dir, sha(file))))).toBe(sha(file));
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
    expect(readFileSync(join(dir, sha(file))).length).toBe(file.length);

    const conflicting = await create(file.subarray(0, 9_000), 'image/jpeg', {}, sha(file));
    expect(conflicting.statusCode).toBe(409);
  });

  it('lets only one of two simultaneous first POSTs create; the other is told to retry (423)', async () => {
    const file = jpeg(8_000);
    const answers = await Promise.all([create(file), create(file)]);
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
});
