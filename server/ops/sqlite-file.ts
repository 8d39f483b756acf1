// What the backup and restore commands need to know about a SQLite file, and the file-system
// steps that make their writes atomic and durable.
import { closeSync, fsyncSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrationsFor } from '../migrations/index.ts';

/** The tables whose row counts an operator sees; counts only, never contents. */
export const MAIN_TABLES = ['submissions', 'changes', 'submission_devices', 'devices', 'form_versions'] as const;

/** Kysely's bookkeeping table: which migrations a database has run. */
const MIGRATION_TABLE = 'kysely_migration';

/** Files SQLite keeps beside a database: the WAL and the rollback journal hold data; -shm is an index. */
export const DATA_SIDE_FILES = ['-wal', '-journal'] as const;
export const INDEX_SIDE_FILES = ['-shm'] as const;

export interface SqliteFacts {
  sizeBytes: number;
  migrations: string[];
  counts: Record<string, number>;
  /** The change log's autoincrement counter: the highest seq ever handed out by this file. */
  changeSeq: number;
}

export type Inspection = { ok: true; facts: SqliteFacts } | { ok: false; problem: string };

export function openFile(path: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(path, { fileMustExist: true });
  // The server may hold the write lock for a moment; wait rather than fail.
  db.pragma('busy_timeout = 10000');
  return db;
}

function tableNames(db: BetterSqlite3.Database): Set<string> {
  const rows = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
  return new Set(rows.map((r) => r.name));
}

/**
 * Checks an open database the way a restore must trust it: SQLite's full integrity check, a
 * Jangkau schema, and no migration this code does not know (a backup made by a newer release
 * could hold columns this code would silently ignore or break).
 */
export function inspectOpenDatabase(db: BetterSqlite3.Database, path: string): Inspection {
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      return { ok: false, problem: `integrity check failed: ${integrity.slice(0, 5).join('; ')}` };
    }
    const tables = tableNames(db);
    if (!tables.has(MIGRATION_TABLE) || !tables.has('submissions')) {
      return { ok: false, problem: 'not a Jangkau database (no migration record or no submissions table)' };
    }
    const migrations = (db.prepare(`select name from ${MIGRATION_TABLE} order by name`).all() as { name: string }[]).map(
      (r) => r.name,
    );
    const known = new Set(Object.keys(migrationsFor('sqlite')));
    const unknown = migrations.filter((m) => !known.has(m));
    if (unknown.length > 0) {
      return {
        ok: false,
        problem: `made by a newer Jangkau: migration(s) ${unknown.join(', ')} unknown to this code; upgrade the code first`,
      };
    }
    const counts: Record<string, number> = {};
    for (const table of MAIN_TABLES) {
      if (tables.has(table)) counts[table] = (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    }
    const seqRow = tables.has('sqlite_sequence')
      ? (db.prepare("select seq from sqlite_sequence where name = 'changes'").get() as { seq: number } | undefined)
      : undefined;
    return { ok: true, facts: { sizeBytes: statSync(path).size, migrations, counts, changeSeq: seqRow?.seq ?? 0 } };
  } catch (err) {
    return { ok: false, problem: describeSqliteError(err) };
  }
}

/** SQLite's own words, with the two an operator meets most put plainly. */
export function describeSqliteError(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'SQLITE_NOTADB') return 'not a SQLite database (or its first page is damaged)';
  if (code === 'SQLITE_CORRUPT') return 'the file is damaged (SQLite: database disk image is malformed)';
  return err instanceof Error ? err.message : String(err);
}

/** Forces a file's contents to disk: a rename is only as durable as the bytes it points at. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename or unlink in `path`'s directory durable (Linux needs the directory fsynced). */
export function fsyncDirOf(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dirname(path), 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself has still happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Removes a database file together with whatever SQLite kept beside it. */
export function removeWithSideFiles(path: string): void {
  for (const suffix of ['', ...DATA_SIDE_FILES, ...INDEX_SIDE_FILES]) rmSync(`${path}${suffix}`, { force: true });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GiB`;
}

export function describeFacts(facts: SqliteFacts): string[] {
  return [
    `  size: ${formatBytes(facts.sizeBytes)}`,
    `  migrations: ${facts.migrations.join(', ') || '(none)'}`,
    `  rows: ${Object.entries(facts.counts)
      .map(([table, n]) => `${table} ${n}`)
      .join(', ')}`,
  ];
}
