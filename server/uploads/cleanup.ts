// Unfinished uploads expire on the server only: the device keeps its file and simply starts the
// upload again. @tus/file-store's own deleteExpired compares against the offset recorded at
// creation (always 0), so it would also delete finished files; this looks at the bytes on disk.
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isSha256Hex } from './metadata.ts';

interface StoredInfo {
  size?: unknown;
  creation_date?: unknown;
}

/** Deletes incomplete uploads created more than `maxAgeMs` before `now`; returns their ids. */
export async function deleteExpiredUploads(dir: string, maxAgeMs: number, now: Date = new Date()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const deleted: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const id = name.slice(0, -'.json'.length);
    if (!isSha256Hex(id)) continue;
    try {
      const info = JSON.parse(await readFile(join(dir, name), 'utf8')) as StoredInfo;
      const created = typeof info.creation_date === 'string' ? Date.parse(info.creation_date) : NaN;
      if (Number.isNaN(created) || now.getTime() - created <= maxAgeMs) continue;
      const onDisk = await stat(join(dir, id)).then((s) => s.size, () => -1);
      // Complete: as long as declared, or longer once sealed (encrypted-store.ts).
      if (typeof info.size === 'number' && onDisk >= info.size) continue;
      await unlink(join(dir, id)).catch(() => undefined);
      await unlink(join(dir, name));
      deleted.push(id);
    } catch {
      // A half-written info file: leave it for the next run rather than guess.
    }
  }
  return deleted;
}
