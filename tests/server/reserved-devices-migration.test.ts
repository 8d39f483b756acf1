// Migration 011 on a database that already holds devices: officer token rows and a channel id a
// stranger squatted before the upgrade become reserved, their secrets open nothing any more, and
// what was stored under them stays.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { expect, it } from 'vitest';
import { ulid } from '../../core/ids.ts';
import { openDatabase } from '../../server/db/open.ts';
import { migrateToLatest, migrationsFor } from '../../server/migrations/index.ts';
import { verifyDevice } from '../../server/repositories/devices.ts';
import { secretHash } from '../../server/services/hashing.ts';

it('reserves officer rows and squatted channel ids of a database made before migration 011', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-mig-'));
  const opened = await openDatabase({ dataDir });
  try {
    const all = migrationsFor(opened.dialect);
    const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '011'));
    const provider: MigrationProvider = { getMigrations: async () => before };
    expect((await new Migrator({ db: opened.db, provider }).migrateToLatest()).error).toBeUndefined();
    const at = '2026-03-02T03:00:00.000Z';
    const [phone, officerDevice, squatted] = [ulid(), ulid(), '0000000000000000000000HAND'];
    const secret = (id: string) => `rahasia-${id}`;
    for (const id of [phone, officerDevice, squatted]) {
      await sql`insert into devices (id, secret_hash, created_at, last_seen_at) values (${id}, ${secretHash(secret(id))}, ${at}, ${at})`.execute(opened.db);
    }
    await sql`insert into accounts (id, username, password_hash, role, scope, display_name, created_at) values ('A', 'pantarlih-x', 'h', 'pantarlih', '19.01.01.1001', 'X', ${at})`.execute(opened.db);
    await sql`insert into device_tokens (id, account_id, token_hash, label, created_at, last_used_at) values (${officerDevice}, 'A', ${secretHash(secret(officerDevice))}, 'HP', ${at}, ${at})`.execute(opened.db);

    await migrateToLatest(opened.db, opened.dialect);
    const rows = await opened.db.selectFrom('devices').select(['id', 'kind', 'secret_hash']).orderBy('id').execute();
    expect(new Map(rows.map((r) => [r.id, r.kind]))).toEqual(
      new Map([
        [phone, 'phone'],
        [officerDevice, 'officer'],
        [squatted, 'channel'],
        ['00000000000000000000000SMS', 'channel'],
      ]),
    );
    const check = (id: string) => verifyDevice(opened.db, { kind: 'phone', deviceId: id, secret: secret(id) });
    expect(await check(phone)).toBe('ok');
    expect(await check(officerDevice)).toBe('reserved');
    expect(await check(squatted)).toBe('reserved');
    expect(await verifyDevice(opened.db, { kind: 'channel', deviceId: squatted })).toBe('ok');
    expect(rows.filter((r) => r.kind !== 'phone').map((r) => r.secret_hash)).toEqual(['', '', '']);
  } finally {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
