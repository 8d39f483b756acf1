// Finding 7 of #12: someone who can write the database (a stolen admin login to PostgreSQL, a
// copy of the SQLite file put back) tries to rewrite, delete or cut the audit log unseen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../core/hash.ts';
import { verifyAuditCommand } from '../../server/auth/cli-commands.ts';
import type { Database, DialectName } from '../../server/db/schema.ts';
import { recordAudit, verifyAuditChain } from '../../server/repositories/audit-log.ts';
import { bearer, officer, REGION, TEST_AUTH } from '../server/auth-fixtures.ts';
import { describeEachDialect, type TestApp } from '../server/helpers.ts';

async function fill(t: TestApp, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await recordAudit(t.db, t.dialect, { actorId: `petugas-${i}`, actorRole: 'operator', action: 'submission.read', subject: `s${i}` });
  }
}

/** What a database owner can do: take away whatever stops UPDATE and DELETE on the table. */
async function dropGuards(db: Kysely<Database>, dialect: DialectName): Promise<void> {
  for (const name of ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_no_truncate']) {
    if (dialect === 'postgres') await sql`drop trigger if exists ${sql.id(name)} on audit_log`.execute(db);
    else await sql`drop trigger if exists ${sql.id(name)}`.execute(db);
  }
}

/** The published row hash (sha256 over the canonical JSON of the other columns): all the writer knows. */
function publishedHash(r: { seq: number | string; at: string; actor_id: string; actor_role: string; action: string; subject: string; region_code: string | null; detail_json: string; prev_hash: string }): Promise<string> {
  return sha256Hex(
    canonicalJson({
      seq: Number(r.seq),
      at: r.at,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      action: r.action,
      subject: r.subject,
      regionCode: r.region_code,
      detail: r.detail_json,
      prevHash: r.prev_hash,
    }),
  );
}

describeEachDialect(
  'the database refuses to change audit rows (finding 7)',
  (ctx) => {
    it('UPDATE and DELETE on audit_log fail, and the rows stay as written', async () => {
      const t = ctx();
      await fill(t, 3);
      const before = await t.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      await expect(sql`update audit_log set actor_id = ${'orang-lain'} where seq = ${2}`.execute(t.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log where seq = ${3}`.execute(t.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
      expect(await t.db.selectFrom('audit_log').selectAll().orderBy('seq').execute()).toEqual(before);
    });
  },
  { auth: TEST_AUTH },
);

describeEachDialect(
  'a rewritten audit row re-hashed forward (finding 7)',
  (ctx) => {
    it('is caught by verify-audit and by GET /audit, since the writer lacks the chain key', async () => {
      const t = ctx();
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      await fill(t, 5);
      await dropGuards(t.db, t.dialect);
      // Who read that file becomes someone else, and every later row is re-hashed to match.
      const rows = await t.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      let prev = rows[0]!.hash;
      for (const r of rows.slice(1)) {
        const changed = { ...r, actor_id: r.subject === 's1' ? 'orang-lain' : r.actor_id, prev_hash: prev };
        const hash = await publishedHash(changed);
        await sql`update audit_log set actor_id = ${changed.actor_id}, prev_hash = ${prev}, hash = ${hash} where seq = ${r.seq}`.execute(t.db);
        prev = hash;
      }
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false });
      const page = await t.app.inject({ url: '/api/v1/audit?limit=500', headers: bearer(admin.token) });
      expect(page.statusCode).toBe(200);
      expect(page.json<{ verify: { ok: boolean } }>().verify.ok).toBe(false);
    });
  },
  { auth: TEST_AUTH },
);

describeEachDialect(
  'a cut audit tail (finding 7)',
  (ctx) => {
    const anchorDir = mkdtempSync(join(tmpdir(), 'jangkau-anchor-'));
    afterAll(() => rmSync(anchorDir, { recursive: true, force: true }));

    it('is caught against the head anchored outside the database, even when new rows refill it', async () => {
      const t = ctx();
      const anchor = join(anchorDir, 'audit-head');
      await fill(t, 5);
      expect(await verifyAuditCommand(t.opened, ['--anchor', anchor])).toMatch(/intact: 5 entries/);

      await dropGuards(t.db, t.dialect);
      await sql`delete from audit_log where seq >= ${4}`.execute(t.db);
      // The chain that is left is consistent; only the anchor knows what it held.
      expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, count: 3 });
      await expect(verifyAuditCommand(t.opened, ['--anchor', anchor])).rejects.toThrow(/anchor/);

      await fill(t, 2);
      await expect(verifyAuditCommand(t.opened, ['--anchor', anchor])).rejects.toThrow(/anchor/);
    });
  },
  { auth: TEST_AUTH },
);
