// The sweep of finished files no submission names (#12 finding 1) must never leave the province
// believing it holds a file it deleted: a file swept and later named and uploaded again is
// checked and recorded as arrived again, though this process verified it once before.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { attachmentProgress } from '../../server/repositories/attachments.ts';
import { deleteUnreferencedUploads } from '../../server/uploads/cleanup.ts';
import { describeEachDialect, newDevice } from './helpers.ts';
import { jpeg, pushNaming, sha, tusCreate, tusPatch } from './upload-fixtures.ts';

let dir = '';

describeEachDialect(
  'sweeping unnamed files',
  (ctx) => {
    it('records a file again when it is uploaded again after being swept', async () => {
      const t = ctx();
      const device = newDevice();
      const photo = jpeg(4_000);
      const first = await pushNaming(t.app, t.db, device, [{ bytes: photo }]);
      const created = await tusCreate(t.app, device, photo);
      expect((await tusPatch(t.app, device, created.headers.location as string, 0, photo)).statusCode).toBe(204);
      // The naming submission goes (as a retention purge would take it): the file is named by nobody.
      await t.db.deleteFrom('submission_attachments').where('submission_id', '=', first).execute();
      const later = new Date(Date.now() + 2 * 24 * 3600 * 1000);
      expect(await deleteUnreferencedUploads(t.db, dir, 24 * 3600 * 1000, later)).toEqual([sha(photo)]);
      expect(existsSync(join(dir, sha(photo)))).toBe(false);

      // A new request names the same photo; its phone uploads it again.
      const second = await pushNaming(t.app, t.db, device, [{ bytes: photo }]);
      const again = await tusCreate(t.app, device, photo);
      expect(again.statusCode).toBe(201);
      expect((await tusPatch(t.app, device, again.headers.location as string, 0, photo)).statusCode).toBe(204);
      expect((await attachmentProgress(t.db, [second])).get(second)).toEqual({ files: 1, arrived: 1, complete: true });
    });
  },
  () => ({ uploads: { dir: (dir = mkdtempSync(join(tmpdir(), 'jangkau-sweep-'))), sweepEveryMs: 0 } }),
);
