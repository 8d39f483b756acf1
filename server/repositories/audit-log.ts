// The append-only audit log: every status change and every officer's read of personal data, as
// who / what / when (never the personal data itself). Each row's hash is an HMAC-SHA256, under a
// key kept outside the database (crypto/audit-key.ts), over its own fields and the previous row's
// hash: changing, deleting or reordering any row breaks the chain from there on, and someone who
// can write the database cannot compute a matching chain. The database itself refuses UPDATE and
// DELETE on the table (migration 014); a cut at the end is caught against a head anchored outside
// it (verify-audit --anchor). Rows are appended under a lock (PostgreSQL: a transaction-scoped
// advisory lock; SQLite: its single writer), reading the head and writing head + 1 in the same
// transaction.
import { createHmac } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { canonicalJson } from '../../core/hash.ts';
import { AUDIT_KEY_ENV, AUDIT_KEY_FILE_ENV, loadAuditKey } from '../crypto/audit-key.ts';
import type { AuditLogTable, Database, DialectName } from '../db/schema.ts';

/** An arbitrary constant naming the audit log's advisory lock ('JKAU'). */
const AUDIT_LOCK_KEY = 0x4a4b4155;
export const GENESIS_HASH = '0'.repeat(64);

export const AUDIT_ACTIONS = [
  'submission.read',
  // One page of the inbox listed with subjects and requesters' names: subject is the scope, detail the ids.
  'submission.list',
  'submission.status',
  'submission.extend',
  // Issue #14: an internal note added (detail: the note's id, never its text); an assignment; a
  // resident's completion of a returned request (actor: the device).
  'submission.note',
  'submission.assign',
  'submission.complete',
  'account.create',
  'account.disable',
  'device.login',
  'device.logout',
  'device.revoke',
  'account.password_change',
  'account.password_reset',
  'assignment.upload',
  'assignment.download',
  // Voter records (issue #13): a bulk load of lists, a conflict resolved, a staff correction, the
  // updated list or the recap exported with personal data.
  'voters.load',
  'voters.resolve',
  'voters.correct',
  'voters.export',
  'sop.publish',
  // Pemilih ganda: a search over the province, a page of pairs shown with both records, a pair decided.
  'duplicates.search',
  'duplicates.list',
  'duplicates.decide',
  'retention.purge',
  'subject.request',
  'subject.export',
  'subject.correct',
  'subject.erase',
  // A period's submissions or a PPID register downloaded (XLSX/CSV): subject the scope, detail what and how many.
  'submission.export',
  // A PPID register (requests or keberatan) read on screen: subject the scope, detail the period and row count.
  'register.read',
  // An inbox search by receipt number, NIK or name: subject the scope, detail the kind of search (never the term).
  'submission.search',
  // Migration 014: the chain re-keyed under HMAC, with the verdict on the plain-sha256 chain it replaced.
  'audit.rekey',
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

let configuredKey: Buffer | undefined;

/**
 * Sets the chain key for this process (main.ts and the CLI load it with loadAuditKey before the
 * database opens, since migration 014 re-keys with it). Without it, the key is read from
 * JANGKAU_AUDIT_KEY / JANGKAU_AUDIT_KEY_FILE; there is no silent default.
 */
export function useAuditKey(key: Buffer): void {
  configuredKey = key;
}

function chainKey(): Buffer {
  if (configuredKey) return configuredKey;
  if (process.env[AUDIT_KEY_ENV]?.trim() || process.env[AUDIT_KEY_FILE_ENV]?.trim()) return (configuredKey = loadAuditKey({ dataDir: '.' }));
  throw new Error(`the audit chain key is not loaded (${AUDIT_KEY_ENV} or ${AUDIT_KEY_FILE_ENV}; docs/operations.md)`);
}

/** The canonical JSON of every column but the hash: what the row's hash covers. */
export function auditRowContent(row: Omit<Row, 'hash'>): string {
  return canonicalJson({
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    action: row.action,
    subject: row.subject,
    regionCode: row.region_code,
    detail: row.detail_json,
    prevHash: row.prev_hash,
  });
}

/** The hash a row must carry: HMAC-SHA256 under the chain key over the row's content. */
export function auditRowHash(row: Omit<Row, 'hash'>, key: Buffer = chainKey()): Promise<string> {
  return Promise.resolve(createHmac('sha256', key).update(auditRowContent(row)).digest('hex'));
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

export type ChainVerdict =
  | { ok: true; count: number; headHash: string }
  | { ok: false; count: number; brokenAt: number; reason: 'hash_mismatch' | 'broken_link' | 'gap' | 'anchor_missing' | 'anchor_mismatch' };

/** A head seen earlier and kept outside the database (verify-audit --anchor). */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

export interface VerifyOptions {
  pageSize?: number;
  /** Heads kept elsewhere: the chain must still hold each one, at its seq and with its hash. */
  anchors?: readonly AuditAnchor[];
}

/**
 * Walks the whole chain. Catches any changed, inserted, deleted or reordered row; a cut at the
 * end (or a cut refilled with new rows) is caught only against `anchors`, heads kept outside the
 * database (docs/security.md).
 */
export async function verifyAuditChain(db: Kysely<Database>, options: VerifyOptions = {}): Promise<ChainVerdict> {
  const pageSize = options.pageSize ?? 1000;
  const anchors = new Map((options.anchors ?? []).map((a) => [a.seq, a.hash]));
  const key = chainKey();
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').select(ALL).where('seq', '>=', expectedSeq).orderBy('seq').limit(pageSize).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, count, brokenAt: expectedSeq, reason: 'gap' };
      if (r.prev_hash !== prevHash) return { ok: false, count, brokenAt: seq, reason: 'broken_link' };
      if ((await auditRowHash(r, key)) !== r.hash) return { ok: false, count, brokenAt: seq, reason: 'hash_mismatch' };
      const anchored = anchors.get(seq);
      if (anchored !== undefined && anchored !== r.hash) return { ok: false, count, brokenAt: seq, reason: 'anchor_mismatch' };
      prevHash = r.hash;
      expectedSeq += 1;
      count += 1;
    }
    if (rows.length < pageSize) {
      const beyond = [...anchors.keys()].filter((seq) => seq > count).sort((a, b) => a - b)[0];
      if (beyond !== undefined) return { ok: false, count, brokenAt: count + 1, reason: 'anchor_missing' };
      return { ok: true, count, headHash: prevHash };
    }
  }
}

export type PageVerdict =
  | { ok: true; count: number; headHash?: string }
  | { ok: false; count: number; brokenAt: number; reason: 'hash_mismatch' | 'broken_link' | 'gap' };

/**
 * One page of entries after `afterSeq` (keyset-paged on seq), with the verdict on that page alone:
 * each row's HMAC, and each link, the first one to the row before the page. A reader walking every
 * page has so checked the whole chain, at the cost of one page per call; verify-audit walks it all.
 */
export async function readAuditPage(
  db: Kysely<Database>,
  afterSeq: number,
  limit: number,
): Promise<{ entries: AuditEntry[]; more: boolean; verify: PageVerdict }> {
  const [rows, before] = await Promise.all([
    db.selectFrom('audit_log').select(ALL).where('seq', '>', afterSeq).orderBy('seq').limit(limit + 1).execute(),
    afterSeq > 0 ? db.selectFrom('audit_log').select('hash').where('seq', '=', afterSeq).executeTakeFirst() : Promise.resolve({ hash: GENESIS_HASH }),
  ]);
  const page = rows.slice(0, limit);
  return { entries: page.map(toEntry), more: rows.length > limit, verify: await verifyRows(afterSeq, before?.hash, page) };
}

async function verifyRows(afterSeq: number, prev: string | undefined, rows: readonly Row[]): Promise<PageVerdict> {
  if (prev === undefined) return { ok: false, count: 0, brokenAt: afterSeq, reason: 'gap' };
  const key = chainKey();
  let prevHash = prev;
  let expectedSeq = afterSeq + 1;
  let count = 0;
  for (const r of rows) {
    const seq = Number(r.seq);
    if (seq !== expectedSeq) return { ok: false, count, brokenAt: expectedSeq, reason: 'gap' };
    if (r.prev_hash !== prevHash) return { ok: false, count, brokenAt: seq, reason: 'broken_link' };
    if ((await auditRowHash(r, key)) !== r.hash) return { ok: false, count, brokenAt: seq, reason: 'hash_mismatch' };
    prevHash = r.hash;
    expectedSeq += 1;
    count += 1;
  }
  return count > 0 ? { ok: true, count, headHash: prevHash } : { ok: true, count };
}
