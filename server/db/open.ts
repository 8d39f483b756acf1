// Picks the database: PostgreSQL when a URL is given, otherwise SQLite under the data directory.
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';
import type { OpenedDatabase } from './schema.ts';

export interface DatabaseConfig {
  /** Directory of the SQLite file (created if missing). */
  dataDir: string;
  /** A postgres:// URL; when set, SQLite is not used. */
  databaseUrl?: string;
  /** PostgreSQL schema (search_path). */
  schema?: string;
  onPoolError?: (err: Error) => void;
}

export async function openDatabase(config: DatabaseConfig): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    return openPostgres({ url: config.databaseUrl, schema: config.schema, onPoolError: config.onPoolError });
  }
  return openSqlite({ dataDir: config.dataDir });
}
