// Reads the server's SQLite file directly, so e2e tests count what the province really holds
// rather than what an API chooses to report.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';

export function countSubmissions(dataDir: string, id?: string): number {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    const row = (id
      ? db.prepare('SELECT count(*) AS n FROM submissions WHERE id = ?').get(id)
      : db.prepare('SELECT count(*) AS n FROM submissions').get()) as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}
