// Two test files (or two processes) on one PostgreSQL: one migrates its fresh schema while the
// other drops its own. Kysely's introspector, which the migrator asks whether its tables exist,
// listed every table of every schema and failed with "schema … does not exist" when one went
// away meanwhile (CI's Node.js 22 pass: 3 of 77 files). The migration must not care.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { openPreparedDatabase } from '../../server/db/prepare.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pgUrl = inject('postgresUrl');

describe.skipIf(!pgUrl)('migrating a schema while other schemas come and go [postgres]', () => {
  it('every migration succeeds while another connection creates and drops schemas with tables', async () => {
    const churn = new pg.Client({ connectionString: pgUrl! });
    await churn.connect();
    let stop = false;
    const churning = (async () => {
      while (!stop) {
        const other = `t_churn_${randomBytes(4).toString('hex')}`;
        await churn.query(`create schema ${other}`);
        await churn.query(`create table ${other}.a (id serial primary key, note text); create table ${other}.b (id serial primary key, note text)`);
        await churn.query(`drop schema ${other} cascade`);
      }
    })();
    const opened: string[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-race-'));
    try {
      for (let i = 0; i < 6; i++) {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        const db = await openPreparedDatabase({ dataDir, databaseUrl: pgUrl!, schema });
        opened.push(schema);
        await sql`drop schema ${sql.id(schema)} cascade`.execute(db.db);
        await db.close();
      }
    } finally {
      stop = true;
      await churning.catch(() => undefined);
      await churn.end();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(opened).toHaveLength(6);
  });
});
