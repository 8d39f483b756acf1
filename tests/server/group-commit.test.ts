// SQLite's group commit (server/repositories/group-commit.ts): work queued in the same turn shares
// one transaction, a failing piece is undone alone, and nobody hears "done" before the commit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { openDatabase } from '../../server/db/open.ts';
import type { OpenedDatabase } from '../../server/db/schema.ts';
import { migrateToLatest } from '../../server/migrations/index.ts';
import { createGroupCommit } from '../../server/repositories/group-commit.ts';

let dataDir: string;
let opened: OpenedDatabase;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jangkau-group-'));
  opened = await openDatabase({ dataDir });
  await migrateToLatest(opened.db, opened.dialect);
  // The reserved channel devices (migration 011) would show in every count below.
  await opened.db.deleteFrom('devices').execute();
});

afterEach(async () => {
  await opened.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const AT = '2026-11-28T00:00:00.000Z';

/** What another connection sees: only committed rows. */
function committedDevices(): string[] {
  const reader = new BetterSqlite3(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return (reader.prepare('select id from devices order by id').all() as { id: string }[]).map((r) => r.id);
  } finally {
    reader.close();
  }
}

it('shares one transaction between the work of one turn, undoes a failure alone, and settles after the commit', async () => {
  const group = createGroupCommit(opened.db);
  const seenAtSettle: Record<string, string[]> = {};
  const addDevice = (id: string, fail = false) =>
    group.run(async (trx) => {
      await trx.insertInto('devices').values({ id, secret_hash: 'h', created_at: AT, last_seen_at: AT }).execute();
      if (fail) throw new Error(`work ${id} failed`);
      // Earlier work of the same group is visible here, uncommitted: one shared transaction.
      return (await trx.selectFrom('devices').select('id').orderBy('id').execute()).map((r) => r.id);
    });

  const a = addDevice('A').then((seen) => ((seenAtSettle.A = committedDevices()), seen));
  const b = addDevice('B', true);
  const c = addDevice('C').then((seen) => ((seenAtSettle.C = committedDevices()), seen));

  // Nothing is committed before the turn ends.
  expect(committedDevices()).toEqual([]);
  await expect(b).rejects.toThrow('work B failed');
  expect(await a).toEqual(['A']);
  expect(await c).toEqual(['A', 'C']);
  // Each caller heard "done" only once its row was on disk; B's row was undone alone.
  expect(seenAtSettle).toEqual({ A: ['A', 'C'], C: ['A', 'C'] });
  expect(committedDevices()).toEqual(['A', 'C']);
});

it('fails the whole group, storing nothing, when the shared commit cannot be made', async () => {
  const group = createGroupCommit(opened.db);
  await opened.db.insertInto('devices').values({ id: 'X', secret_hash: 'h', created_at: AT, last_seen_at: AT }).execute();
  const first = group.run(async (trx) => {
    await trx.insertInto('devices').values({ id: 'D1', secret_hash: 'h', created_at: AT, last_seen_at: AT }).execute();
  });
  // The second work ends the transaction behind the group's back, so its savepoint cannot be released.
  const second = group.run(async (trx) => {
    await sql`rollback`.execute(trx);
  });
  await expect(first).rejects.toThrow();
  await expect(second).rejects.toThrow();
  expect(committedDevices()).toEqual(['X']);
  // The connection is usable afterwards.
  await group.run(async (trx) => {
    await trx.insertInto('devices').values({ id: 'D2', secret_hash: 'h', created_at: AT, last_seen_at: AT }).execute();
  });
  expect(committedDevices()).toEqual(['D2', 'X']);
});

it('takes work queued while a group runs into the next group', async () => {
  const group = createGroupCommit(opened.db, 2);
  const ids = ['G1', 'G2', 'G3', 'G4', 'G5'];
  const done = ids.map((id) =>
    group.run(async (trx) => {
      await trx.insertInto('devices').values({ id, secret_hash: 'h', created_at: AT, last_seen_at: AT }).execute();
      return (await trx.selectFrom('devices').select('id').execute()).length;
    }),
  );
  // Groups of at most 2: each group sees the rows of earlier groups and its own.
  expect(await Promise.all(done)).toEqual([1, 2, 3, 4, 5]);
  expect(committedDevices()).toEqual(ids);
});
