// The audit log becomes tamper-evident against a database writer (#12 finding 7): every row's
// hash is re-keyed from the genesis under HMAC-SHA256 (the key is outside the database), and the
// database refuses UPDATE and DELETE (and on PostgreSQL TRUNCATE) on the table from now on.
//
// Why re-key rather than mark a switch-over point: a marker row would itself live in the database,
// and a writer could move it to make keyed rows read as plain sha256 ones. Re-keying leaves one
// rule for every row. What the old plain chain said is not lost: before re-keying, it is checked
// as it stood, and an 'audit.rekey' entry (keyed, appended last) records how many rows it held,
// whether it verified (and where it broke) and its old head hash, which an operator compares with
// the head an earlier `verify-audit` printed.
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { canonicalJson, sha256Hex } from '../../core/hash.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { auditRowContent, auditRowHash, GENESIS_HASH } from '../repositories/audit-log.ts';

const PAGE = 1000;

async function rekey(db: Kysely<Database>): Promise<void> {
  let legacyPrev = GENESIS_HASH;
  let keyedPrev = GENESIS_HASH;
  let brokenAt: number | null = null;
  let count = 0;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(PAGE).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (brokenAt === null && (seq !== count + 1 || r.prev_hash !== legacyPrev || (await sha256Hex(auditRowContent(r))) !== r.hash)) brokenAt = seq;
      legacyPrev = r.hash;
      const hash = await auditRowHash({ ...r, prev_hash: keyedPrev });
      await db.updateTable('audit_log').set({ prev_hash: keyedPrev, hash }).where('seq', '=', r.seq).execute();
      keyedPrev = hash;
      after = seq;
      count += 1;
    }
    if (rows.length < PAGE) break;
  }
  if (count === 0) return;
  const row = {
    seq: after + 1,
    at: new Date().toISOString(),
    actor_id: 'system',
    actor_role: 'migration',
    action: 'audit.rekey',
    subject: 'audit_log',
    region_code: null,
    detail_json: canonicalJson({ legacyEntries: count, legacyHead: legacyPrev, legacyIntact: brokenAt === null, legacyBrokenAt: brokenAt }),
    prev_hash: keyedPrev,
  };
  await db.insertInto('audit_log').values({ ...row, hash: await auditRowHash(row) }).execute();
}

export function auditAppendOnlyMigration(dialect: DialectName): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await rekey(db as Kysely<Database>);
      if (dialect === 'postgres') {
        await sql`
          create or replace function audit_log_append_only() returns trigger language plpgsql as $$
          begin
            raise exception 'audit_log is append-only (% refused)', tg_op;
          end
          $$`.execute(db);
        await sql`create trigger audit_log_no_update before update on audit_log for each row execute function audit_log_append_only()`.execute(db);
        await sql`create trigger audit_log_no_delete before delete on audit_log for each row execute function audit_log_append_only()`.execute(db);
        await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`.execute(db);
      } else {
        await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only (UPDATE refused)'); end`.execute(db);
        await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only (DELETE refused)'); end`.execute(db);
      }
    },
  };
}
