// The audit log is hash-chained: the province admin reads it with a verdict, and any change made
// behind the API's back (a direct SQL update, a deleted row, a rewritten hash) is detected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { sha256Hex } from '../../core/hash.ts';
import { openDatabase } from '../../server/db/open.ts';
import { migrationsFor } from '../../server/migrations/index.ts';
import { expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { openPreparedDatabase } from '../../server/db/prepare.ts';
import { auditRowContent, auditRowHash, GENESIS_HASH, recordAudit, verifyAuditChain } from '../../server/repositories/audit-log.ts';
import { describeEachDialect, envelope, newDevice, pushOk, validPpidData } from './helpers.ts';
import { bearer, login, officer, REGION, TEST_AUTH } from './auth-fixtures.ts';
import { runCli } from '../support/server-process.ts';


describeEachDialect(
  'audit log',
  (ctx) => {
    it('records status changes and reads, serves them to the province admin only, and verifies', async () => {
      const t = ctx();
      const request = envelope({ data: validPpidData({ ditujukanKepada: REGION.regency }) });
      await pushOk(t.app, newDevice(), [request]);
      const op = await officer(t, 'operator', REGION.regency);
      await t.app.inject({ url: `/api/v1/inbox/${request.id}`, headers: bearer(op.token) });
      await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${request.id}/status`, headers: bearer(op.token), payload: { status: 'diproses' } });
      const admin = await officer(t, 'admin_provinsi', REGION.province);

      const res = await t.app.inject({ url: '/api/v1/audit?limit=500', headers: bearer(admin.token) });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ entries: { action: string; subject: string; seq: number; hash: string }[]; verify: { ok: boolean; count: number; headHash?: string } }>();
      expect(body.verify.ok).toBe(true);
      expect(body.verify.count).toBe(body.entries.length);
      expect(body.verify.headHash).toBe(body.entries.at(-1)?.hash);
      expect(body.entries.filter((e) => e.subject === request.id).map((e) => e.action)).toEqual(['submission.read', 'submission.status']);
      expect(body.entries.map((e) => e.seq)).toEqual(body.entries.map((_, i) => i + 1));

      expect((await t.app.inject({ url: '/api/v1/audit', headers: bearer(op.token) })).statusCode).toBe(403);
      expect((await t.app.inject({ url: '/api/v1/audit' })).statusCode).toBe(401);
    });

    it('detects a row changed, a hash rewritten to match, and a row deleted, once the triggers are dropped', async () => {
      const t = ctx();
      for (let i = 0; i < 5; i++) {
        await recordAudit(t.db, t.dialect, { actorId: `a${i}`, actorRole: 'operator', action: 'submission.read', subject: `s${i}` });
      }
      const before = await verifyAuditChain(t.db);
      expect(before.ok).toBe(true);
      const count = before.ok ? before.count : 0;
      const target = count - 2;

      // Only the database owner gets this far: the table refuses UPDATE and DELETE otherwise.
      await expect(sql`update audit_log set actor_id = ${'someone-else'} where seq = ${target}`.execute(t.db)).rejects.toThrow(/append-only/);
      for (const name of ['audit_log_no_update', 'audit_log_no_delete']) {
        await (t.dialect === 'postgres' ? sql`drop trigger ${sql.id(name)} on audit_log` : sql`drop trigger ${sql.id(name)}`).execute(t.db);
      }

      // A rogue insider rewrites who read it.
      await sql`update audit_log set actor_id = ${'someone-else'} where seq = ${target}`.execute(t.db);
      expect(await verifyAuditChain(t.db)).toEqual({ ok: false, count: target - 1, brokenAt: target, reason: 'hash_mismatch' });

      // ... and, were the chain key theirs, recomputes that row's hash: the next row's link breaks.
      const row = await t.db.selectFrom('audit_log').selectAll().where('seq', '=', target).executeTakeFirstOrThrow();
      await sql`update audit_log set hash = ${await auditRowHash(row)} where seq = ${target}`.execute(t.db);
      expect(await verifyAuditChain(t.db)).toEqual({ ok: false, count: target, brokenAt: target + 1, reason: 'broken_link' });

      // Appending goes on after a break (the act is still recorded); the page holding it reports
      // the break, a page after it does not (each call checks its own page only).
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const res = await t.app.inject({ url: '/api/v1/audit', headers: bearer(admin.token) });
      expect(res.json().verify).toMatchObject({ ok: false, brokenAt: target + 1 });
      const later = await t.app.inject({ url: `/api/v1/audit?after=${target + 1}`, headers: bearer(admin.token) });
      expect(later.json().verify).toMatchObject({ ok: true });

      await sql`delete from audit_log where seq >= ${target}`.execute(t.db);
      await recordAudit(t.db, t.dialect, { actorId: 'x', actorRole: 'operator', action: 'submission.read', subject: 'after' });
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
      await sql`delete from audit_log where seq = ${2}`.execute(t.db);
      expect(await verifyAuditChain(t.db)).toEqual({ ok: false, count: 1, brokenAt: 2, reason: 'gap' });
    });
  },
  { auth: TEST_AUTH },
);


it('create-admin makes the first province admin from a script, and verify-audit checks the chain', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-admin-'));
  try {
    const env = { DATA_DIR: dataDir, JANGKAU_ADMIN_PASSWORD: 'kata-sandi-admin-1' };
    const created = await runCli(['create-admin', 'admin.prov', '--name', 'Admin Provinsi'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('created province admin admin.prov');
    expect(created.stdout).not.toContain('kata-sandi-admin-1');
    const twice = await runCli(['create-admin', 'admin.prov'], env);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already taken');
    const weak = await runCli(['create-admin', 'admin.dua'], { ...env, JANGKAU_ADMIN_PASSWORD: 'pendek' });
    expect(weak.code).toBe(1);

    const opened = await openPreparedDatabase({ dataDir });
    const app = buildApp({ db: opened.db, dialect: opened.dialect, auth: TEST_AUTH });
    try {
      const res = await login(app, 'Admin.Prov', 'kata-sandi-admin-1');
      expect(res.statusCode).toBe(200);
      expect(res.json().account).toMatchObject({ role: 'admin_provinsi', scope: '19', displayName: 'Admin Provinsi' });
    } finally {
      await app.close();
      await opened.close();
    }
    const verified = await runCli(['verify-audit'], env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/audit log intact: 2 entries/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Four CLI processes, each compiling TypeScript at start: slow on a busy machine.
}, 180_000);

it('migration 014 re-keys a plain-sha256 chain from the genesis and records what the old chain said', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-rekey-'));
  const opened = await openDatabase({ dataDir });
  try {
    const migrator = new Migrator({ db: opened.db, provider: { getMigrations: () => Promise.resolve(migrationsFor(opened.dialect)) } });
    expect((await migrator.migrateTo('010-sms-outbox')).error).toBeUndefined();
    // Three rows as the code before 014 wrote them: sha256 over the canonical JSON.
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const row = { seq, at: `2026-01-0${seq}T00:00:00.000Z`, actor_id: `a${seq}`, actor_role: 'operator', action: 'submission.read', subject: `s${seq}`, region_code: null, detail_json: '{}', prev_hash: prev };
      const hash = await sha256Hex(auditRowContent(row));
      await opened.db.insertInto('audit_log').values({ ...row, hash }).execute();
      prev = hash;
    }
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await verifyAuditChain(opened.db)).toMatchObject({ ok: true, count: 4 });
    const last = await opened.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.action).toBe('audit.rekey');
    expect(JSON.parse(last.detail_json)).toEqual({ legacyEntries: 3, legacyHead: prev, legacyIntact: true, legacyBrokenAt: null });
    await expect(sql`update audit_log set actor_id = 'x'`.execute(opened.db)).rejects.toThrow(/append-only/);
  } finally {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
