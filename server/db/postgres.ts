// PostgreSQL, for several API processes behind a load balancer. Idempotency and ordering live in
// the database, so any process may take any request.
import pg from 'pg';
import { Kysely, PostgresDialect, sql, type DatabaseIntrospector, type SchemaMetadata, type TableMetadata } from 'kysely';
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
  const db = new Kysely<Database>({ dialect: new OwnSchemaDialect({ pool }) });
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
 * What the migrator asks of the database's tables, answered from the connection's own schema
 * only. Kysely's PostgreSQL introspector lists every table of every schema and resolves each
 * table's name again as text: a schema dropped meanwhile by another process (tests open and drop
 * one per file, two files at once) failed this process's migration with "schema … does not exist".
 */
class OwnSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; kind: string }>`
      select c.relname as name, n.nspname as schema, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm', 'f')`.execute(this.db);
    return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.kind === 'v' || r.kind === 'm', isForeign: r.kind === 'f', columns: [] }));
  }
}

class OwnSchemaDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new OwnSchemaIntrospector(db);
  }
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
