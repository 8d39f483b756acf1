// Puts a backup in place as DATA_DIR's database, keeping the database it replaces.
//
// Order matters, because SQLite pairs a database with whatever `<name>-wal` lies beside it: a
// leftover WAL of the old database next to the restored file would be replayed into it. So the
// backup is copied into DATA_DIR under a temporary name and verified there; the old database
// then moves aside together with its WAL or journal (kept as `<name>.before-restore-<time>`,
// restorable the same way); its -shm index is deleted; and only then does the verified copy take
// the live name.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SQLITE_FILE_NAME } from '../db/sqlite.ts';
import type { OpsResult } from './backup.ts';
import type { KeyObject } from 'node:crypto';
import { BACKUP_DB_ENTRY } from './backup.ts';
import { isEncryptedBackup, readEncryptedBackup } from './backup-crypto.ts';
import { keysBackupDir, restoreKeys } from './keys-copy.ts';
import { findRunningServers, removeStaleMarkers } from './server-marker.ts';
import {
  DATA_SIDE_FILES,
  INDEX_SIDE_FILES,
  describeFacts,
  describeSqliteError,
  fsyncDirOf,
  fsyncFile,
  inspectOpenDatabase,
  openFile,
  removeWithSideFiles,
  type SqliteFacts,
} from './sqlite-file.ts';

/**
 * How far the change log's sequence jumps on restore. Devices that pulled after the backup hold
 * cursors (and per-receipt seqs) above the backup's last seq; changes numbered below them would be
 * skipped by those devices for ever. Jumping past any seq the lost database can have handed out
 * keeps every later change visible. A billion is far beyond the changes a province makes between
 * two backups, and cursors stay below the protocol's 15-digit limit for a million restores.
 */
export const CHANGE_SEQ_GAP = 1_000_000_000;

export interface RestoreOptions {
  dataDir: string;
  /** The backup file (a `backup` output, or a kept `.before-restore-…` file). */
  source: string;
  /** Restore even though a server seems to be running on this DATA_DIR. */
  force?: boolean;
  /** The live sealing keys folder, filled from the backup's keys (keys-copy.ts); DATA_DIR/keys by default. */
  keysDir?: string | undefined;
  /** The backup identity (X25519 private key, BACKUP_IDENTITY_FILE): needed for an encrypted backup. */
  identity?: KeyObject | undefined;
  now?: () => Date;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Copies the backup (and a WAL beside it, which may hold its last commits) and makes it one verified file. */
function prepareCopy(source: string, partial: string): { ok: true; facts: SqliteFacts } | { ok: false; problem: string } {
  removeWithSideFiles(partial);
  copyFileSync(source, partial);
  if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${partial}-wal`);
  let db;
  try {
    db = openFile(partial);
  } catch (err) {
    return { ok: false, problem: describeSqliteError(err) };
  }
  try {
    // Leaving WAL mode folds a copied WAL into the file; the server turns WAL on again at start.
    db.pragma('journal_mode = DELETE');
    const inspection = inspectOpenDatabase(db, partial);
    if (!inspection.ok) return inspection;
    const next = inspection.facts.changeSeq + CHANGE_SEQ_GAP;
    const updated = db.prepare("update sqlite_sequence set seq = ? where name = 'changes'").run(next);
    if (updated.changes === 0) db.prepare("insert into sqlite_sequence (name, seq) values ('changes', ?)").run(next);
    return { ok: true, facts: { ...inspection.facts, changeSeq: next } };
  } catch (err) {
    return { ok: false, problem: describeSqliteError(err) };
  } finally {
    db.close();
  }
}

/** Folds the old database's WAL into its file when it still opens, so the kept copy stands alone. */
function checkpointQuietly(path: string): void {
  try {
    const db = openFile(path);
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // A damaged database may be why we restore; its WAL then moves aside with it, untouched.
  }
}

export function restoreSqlite(options: RestoreOptions): OpsResult {
  const from = resolve(options.source);
  if (!existsSync(from) || !statSync(from).isFile() || !isEncryptedBackup(from)) return restorePlain(options, from, keysBackupDir(from));
  if (!options.identity) {
    return { ok: false, message: `${from} is encrypted: give the backup identity (--identity <private-key.pem> or BACKUP_IDENTITY_FILE). The current database was not touched.` };
  }
  // Opened inside DATA_DIR, beside the database it becomes, and removed whatever happens.
  const opened = join(options.dataDir, `.restore-open-${process.pid}`);
  mkdirSync(options.dataDir, { recursive: true });
  try {
    try {
      readEncryptedBackup(from, options.identity, opened);
    } catch (err) {
      return { ok: false, message: `Refusing to restore ${from}: ${(err as Error).message}. The current database was not touched.` };
    }
    const result = restorePlain(options, join(opened, BACKUP_DB_ENTRY), join(opened, 'keys'), from);
    return result;
  } finally {
    rmSync(opened, { recursive: true, force: true });
  }
}

function restorePlain(
  { dataDir, force = false, keysDir = join(dataDir, 'keys'), now = () => new Date() }: RestoreOptions,
  from: string,
  keysFrom: string,
  shownAs: string = from,
): OpsResult {
  const live = join(dataDir, SQLITE_FILE_NAME);
  if (!existsSync(from) || !statSync(from).isFile()) return { ok: false, message: `No backup file at ${from}.` };
  if (from === resolve(live)) return { ok: false, message: 'That is the live database itself; give a backup file.' };

  const running = findRunningServers(dataDir);
  if (running.length > 0 && !force) {
    const pids = running.map((s) => `pid ${s.pid}, started ${s.startedAt}`).join('; ');
    return {
      ok: false,
      message:
        `A Jangkau server is running on ${dataDir} (${pids}). Stop it first (e.g. systemctl stop jangkau), ` +
        'then run restore again. Use --force only if you are sure that process is not a Jangkau server.',
    };
  }

  mkdirSync(dataDir, { recursive: true });
  const partial = join(dataDir, `${SQLITE_FILE_NAME}.restoring-${process.pid}`);
  let prepared;
  try {
    prepared = prepareCopy(from, partial);
  } catch (err) {
    prepared = { ok: false as const, problem: describeSqliteError(err) };
  }
  if (!prepared.ok) {
    removeWithSideFiles(partial);
    return { ok: false, message: `Refusing to restore ${from}: ${prepared.problem}. The current database was not touched.` };
  }
  fsyncFile(partial);

  const lines: string[] = [];
  const hadLive = [live, ...DATA_SIDE_FILES.map((s) => `${live}${s}`)].some((p) => existsSync(p));
  if (hadLive) {
    if (existsSync(live)) checkpointQuietly(live);
    let kept = `${live}.before-restore-${stamp(now())}`;
    for (let n = 2; existsSync(kept); n++) kept = `${live}.before-restore-${stamp(now())}-${n}`;
    // The data files move as a set under the kept name, so opening the kept file sees its WAL.
    for (const suffix of ['', ...DATA_SIDE_FILES]) {
      if (existsSync(`${live}${suffix}`)) renameSync(`${live}${suffix}`, `${kept}${suffix}`);
    }
    lines.push(`Previous database kept as ${kept}`, `  to undo: npm run jangkau -- restore ${kept}`);
  }
  for (const suffix of INDEX_SIDE_FILES) rmSync(`${live}${suffix}`, { force: true });
  renameSync(partial, live);
  fsyncDirOf(live);
  removeStaleMarkers(dataDir);
  let keyLines: string[];
  try {
    keyLines = restoreKeys(keysFrom, keysDir, stamp(now()));
  } catch (err) {
    keyLines = [`WARNING: the database is restored, but the sealing keys were not (${(err as Error).message}); bring the backup's keys into ${keysDir} by hand`];
  }

  return {
    ok: true,
    lines: [
      `Restored ${shownAs} into ${live} (integrity ok)`,
      ...describeFacts({ ...prepared.facts, sizeBytes: statSync(live).size }),
      `  change log continues at seq ${prepared.facts.changeSeq + 1}, past any cursor a device can hold`,
      ...lines,
      ...keyLines,
      running.length > 0
        ? 'WARNING: --force was used while a server process is alive: restart it now, or it keeps writing to the old file.'
        : 'Start the server now; it applies any newer migrations at start.',
    ],
  };
}
