// #12 finding 1: filling the server's disk through /uploads. The data disk is the database's
// disk, so a full one stops every submission. Each attack below succeeded against the code before
// the fix: a made-up device registered itself with a refused push, then stored any number of
// files named by their own sha256, none of which was ever swept, with no limit and no floor.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { deleteUnreferencedUploads } from '../../server/uploads/cleanup.ts';
import { describeEachDialect, envelope, newDevice, push, pushOk } from '../server/helpers.ts';
import { jpeg, pushNaming, sha, tusCreate, tusPatch } from '../server/upload-fixtures.ts';

const PER_DEVICE = 4;
const PER_ADDRESS = 20;
let uploadDir = '';

describeEachDialect(
  'attack: filling the disk through /uploads',
  (ctx) => {
    it('a made-up device whose push stores nothing is not registered, so it cannot upload', async () => {
      const t = ctx();
      const stranger = newDevice();
      const refused = await push(t.app, stranger, { items: [{}] });
      expect(refused.statusCode).toBe(200);
      const created = await tusCreate(t.app, stranger, jpeg(5_000));
      expect(created.statusCode).toBe(401);
      const row = await t.db.selectFrom('devices').select('id').where('id', '=', stranger.deviceId).executeTakeFirst();
      expect(row).toBeUndefined();
    });

    it('a known device cannot store a file that no submission of its own names', async () => {
      const t = ctx();
      const device = newDevice();
      // A real submission without files makes the device known.
      expect((await pushOk(t.app, device, [envelope()])).results[0]?.outcome).toBe('accepted');
      const junk = jpeg(20_000);
      const created = await tusCreate(t.app, device, junk);
      expect(created.statusCode).toBe(403);
      expect(created.json<{ error: string }>().error).toBe('not_referenced');
      // Nor a file another device's submission names (it is that device's to send).
      const other = newDevice();
      const theirs = jpeg(20_000);
      await pushNaming(t.app, t.db, other, [{ bytes: theirs }]);
      expect((await tusCreate(t.app, device, theirs)).statusCode).toBe(403);
      expect(existsSync(join(uploadDir, sha(junk)))).toBe(false);
      expect(existsSync(join(uploadDir, sha(theirs)))).toBe(false);
      // Its owner may, once; after that the file is held and nothing is stored twice.
      const own = await tusCreate(t.app, other, theirs);
      expect(own.statusCode).toBe(201);
      expect((await tusPatch(t.app, other, own.headers.location as string, 0, theirs)).statusCode).toBe(204);
      const again = await tusCreate(t.app, other, theirs);
      expect(again.statusCode).toBe(200);
      expect(again.headers['upload-offset']).toBe(String(theirs.length));
    });

    it('one device gets a bounded number of upload starts per window (429, which a phone retries later)', async () => {
      const t = ctx();
      const device = newDevice();
      const files = Array.from({ length: PER_DEVICE + 2 }, () => ({ bytes: jpeg(2_000) }));
      await pushNaming(t.app, t.db, device, files);
      const statuses: number[] = [];
      for (const f of files) statuses.push((await tusCreate(t.app, device, f.bytes)).statusCode);
      expect(statuses.slice(0, PER_DEVICE).every((s) => s === 201)).toBe(true);
      expect(statuses.slice(PER_DEVICE)).toEqual([429, 429]);
    });

    it('a finished file no submission names is swept', async () => {
      const t = ctx();
      // As the attack above left them on the parent: complete, verified, named by nobody.
      const junk = jpeg(3_000);
      const id = sha(junk);
      writeFileSync(join(uploadDir, id), junk);
      writeFileSync(join(uploadDir, `${id}.json`), JSON.stringify({ id, size: junk.length, offset: 0, metadata: { sha256: id, type: 'image/jpeg' }, creation_date: new Date(0).toISOString() }));
      await t.db.insertInto('attachment_arrivals').values({ sha256: id, type: 'image/jpeg', size: junk.length, arrived_at: new Date(0).toISOString() }).execute();
      // A named, arrived file stays.
      const device = newDevice();
      const kept = jpeg(3_000);
      await pushNaming(t.app, t.db, device, [{ bytes: kept }]);
      const created = await tusCreate(t.app, device, kept);
      expect((await tusPatch(t.app, device, created.headers.location as string, 0, kept)).statusCode).toBe(204);

      const swept = await deleteUnreferencedUploads(t.db, uploadDir, 24 * 3600 * 1000, new Date(Date.now() + 2 * 24 * 3600 * 1000));
      expect(swept).toContain(id);
      expect(swept).not.toContain(sha(kept));
      expect(existsSync(join(uploadDir, id))).toBe(false);
      expect(existsSync(join(uploadDir, sha(kept)))).toBe(true);
      const arrival = await t.db.selectFrom('attachment_arrivals').select('sha256').where('sha256', '=', id).executeTakeFirst();
      expect(arrival).toBeUndefined();
    });
    it('one address gets a bounded number of upload starts per window, however many devices it makes up', async () => {
      const t = ctx();
      const statuses: number[] = [];
      for (let i = 0; i < PER_ADDRESS + 2; i++) {
        const device = newDevice();
        const bytes = jpeg(2_000);
        await pushNaming(t.app, t.db, device, [{ bytes }]);
        statuses.push((await tusCreate(t.app, device, bytes, 'image/jpeg', {}, sha(bytes))).statusCode);
      }
      // The earlier tests of this file used part of this address's window already.
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      expect(statuses.every((s) => s === 201 || s === 429)).toBe(true);
    });

  },
  () => ({
    uploads: {
      dir: (uploadDir = mkdtempSync(join(tmpdir(), 'jangkau-fill-'))),
      sweepEveryMs: 0,
      limits: { perDevice: { max: PER_DEVICE, windowMs: 3_600_000 }, perAddress: { max: PER_ADDRESS, windowMs: 3_600_000 } },
    },
  }),
);

describeEachDialect(
  'attack: filling the disk through /uploads, under the free-space floor',
  (ctx) => {
    it('refuses an upload with 507 before free space falls under the floor that keeps the database writable', async () => {
      const t = ctx();
      const device = newDevice();
      const bytes = jpeg(4_000);
      await pushNaming(t.app, t.db, device, [{ bytes }]);
      const created = await tusCreate(t.app, device, bytes);
      expect(created.statusCode).toBe(507);
      expect(created.json<{ error: string }>().error).toBe('insufficient_storage');
      // Pushes still work: the floor is there for them.
      expect((await pushOk(t.app, device, [envelope()])).results[0]?.outcome).toBe('accepted');
    });
  },
  // No disk has this much free: every upload is under the floor.
  () => ({ uploads: { dir: mkdtempSync(join(tmpdir(), 'jangkau-floor-')), sweepEveryMs: 0, minFreeBytes: Number.MAX_SAFE_INTEGER } }),
);
