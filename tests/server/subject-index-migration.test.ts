// Migration 018 on a SQLite database that already holds NIK index rows: the table is rebuilt keyed
// by submission first, every row stays, and both lookups (by NIK, by submission) answer as before.
// (On PostgreSQL the migration changes nothing.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { expect, it } from 'vitest';
import { ulid } from '../../core/ids.ts';
import { openDatabase } from '../../server/db/open.ts';
import { migrateToLatest, migrationsFor } from '../../server/migrations/index.ts';
import { subjectsOf } from '../../server/repositories/subjects.ts';

it('keeps every NIK index row of a SQLite database made before migration 018', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-mig-'));
  const opened = await openDatabase({ dataDir });
  try {
    const before = Object.fromEntries(Object.entries(migrationsFor(opened.dialect)).filter(([name]) => name < '018'));
    const provider: MigrationProvider = { getMigrations: async () => before };
    expect((await new Migrator({ db: opened.db, provider }).migrateToLatest()).error).toBeUndefined();
    const rows = Array.from({ length: 40 }, (_, i) => ({ nik: `nik-${i % 7}`, id: ulid() }));
    for (const r of rows) await sql`insert into submission_subjects (nik_index, submission_id) values (${r.nik}, ${r.id})`.execute(opened.db);

    await migrateToLatest(opened.db, opened.dialect);
    const byNik = await opened.db.selectFrom('submission_subjects').select('submission_id').where('nik_index', '=', 'nik-3').execute();
    expect(byNik.map((r) => r.submission_id).sort()).toEqual(rows.filter((r) => r.nik === 'nik-3').map((r) => r.id).sort());
    const some = rows.slice(0, 5).map((r) => r.id);
    expect((await subjectsOf(opened.db, some)).map((r) => r.submissionId).sort()).toEqual([...some].sort());
    const first = rows[0]!;
    await expect(sql`insert into submission_subjects (nik_index, submission_id) values (${first.nik}, ${first.id})`.execute(opened.db)).rejects.toThrow();
    const plan = await sql<{ detail: string }>`explain query plan select nik_index from submission_subjects where submission_id = ${first.id}`.execute(opened.db);
    expect(plan.rows.map((r) => r.detail).join(' ')).toMatch(/SEARCH submission_subjects USING PRIMARY KEY \(submission_id=\?\)/);
  } finally {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
