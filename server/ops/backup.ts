// Online backup of the SQLite database while the server keeps serving.
//
// `VACUUM INTO` rather than the page-by-page backup API: it copies inside one read transaction,
// so the copy is the database exactly as it was when the command began, and in WAL mode the
// server's writers carry on meanwhile. The backup API, copying in steps from another process,
// starts over whenever the server commits between two steps, so on a busy server it might never
// finish. The copy is written beside the target, verified, fsynced and only then renamed over
// the target: a backup file under its final name is always complete and checked, and an older
// backup of the same name survives until the new one is.
import { existsSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SQLITE_FILE_NAME } from '../db/sqlite.ts';
import { backupKeys } from './keys-copy.ts';
import { describeFacts, describeSqliteError, fsyncDirOf, fsyncFile, inspectOpenDatabase, openFile, removeWithSideFiles } from './sqlite-file.ts';

export type OpsResult = { ok: true; lines: string[] } | { ok: false; message: string };

export interface BackupOptions {
  dataDir: string;
  /** Where the backup goes; replaced atomically if it exists. */
  target: string;
  /** The sealing keys folder, copied to `<target>.keys/` (keys-copy.ts); DATA_DIR/keys by default. */
  keysDir?: string | undefined;
  now?: () => Date;
}

export function backupSqlite({ dataDir, target, keysDir = join(dataDir, 'keys'), now = () => new Date() }: BackupOptions): OpsResult {
  const source = join(dataDir, SQLITE_FILE_NAME);
  const dest = resolve(target);
  if (!existsSync(source)) return { ok: false, message: `No database at ${source}: check DATA_DIR.` };
  if (dest === resolve(source)) return { ok: false, message: 'The backup cannot overwrite the live database.' };
  // A mistyped mount point must not quietly fill the system disk instead of the backup disk.
  if (!existsSync(dirname(dest)) || !statSync(dirname(dest)).isDirectory()) {
    return { ok: false, message: `Directory ${dirname(dest)} does not exist; create it (or mount the backup disk) first.` };
  }
  if (existsSync(dest) && !statSync(dest).isFile()) return { ok: false, message: `${dest} exists and is not a file.` };

  const partial = `${dest}.partial-${process.pid}`;
  removeWithSideFiles(partial);
  const startedAt = now();
  try {
    const live = openFile(source);
    try {
      live.prepare('VACUUM INTO ?').run(partial);
    } finally {
      live.close();
    }
    const copy = openFile(partial);
    let inspection;
    try {
      // A single self-contained file: no -wal beside it that a file copy could leave behind.
      copy.pragma('journal_mode = DELETE');
      inspection = inspectOpenDatabase(copy, partial);
    } finally {
      copy.close();
    }
    if (!inspection.ok) {
      removeWithSideFiles(partial);
      return { ok: false, message: `The backup copy failed verification (${inspection.problem}); nothing was written to ${dest}.` };
    }
    fsyncFile(partial);
    renameSync(partial, dest);
    fsyncDirOf(dest);
    let keyLines: string[];
    try {
      keyLines = backupKeys(keysDir, dest);
    } catch (err) {
      return { ok: false, message: `The database backup is at ${dest}, but copying the sealing keys from ${keysDir} failed (${(err as Error).message}); run the backup again.` };
    }
    const seconds = ((now().getTime() - startedAt.getTime()) / 1000).toFixed(1);
    return {
      ok: true,
      lines: [
        `Backup written to ${dest} (integrity ok, ${seconds} s)`,
        `  holds everything committed before ${startedAt.toISOString()}`,
        ...describeFacts({ ...inspection.facts, sizeBytes: statSync(dest).size }),
        ...keyLines,
      ],
    };
  } catch (err) {
    removeWithSideFiles(partial);
    return { ok: false, message: `Backup failed: ${describeSqliteError(err)}; nothing was written to ${dest}.` };
  }
}
