// vitest globalSetup for the server suite: finds out once whether PostgreSQL is reachable, so
// every server test file can also run against it (or say clearly why it does not).
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A reachable PostgreSQL URL, or null when the PostgreSQL suites are skipped. */
    postgresUrl: string | null;
  }
}

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<void> {
  // `TEST_DATABASE_URL=none` runs the SQLite suites alone on purpose (scripts/test-on-node.sh: the
  // second Node.js pass proves the runtime and its native SQLite addon; the PostgreSQL client is
  // the same JavaScript on both runtimes and runs against PostgreSQL in the main pass).
  if (process.env.TEST_DATABASE_URL?.trim() === 'none') {
    console.log('TEST_DATABASE_URL=none: the PostgreSQL server suite is not run in this pass (SQLite suite still runs).');
    project.provide('postgresUrl', null);
    return;
  }
  const url = process.env.TEST_DATABASE_URL?.trim() || DEFAULT_TEST_DATABASE_URL;
  const failure = await reachable(url);
  if (failure === undefined) {
    console.log(`PostgreSQL server suite: running against ${url}`);
    project.provide('postgresUrl', url);
    return;
  }
  if (process.env.REQUIRE_POSTGRES === '1') {
    throw new Error(`PostgreSQL not reachable at ${url} (${failure}) and REQUIRE_POSTGRES=1`);
  }
  console.log(`PostgreSQL not reachable at ${url}: SKIPPING the PostgreSQL server suite (SQLite suite still runs).`);
  project.provide('postgresUrl', null);
}
