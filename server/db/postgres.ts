// PostgreSQL, for several API processes behind a load balancer. Idempotency and ordering live in
// the database, so any process may take any request.
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database, OpenedDatabase } from './schema.ts';

export interface PostgresOptions {
  url: string;
  /** A schema to work in (created if missing); tests use a fresh one per file. */
  schema?: string;
  poolSize?: number;
  /** Where pool errors of idle clients go; without a listener they would crash the process. */
  onPoolError?: (err: Error) => void;
}

const SCHEMA_NAME_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME_RE.test(schema)) throw new Error(`Invalid PostgreSQL schema name: ${schema}`);
}

export async function openPostgres({ url, schema, poolSize = 10, onPoolError }: PostgresOptions): Promise<OpenedDatabase> {
  if (schema !== undefined) assertSchemaName(schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 10_000,
    // Every connection starts in the chosen schema, so queries need no qualification.
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', (err) => onPoolError?.(err));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (schema !== undefined) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    await assertDurableCommits(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/**
 * With synchronous_commit=off PostgreSQL reports a commit before its WAL reaches disk, so a crash
 * could lose submissions the devices already consider sent (invariant 3). Refuse to run.
 */
async function assertDurableCommits(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db);
  const setting = rows[0]?.synchronous_commit;
  if (setting === undefined || setting.toLowerCase() === 'off') {
    throw new Error(
      `PostgreSQL synchronous_commit is ${setting ?? 'unknown'}: Jangkau acknowledges only durable commits; set it to on`,
    );
  }
}
