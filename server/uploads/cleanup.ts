// Unfinished uploads expire on the server only: the device keeps its file and simply starts the
// upload again. Finished files that no submission names are swept too. @tus/file-store's own deleteExpired compares against the offset recorded at
// creation (always 0), so it would also delete finished files; this looks at the bytes on disk.
import type { Stats } from 'node:fs';
import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fileIsNamed, forgetUnnamedArrival, markAttachmentArrived } from '../repositories/attachments.ts';
import { isSha256Hex } from './metadata.ts';

interface StoredInfo {
  size?: unknown;
  creation_date?: unknown;
  metadata?: { type?: unknown };
}

interface StoredUpload {
  id: string;
  /** The info file's name (`<id>.json`). */
  name: string;
  info: StoredInfo;
  /** The data file, when there is one. */
  data: Stats | undefined;
}

/**
 * Every upload in `dir` with its info and data file; an info file that cannot be read now (half
 * written) is left for the next run rather than guessed at.
 */
async function* storedUploads(dir: string): AsyncGenerator<StoredUpload> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const id = name.slice(0, -'.json'.length);
    if (!isSha256Hex(id)) continue;
    let info: StoredInfo;
    try {
      info = JSON.parse(await readFile(join(dir, name), 'utf8')) as StoredInfo;
    } catch {
      continue;
    }
    yield { id, name, info, data: await stat(join(dir, id)).catch(() => undefined) };
  }
}

/**
 * Deletes incomplete uploads whose last byte arrived more than `maxAgeMs` before `now` (the data
 * file's mtime, or the creation when no byte came yet); returns their ids. Age counts from the
 * last activity so a slow upload still going is never cut off between its HEAD and PATCH.
 */
export async function deleteExpiredUploads(dir: string, maxAgeMs: number, now: Date = new Date()): Promise<string[]> {
  const deleted: string[] = [];
  for await (const { id, name, info, data } of storedUploads(dir)) {
    const created = typeof info.creation_date === 'string' ? Date.parse(info.creation_date) : NaN;
    if (Number.isNaN(created)) continue;
    // Complete: as long as declared, or longer once sealed (encrypted-store.ts).
    if (typeof info.size === 'number' && data !== undefined && data.size >= info.size) continue;
    const lastActivity = Math.max(created, data?.mtimeMs ?? 0);
    if (now.getTime() - lastActivity <= maxAgeMs) continue;
    try {
      await unlink(join(dir, id)).catch(() => undefined);
      await unlink(join(dir, name));
      deleted.push(id);
    } catch {
      // Gone meanwhile: nothing left to delete.
    }
  }
  return deleted;
}

/**
 * Deletes finished files that no stored submission names, once idle for `maxAgeMs` (uploads are
 * taken only for named files, so these are leftovers: a submission purged, or files stored before
 * that rule). Their arrival is forgotten first, under the condition that nothing names them; a
 * push naming one at that very moment keeps it (its arrival is written back). Returns their ids.
 */
export async function deleteUnreferencedUploads(
  db: Kysely<Database>,
  dir: string,
  maxAgeMs: number,
  now: Date = new Date(),
): Promise<string[]> {
  const deleted: string[] = [];
  for await (const { id, name, info, data } of storedUploads(dir)) {
    // Unfinished ones are deleteExpiredUploads' to judge; finished: as declared, or longer once sealed.
    if (!data || typeof info.size !== 'number' || data.size < info.size) continue;
    if (now.getTime() - data.mtimeMs <= maxAgeMs) continue;
    try {
      if (await fileIsNamed(db, id)) continue;
      if (!(await forgetUnnamedArrival(db, id))) {
        const type = typeof info.metadata?.type === 'string' ? info.metadata.type : 'application/octet-stream';
        await markAttachmentArrived(db, { sha256: id, type, size: info.size }, now.toISOString());
        continue;
      }
      await unlink(join(dir, id)).catch(() => undefined);
      await unlink(join(dir, name));
      deleted.push(id);
    } catch {
      // A database hiccup: the next run looks again.
    }
  }
  return deleted;
}
