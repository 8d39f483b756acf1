// tus creation-with-upload (issue 15): a new file's creation POST carries its bytes, so a photo
// costs one round trip, not two. Every guarantee of the PATCH path holds for it: the finished file
// is checked (type, sha256) and fsynced before the answer (#11 defect 3), a partial body is kept
// and resumed from the server's offset, a repeated creation of a file the server already holds
// answers where it stands and never writes the body over it. SQLite and PostgreSQL.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fsyncPath } from '../../server/uploads/durable.ts';
import { storedFile } from '../support/test-kek.ts';
import { describeEachDialect, newDevice, type TestApp } from './helpers.ts';
import { jpeg, pushNaming, sha, tusPatch, UPLOADS_BASE } from './upload-fixtures.ts';

const synced: { path: string; arrivedAlready: boolean }[] = [];
let arrivedNow: () => Promise<boolean> = () => Promise.resolve(false);
let dir = '';

/** The creation POST carrying `body` (a prefix of `file`, or other bytes) as its first piece. */
function post(t: TestApp, device: ReturnType<typeof newDevice>, file: Buffer, body: Buffer, hash = sha(file)) {
  return t.app.inject({
    method: 'POST',
    url: UPLOADS_BASE,
    headers: {
      authorization: device.authorization,
      'tus-resumable': '1.0.0',
      'upload-length': String(file.length),
      'upload-metadata': `sha256 ${Buffer.from(hash).toString('base64')},type ${Buffer.from('image/jpeg').toString('base64')}`,
      'content-type': 'application/offset+octet-stream',
    },
    payload: body,
  });
}

describeEachDialect(
  'tus creation-with-upload',
  (ctx) => {
    it('advertises the extension', async () => {
      const res = await ctx().app.inject({ method: 'OPTIONS', url: UPLOADS_BASE, headers: { 'tus-resumable': '1.0.0' } });
      expect(String(res.headers['tus-extension'])).toMatch(/(^|,)\s*creation-with-upload\s*(,|$)/);
    });

    it('a whole file in its creation: 201 with the full offset, checked, sealed and fsynced before the answer', async () => {
      const t = ctx();
      const device = newDevice();
      const file = jpeg(30_000);
      await pushNaming(t.app, t.db, device, [{ bytes: file }]);
      synced.length = 0;
      arrivedNow = async () => (await t.db.selectFrom('attachment_arrivals').select('sha256').where('sha256', '=', sha(file)).executeTakeFirst()) !== undefined;
      const res = await post(t, device, file, file);
      expect(res.statusCode).toBe(201);
      expect(res.headers['upload-offset']).toBe(String(file.length));
      expect(res.headers.location).toBe(`${UPLOADS_BASE}/${sha(file)}`);
      // On the disk for good before the arrival was recorded, and both before the 201 left.
      expect(synced.map((s) => s.path)).toEqual(expect.arrayContaining([join(dir, sha(file)), join(dir, `${sha(file)}.json`), dir]));
      expect(synced.every((s) => !s.arrivedAlready)).toBe(true);
      expect(await arrivedNow()).toBe(true);
      expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
      // The same file again: where it stands (complete), and the body is not written over it.
      const again = await post(t, device, file, jpeg(file.length));
      expect(again.statusCode).toBe(200);
      expect(again.headers['upload-offset']).toBe(String(file.length));
      expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
    });

    it('a first piece in the creation, the rest by PATCH from the offset it answered', async () => {
      const t = ctx();
      const device = newDevice();
      const file = jpeg(40_000);
      await pushNaming(t.app, t.db, device, [{ bytes: file }]);
      const created = await post(t, device, file, file.subarray(0, 12_345));
      expect(created.statusCode).toBe(201);
      expect(created.headers['upload-offset']).toBe('12345');
      // A repeated creation (the phone never heard the 201) answers the offset, ignoring its body.
      const again = await post(t, device, file, file.subarray(0, 20_000));
      expect(again.statusCode).toBe(200);
      expect(again.headers['upload-offset']).toBe('12345');
      const url = created.headers.location as string;
      const done = await tusPatch(t.app, device, url, 12_345, file.subarray(12_345));
      expect(done.statusCode).toBe(204);
      expect(done.headers['upload-offset']).toBe(String(file.length));
      expect(sha(await storedFile(t.db, dir, sha(file)))).toBe(sha(file));
    });

    it('refuses bytes that are not the declared file (422) or type (415), keeping nothing', async () => {
      const t = ctx();
      const device = newDevice();
      const file = jpeg(10_000);
      await pushNaming(t.app, t.db, device, [{ bytes: file }]);
      const wrong = jpeg(file.length);
      const refused = await post(t, device, file, wrong);
      expect(refused.statusCode).toBe(422);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'checksum_mismatch' });
      const head = await t.app.inject({ method: 'HEAD', url: `${UPLOADS_BASE}/${sha(file)}`, headers: { authorization: device.authorization, 'tus-resumable': '1.0.0' } });
      expect(head.statusCode).toBe(404);
      // Then the right bytes go through.
      expect((await post(t, device, file, file)).statusCode).toBe(201);
      const notJpeg = Buffer.from(file);
      notJpeg.set([0x25, 0x50, 0x44, 0x46], 0);
      await pushNaming(t.app, t.db, device, [{ bytes: notJpeg }]);
      expect((await post(t, device, notJpeg, notJpeg)).statusCode).toBe(415);
    });

    it('a body for a file no submission of the device names is refused before anything is stored', async () => {
      const t = ctx();
      const device = newDevice();
      const file = jpeg(10_000);
      await pushNaming(t.app, t.db, device, [{ bytes: jpeg(500) }]);
      const res = await post(t, device, file, file);
      expect(res.statusCode).toBe(403);
      const head = await t.app.inject({ method: 'HEAD', url: `${UPLOADS_BASE}/${sha(file)}`, headers: { authorization: device.authorization, 'tus-resumable': '1.0.0' } });
      expect(head.statusCode).toBe(404);
    });
  },
  () => ({
    uploads: {
      dir: (dir = mkdtempSync(join(tmpdir(), 'jangkau-create-body-'))),
      sweepEveryMs: 0,
      syncPath: async (path: string) => {
        synced.push({ path, arrivedAlready: await arrivedNow() });
        await fsyncPath(path);
      },
    },
  }),
);
