// SQLite, the default: one file under DATA_DIR, opened with the settings that make an
// acknowledgement mean "on disk".
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database, OpenedDatabase } from './schema.ts';

export const SQLITE_FILE_NAME = 'jangkau.sqlite';

export interface SqliteOptions {
  dataDir: string;
  /** How long a writer waits for another process's lock (the CLI, a second server). */
  busyTimeoutMs?: number;
}

export function openSqlite({ dataDir, busyTimeoutMs = 10_000 }: SqliteOptions): OpenedDatabase {
  mkdirSync(dataDir, { recursive: true });
  const file = new BetterSqlite3(join(dataDir, SQLITE_FILE_NAME));
  // WAL lets readers run beside the one writer. synchronous=FULL fsyncs the WAL on every commit:
  // with NORMAL a power cut can lose the last commits after devices were told "accepted"
  // (invariant 3), and the device would then never resend them.
  const mode = file.pragma('journal_mode = WAL', { simple: true });
  if (String(mode).toLowerCase() !== 'wal') {
    file.close();
    throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
  }
  file.pragma('synchronous = FULL');
  file.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  file.pragma('foreign_keys = ON');
  // Deleted rows are overwritten, not just unlinked: an erasure or a retention purge must take the
  // bytes off the disk (docs/security.md), not leave them in free pages for a copy of the file.
  file.pragma('secure_delete = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) });
  const close = async () => {
    await db.destroy();
    // Kysely only closes a driver it has initialized, i.e. after a first query.
    if (file.open) file.close();
  };
  return { db, dialect: 'sqlite', close };
}

/**
 * Statements kept prepared, by SQL text: a push runs the same few inserts again and again. A
 * multi-row insert has one text per row count (1–200), and a push now writes three such families
 * (submissions, their NIK index rows, change-log rows) besides the savepoints: 64 entries thrashed,
 * re-preparing nearly every insert (bench:server, SQLite herd: 170 µs of SQL per submission with
 * 64, 95 µs with 512). A statement costs a few kilobytes of native memory.
 */
const CACHED_STATEMENTS = 512;

/**
 * Kysely prepares every statement it runs; preparing a 200-row insert again costs more than
 * running it. This keeps the most recently used ones (a statement is only ever used by the one
 * connection, one query at a time, so reusing it is safe; SQLite re-prepares it itself after a
 * schema change).
 */
function withStatementCache(file: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => file.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text);
      } else {
        statement = file.prepare(text);
        if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}
