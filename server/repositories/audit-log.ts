// The append-only audit log: every status change and every officer's read of personal data, as
// who / what / when (never the personal data itself). Each row's hash covers its own fields and
// the previous row's hash, so changing, deleting or reordering any row breaks the chain from
// there on. Rows are appended under a lock (PostgreSQL: a transaction-scoped advisory lock;
// SQLite: its single writer), reading the head and writing head + 1 in the same transaction.
import { sql, type Kysely, type Transaction } from 'kysely';
import { canonicalJson, sha256Hex } from '../../core/hash.ts';
import type { AuditLogTable, Database, DialectName } from '../db/schema.ts';

/** An arbitrary constant naming the audit log's advisory lock ('JKAU'). */
const AUDIT_LOCK_KEY = 0x4a4b4155;
export const GENESIS_HASH = '0'.repeat(64);

export const AUDIT_ACTIONS = [
  'submission.read',
  'submission.status',
  'submission.extend',
  'account.create',
  'account.disable',
  'device.login',
  'device.logout',
  'device.revoke',
  'account.password_change',
  'account.password_reset',
  'assignment.upload',
  'assignment.download',
  'sop.publish',
  'retention.purge',
  'subject.request',
  'subject.export',
  'subject.correct',
  'subject.erase',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditInput {
  actorId: string;
  actorRole: string;
  action: AuditAction;
  /** What was acted on: a submission id, an account id, a device token id. */
  subject: string;
  regionCode?: string | null;
  /** Facts about the act, never personal data (e.g. the new status, a document's sha256). */
  detail?: Record<string, string | number | boolean | null>;
  at?: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string;
  actorRole: string;
  action: string;
  subject: string;
  regionCode: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

type Row = Omit<AuditLogTable, 'seq'> & { seq: number | string };

/** The hash a row must carry: sha256 over the canonical JSON of every other column. */
export function auditRowHash(row: Omit<Row, 'hash'>): Promise<string> {
  return sha256Hex(
    canonicalJson({
      seq: Number(row.seq),
      at: row.at,
      actorId: row.actor_id,
      actorRole: row.actor_role,
      action: row.action,
      subject: row.subject,
      regionCode: row.region_code,
      detail: row.detail_json,
      prevHash: row.prev_hash,
    }),
  );
}

/** Appends one entry inside the caller's transaction, so it commits with the act it records. */
export async function appendAudit(trx: Transaction<Database>, dialect: DialectName, input: AuditInput): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const head = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const row = {
    seq: head ? Number(head.seq) + 1 : 1,
    at: input.at ?? new Date().toISOString(),
    actor_id: input.actorId,
    actor_role: input.actorRole,
    action: input.action,
    subject: input.subject,
    region_code: input.regionCode ?? null,
    detail_json: canonicalJson(input.detail ?? {}),
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  await trx.insertInto('audit_log').values({ ...row, hash: await auditRowHash(row) }).execute();
}

/** Appends one entry in its own transaction (for acts that write nothing else). */
export function recordAudit(db: Kysely<Database>, dialect: DialectName, input: AuditInput): Promise<void> {
  return db.transaction().execute((trx) => appendAudit(trx, dialect, input));
}

function toEntry(r: Row): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    subject: r.subject,
    regionCode: r.region_code,
    detail: JSON.parse(r.detail_json) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

const ALL = ['seq', 'at', 'actor_id', 'actor_role', 'action', 'subject', 'region_code', 'detail_json', 'prev_hash', 'hash'] as const;

/** Entries after `afterSeq`, oldest first. */
export async function listAudit(db: Kysely<Database>, afterSeq: number, limit: number): Promise<{ entries: AuditEntry[]; more: boolean }> {
  const rows = await db.selectFrom('audit_log').select(ALL).where('seq', '>', afterSeq).orderBy('seq').limit(limit + 1).execute();
  return { entries: rows.slice(0, limit).map(toEntry), more: rows.length > limit };
}

export type ChainVerdict =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; brokenAt: number; reason: 'hash_mismatch' | 'broken_link' | 'gap' };

/**
 * Walks the whole chain. Catches any changed, inserted, deleted or reordered row; a cut at the
 * end is caught only by comparing `count` and `headHash` with a copy kept elsewhere
 * (docs/security.md).
 */
export async function verifyAuditChain(db: Kysely<Database>, pageSize = 1000): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').select(ALL).where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, count, brokenAt: expectedSeq, reason: 'gap' };
      if (r.prev_hash !== prevHash) return { ok: false, count, brokenAt: seq, reason: 'broken_link' };
      if ((await auditRowHash(r)) !== r.hash) return { ok: false, count, brokenAt: seq, reason: 'hash_mismatch' };
      prevHash = r.hash;
      expectedSeq += 1;
      count += 1;
    }
    if (rows.length < pageSize) return { ok: true, count, headHash: prevHash };
  }
}
