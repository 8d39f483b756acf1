// Migration 003 on a database that already holds requests: each one gets the region whose inbox
// should show it and its due date, exactly as a request arriving after the upgrade would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { expect, it } from 'vitest';
import { dueDate } from '../../core/calendar/working-days.ts';
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { canonicalJson } from '../../core/hash.ts';
import { ulid } from '../../core/ids.ts';
import { openDatabase } from '../../server/db/open.ts';
import { migrateToLatest, migrationsFor } from '../../server/migrations/index.ts';
import { seedPublishedForms } from '../../server/repositories/forms.ts';
import { validPpidData } from './helpers.ts';
import { formEnvelope } from './auth-fixtures.ts';

it('places requests stored before migration 003 in their region with their due date', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-mig-'));
  const opened = await openDatabase({ dataDir });
  try {
    const all = migrationsFor(opened.dialect);
    const provider: MigrationProvider = { getMigrations: async () => ({ '001-initial': all['001-initial']! }) };
    const { error } = await new Migrator({ db: opened.db, provider }).migrateToLatest();
    expect(error).toBeUndefined();
    await seedPublishedForms(opened.db, PUBLISHED_FORMS, '2026-01-01T00:00:00.000Z');
    const receivedAt = '2026-03-02T03:00:00.000Z';
    await sql`insert into devices (id, secret_hash, created_at, last_seen_at) values ('D', 'h', ${receivedAt}, ${receivedAt})`.execute(opened.db);
    const rows = [
      { id: ulid(), formId: 'ppid-permohonan', data: validPpidData({ ditujukanKepada: '19.04' }) },
      { id: ulid(), formId: 'tanggapan-dps', data: formEnvelope('tanggapan-dps', { wilayah: '19.02.01.2003' }).data },
      { id: ulid(), formId: 'skm', data: formEnvelope('skm').data },
    ];
    for (const r of rows) {
      await sql`insert into submissions (id, form_id, form_version, created_at, received_at, payload_json, payload_hash, secret_hash, device_id, status, answer, status_at)
        values (${r.id}, ${r.formId}, 1, ${receivedAt}, ${receivedAt}, ${canonicalJson(r.data)}, 'p', 's', 'D', 'diterima', null, ${receivedAt})`.execute(opened.db);
    }

    await migrateToLatest(opened.db, opened.dialect);
    const placed = await opened.db.selectFrom('submissions').select(['id', 'region_code', 'due_on']).execute();
    const byId = new Map(placed.map((p) => [p.id, p]));
    expect(byId.get(rows[0]!.id)).toMatchObject({ region_code: '19.04', due_on: dueDate(receivedAt, { workingDays: 10 }, false) });
    expect(byId.get(rows[1]!.id)).toMatchObject({ region_code: '19.02.01.2003' });
    expect(byId.get(rows[2]!.id)).toMatchObject({ region_code: '19', due_on: null });
  } finally {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
