// Making a finished upload durable before anyone hears it is done: a phone that is told "done"
// deletes its only copy, so the bytes must be on the disk itself, not in the page cache
// (@tus/file-store never fsyncs). The same promise synchronous=FULL gives the database rows.
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/** Flushes one file or directory to the disk. Injectable so a test can see when it happens. */
export type SyncPath = (path: string) => Promise<void>;

export const fsyncPath: SyncPath = async (path) => {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** Syncs the upload's bytes, its info file and then the directory that names them. */
export async function makeUploadDurable(sync: SyncPath, dir: string, id: string): Promise<void> {
  await sync(join(dir, id));
  await sync(join(dir, `${id}.json`));
  await sync(dir);
}
