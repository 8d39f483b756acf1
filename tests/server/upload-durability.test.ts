// #11 defect 3: a finished upload is on disk for good (file, its info and the directory entry
// fsynced) before its arrival is recorded and the 204 tells the phone it may delete its copy.
// The store's sync is injectable; here it records each path and whether the arrival was already
// recorded at that moment, then really syncs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fsyncPath } from '../../server/uploads/durable.ts';
import { describeEachDialect, newDevice } from './helpers.ts';
import { jpeg, pushNaming, sha, tusCreate, tusPatch } from './upload-fixtures.ts';

interface Synced {
  path: string;
  arrivedAlready: boolean;
}

const synced: Synced[] = [];
let arrived: (sha256: string) => Promise<boolean> = () => Promise.resolve(false);
let watched = '';
let dir = '';

describeEachDialect(
  'a finished upload is fsynced before it is acknowledged',
  (ctx) => {
    it('syncs the file, its info and its directory before recording the arrival and answering 204', async () => {
      const t = ctx();
      synced.length = 0;
      arrived = async (sha256) => (await t.db.selectFrom('attachment_arrivals').select('sha256').where('sha256', '=', sha256).executeTakeFirst()) !== undefined;
      const device = newDevice();
      const file = jpeg(20_000);
      watched = sha(file);
      await pushNaming(t.app, t.db, device, [{ bytes: file }]);
      const created = await tusCreate(t.app, device, file);
      expect(created.statusCode).toBe(201);
      const url = created.headers.location as string;
      // A part of the file is not yet the file: nothing to make durable for the phone's sake.
      expect((await tusPatch(t.app, device, url, 0, file.subarray(0, 5_000))).statusCode).toBe(204);
      const done = await tusPatch(t.app, device, url, 5_000, file.subarray(5_000));
      expect(done.statusCode).toBe(204);
      const paths = synced.map((s) => s.path);
      expect(paths).toEqual(expect.arrayContaining([join(dir, watched), join(dir, `${watched}.json`), dir]));
      expect(synced.every((s) => !s.arrivedAlready)).toBe(true);
      expect(await arrived(watched)).toBe(true);
    });
  },
  () => ({
    uploads: {
      dir: (dir = mkdtempSync(join(tmpdir(), 'jangkau-durable-'))),
      sweepEveryMs: 0,
      syncPath: async (path: string) => {
        synced.push({ path, arrivedAlready: watched !== '' && (await arrived(watched)) });
        await fsyncPath(path);
      },
    },
  }),
);
