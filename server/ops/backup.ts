// Online backup of the SQLite database while the server keeps serving.
//
// `VACUUM INTO` rather than the page-by-page backup API: it copies inside one read transaction,
// so the copy is the database exactly as it was when the command began, and in WAL mode the
// server's writers carry on meanwhile. The backup API, copying in steps from another process,
// starts over whenever the server commits between two steps, so on a busy server it might never
// finish. The copy is made in DATA_DIR (never in the clear on the backup disk), verified, then
// encrypted to the backup recipient's public key together with the sealing keys folder
// (backup-crypto.ts) beside the target, fsynced and only then renamed over the target: a backup
// file under its final name is always complete and checked, and an older backup of the same name
// survives until the new one is.
import type { KeyObject } from 'node:crypto';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SQLITE_FILE_NAME } from '../db/sqlite.ts';
import { recipientId, writeEncryptedBackup, type BackupEntry } from './backup-crypto.ts';
import { keyFiles } from './keys-copy.ts';
import { describeFacts, describeSqliteError, fsyncDirOf, fsyncFile, inspectOpenDatabase, openFile, removeWithSideFiles } from './sqlite-file.ts';

export type OpsResult = { ok: true; lines: string[] } | { ok: false; message: string };

export interface BackupOptions {
  dataDir: string;
  /** Where the backup goes; replaced atomically if it exists. */
  target: string;
  /** The sealing keys folder, carried inside the encrypted backup; DATA_DIR/keys by default. */
  keysDir?: string | undefined;
  /** The backup recipient's X25519 public key (BACKUP_RECIPIENT_FILE): only its private half restores. */
  recipient: KeyObject;
  now?: () => Date;
}

/** The name of the database inside an encrypted backup. */
export const BACKUP_DB_ENTRY = 'jangkau.sqlite';

export function backupSqlite({ dataDir, target, keysDir = join(dataDir, 'keys'), recipient, now = () => new Date() }: BackupOptions): OpsResult {
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
  const copyPath = join(dataDir, `backup-copy-${process.pid}.sqlite`);
  removeWithSideFiles(copyPath);
  rmSync(partial, { force: true });
  const startedAt = now();
  try {
    const live = openFile(source);
    try {
      live.prepare('VACUUM INTO ?').run(copyPath);
    } finally {
      live.close();
    }
    const copy = openFile(copyPath);
    let inspection;
    try {
      // A single self-contained file: no -wal beside it that a file copy could leave behind.
      copy.pragma('journal_mode = DELETE');
      inspection = inspectOpenDatabase(copy, copyPath);
    } finally {
      copy.close();
    }
    if (!inspection.ok) {
      removeWithSideFiles(copyPath);
      return { ok: false, message: `The backup copy failed verification (${inspection.problem}); nothing was written to ${dest}.` };
    }
    const keyNames = existsSync(keysDir) ? keyFiles(keysDir) : [];
    const entries: BackupEntry[] = [
      { name: BACKUP_DB_ENTRY, path: copyPath },
      ...keyNames.map((name) => ({ name: `keys/${name}`, path: join(keysDir, name) })),
    ];
    writeEncryptedBackup(partial, recipient, entries);
    removeWithSideFiles(copyPath);
    fsyncFile(partial);
    renameSync(partial, dest);
    fsyncDirOf(dest);
    const keyLines = [
      `  encrypted to backup recipient ${recipientId(recipient)}; restore needs its private key (and the KEK)`,
      keyNames.length > 0 ? `  sealing keys inside (${keyNames.length} files, still wrapped by the KEK)` : `  no keys folder at ${keysDir}: no keys carried`,
    ];
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
    removeWithSideFiles(copyPath);
    rmSync(partial, { force: true });
    return { ok: false, message: `Backup failed: ${describeSqliteError(err)}; nothing was written to ${dest}.` };
  }
}
