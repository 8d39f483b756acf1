// Storing pushed submissions. Idempotency is the database's job, not memory's: the insert skips
// ids that exist (INSERT … ON CONFLICT DO NOTHING), and what was skipped is compared with the
// stored copy. Several API processes can therefore take retries of the same batch at once.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { sameHash } from '../services/hashing.ts';
import { registerOrVerifyDevice, verifyDevice, type DeviceCredentials } from './devices.ts';
import { appendChanges, restatedStatuses, type NewChange } from './change-log.ts';
import { inChunks } from './chunks.ts';
import { createGroupCommit } from './group-commit.ts';
import type { DataKeys } from '../crypto/data-keys.ts';
import { sealSubmission, type SealedSubmissionColumns } from './submission-fields.ts';
import { recordNames, recordSubjects } from './subjects.ts';
import { attachmentProgress, recordSubmissionFiles, type AttachmentProgress, type SubmissionFile } from './attachments.ts';

export interface IngestItem {
  envelope: SubmissionEnvelope;
  /** canonicalJson(envelope.data): what is stored, and what the payload hash was made from. */
  payloadJson: string;
  payloadHash: string;
  secretHash: string;
  /** The region it concerns, its due date and the pushing officer (server/auth/submission-access.ts). */
  regionCode?: string;
  dueOn?: string | null;
  accountId?: string | null;
  /** The photo and document fields of the answers (from the form definition), if any. */
  files?: readonly SubmissionFile[];
  /** Blind indexes of the NIKs in the answers (server/crypto/subject-index.ts), for data-subject requests. */
  subjects?: readonly string[];
  /** Blind indexes of the words of the names in the answers (migration 065), for the inbox's name search. */
  names?: readonly string[];
  /** The voter record update it owes, kept until done (server/services/voter-ingest.ts voterPendingMark). */
  voterPending?: string | null;
}

export type IngestOutcome =
  | { outcome: 'accepted'; receivedAt: string }
  | { outcome: 'duplicate'; receivedAt: string }
  | { outcome: 'id_conflict' };

/**
 * Work on what a push stored, done in the push's own transaction (the voter records its coklit
 * updates, server/services/voter-ingest.ts): given the ids inserted now that carry a voter mark, it
 * returns those it settled, whose marks are then cleared in the same transaction. It runs in a
 * savepoint: if it fails, its writes are undone, the submissions are stored all the same, and every
 * mark stays for the post-commit path and the sweep.
 *
 * `covers`: the submissions it expects to settle. These are stored without their mark, and only
 * those it then does not settle (its savepoint undone, a compare-and-set lost) are marked, in the
 * same transaction: the common case writes each submission row once instead of marking and then
 * clearing it (on PostgreSQL, clearing the mark rewrote the row and all its index entries).
 */
export type InTransactionStep = ((trx: Transaction<Database>, inserted: ReadonlySet<string>) => Promise<readonly string[]>) & { covers?: ReadonlySet<string> };

export type IngestResult = { ok: true; outcomes: IngestOutcome[]; /** Submissions whose voter update the push's transaction settled. */ voterSettled?: readonly string[] } | { ok: false; error: 'device_auth' };

interface StoredCopy {
  payloadHash: string;
  secretHash: string;
  receivedAt: string;
}

const ROWS_PER_INSERT = 200;

export type Ingest = (device: DeviceCredentials, items: readonly IngestItem[], receivedAt: string, voters?: InTransactionStep) => Promise<IngestResult>;

/**
 * Registers or checks the device and stores the batch in one transaction, answering item by item
 * in the items' order. Resolves only after the commit, so the caller acknowledges nothing that is
 * not durable (invariant 3). On SQLite the pushes ready together share one transaction and one
 * fsync (group-commit.ts), each in its own savepoint; on PostgreSQL each push is its own.
 */
export function submissionIngest(db: Kysely<Database>, dialect: DialectName, keys: DataKeys): Ingest {
  // The answers are encrypted before the transaction opens: loading a scope's key may query the
  // database, which inside SQLite's one write connection would wait on the transaction itself.
  const seal = async (items: readonly IngestItem[], receivedAt: string): Promise<SealedItem[]> =>
    Promise.all(
      items.map(async (item) => ({
        ...item,
        sealed: await sealSubmission(keys, {
          id: item.envelope.id,
          formId: item.envelope.formId,
          receivedAt,
          data: item.envelope.data,
          payloadJson: item.payloadJson,
        }),
      })),
    );
  if (dialect === 'sqlite') {
    const group = createGroupCommit(db);
    return async (device, items, receivedAt, voters) => {
      const sealed = await seal(items, receivedAt);
      return group.run((trx) => ingestWithDevice(trx, dialect, device, sealed, receivedAt, voters));
    };
  }
  return async (device, items, receivedAt, voters) => {
    const sealed = await seal(items, receivedAt);
    return db.transaction().execute((trx) => ingestWithDevice(trx, dialect, device, sealed, receivedAt, voters));
  };
}

type SealedItem = IngestItem & { sealed: SealedSubmissionColumns };

async function ingestWithDevice(
  trx: Transaction<Database>,
  dialect: DialectName,
  device: DeviceCredentials,
  items: readonly SealedItem[],
  receivedAt: string,
  voters?: InTransactionStep,
): Promise<IngestResult> {
  // A push with nothing to store (every item refused) registers no device: a made-up id would
  // otherwise become a known device, free to upload (#12 finding 1). A known one is still checked.
  if (items.length === 0) {
    const check = await verifyDevice(trx, device);
    return check === 'mismatch' || check === 'reserved' ? { ok: false, error: 'device_auth' } : { ok: true, outcomes: [] };
  }
  if ((await registerOrVerifyDevice(trx, device, receivedAt)) !== 'ok') return { ok: false, error: 'device_auth' };
  return { ok: true, ...(await ingestInTransaction(trx, dialect, device.deviceId, items, receivedAt, voters)) };
}

async function ingestInTransaction(
  trx: Transaction<Database>,
  dialect: DialectName,
  deviceId: string,
  items: readonly SealedItem[],
  receivedAt: string,
  voters?: InTransactionStep,
): Promise<{ outcomes: IngestOutcome[]; voterSettled?: readonly string[] }> {
  // The first occurrence of an id in the batch is the one offered to the database; later copies
  // are judged against whatever the database then holds, like any other retry.
  const firstById = new Map<string, SealedItem>();
  for (const item of items) if (!firstById.has(item.envelope.id)) firstById.set(item.envelope.id, item);
  // Inserted in id order: two devices re-sending overlapping items in different orders would
  // otherwise take PostgreSQL's row locks in opposite orders and deadlock (a 500 for one of them).
  const candidates = [...firstById.values()].sort((a, b) => (a.envelope.id < b.envelope.id ? -1 : a.envelope.id > b.envelope.id ? 1 : 0));

  const inserted = new Set<string>();
  for (const chunk of inChunks(candidates, ROWS_PER_INSERT)) {
    const rows = await trx
      .insertInto('submissions')
      .values(
        chunk.map(({ envelope, sealed, payloadHash, secretHash, regionCode, dueOn, accountId, voterPending }) => ({
          id: envelope.id,
          form_id: envelope.formId,
          form_version: envelope.formVersion,
          created_at: envelope.createdAt,
          received_at: receivedAt,
          ...sealed,
          payload_hash: payloadHash,
          secret_hash: secretHash,
          device_id: deviceId,
          status: 'diterima' as const,
          answer: null,
          status_at: receivedAt,
          // The province when unplaced: its staff see it (SQLite's VALUES has no DEFAULT keyword).
          region_code: regionCode ?? '19',
          due_on: dueOn ?? null,
          account_id: accountId ?? null,
          practice: envelope.practice === true ? 1 : 0,
          voter_pending: voters?.covers?.has(envelope.id) ? null : (voterPending ?? null),
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    for (const row of rows) inserted.add(row.id);
  }

  const stored = new Map<string, StoredCopy>();
  for (const item of candidates) {
    if (inserted.has(item.envelope.id)) {
      stored.set(item.envelope.id, {
        payloadHash: item.payloadHash,
        secretHash: item.secretHash,
        receivedAt,
      });
    }
  }
  const existingIds = candidates.map((c) => c.envelope.id).filter((id) => !inserted.has(id));
  for (const chunk of inChunks(existingIds, ROWS_PER_INSERT)) {
    const rows = await trx
      .selectFrom('submissions')
      .select(['id', 'payload_hash', 'secret_hash', 'received_at'])
      .where('id', 'in', chunk)
      .execute();
    for (const r of rows) {
      stored.set(r.id, {
        payloadHash: r.payload_hash,
        secretHash: r.secret_hash,
        receivedAt: r.received_at,
      });
    }
  }

  const links = new Set<string>();
  const outcomes = items.map((item): IngestOutcome => {
    const id = item.envelope.id;
    const copy = stored.get(id);
    // The insert skipped the id, so a committed row exists; reaching this is a database fault.
    if (!copy) throw new Error('submission neither inserted nor found');
    if (inserted.has(id) && firstById.get(id) === item) {
      links.add(id);
      return { outcome: 'accepted', receivedAt };
    }
    if (!sameHash(copy.payloadHash, item.payloadHash)) return { outcome: 'id_conflict' };
    // Only a device holding the submission's secret may follow its status.
    if (sameHash(copy.secretHash, item.secretHash)) links.add(id);
    return { outcome: 'duplicate', receivedAt: copy.receivedAt };
  });

  const newLinks = new Set<string>();
  for (const chunk of inChunks([...links].sort(), ROWS_PER_INSERT)) {
    const rows = await trx
      .insertInto('submission_devices')
      .values(chunk.map((submissionId) => ({ device_id: deviceId, submission_id: submissionId })))
      .onConflict((oc) => oc.columns(['device_id', 'submission_id']).doNothing())
      .returning('submission_id')
      .execute();
    for (const row of rows) newLinks.add(row.submission_id);
  }

  // Which files the new submissions wait for, and whose NIKs they hold; a retry of a stored one
  // changes nothing. Written before the change log's lock: on PostgreSQL every push that appends
  // waits for that lock, so nothing but the appends may run under it (change-log-lock-last.test.ts).
  await recordSubmissionFiles(
    trx,
    candidates.filter((c) => inserted.has(c.envelope.id) && c.files && c.files.length > 0).map((c) => ({ submissionId: c.envelope.id, files: c.files ?? [] })),
  );
  await recordSubjects(
    trx,
    candidates.filter((c) => inserted.has(c.envelope.id)).flatMap((c) => (c.subjects ?? []).map((nikIndex) => ({ nikIndex, submissionId: c.envelope.id }))),
  );
  await recordNames(
    trx,
    candidates.filter((c) => inserted.has(c.envelope.id)).flatMap((c) => (c.names ?? []).map((wordIndex) => ({ wordIndex, submissionId: c.envelope.id }))),
  );

  const owing = new Map(candidates.flatMap((c) => (inserted.has(c.envelope.id) && c.voterPending ? [[c.envelope.id, c.voterPending] as const] : [])));
  const voterSettled = voters ? await settleVoters(trx, voters, owing) : [];

  const changes: NewChange[] = [];
  for (const item of candidates) {
    if (inserted.has(item.envelope.id)) changes.push({ submissionId: item.envelope.id, status: 'diterima', answer: null, at: receivedAt });
  }
  // A device newly linked to an older submission may hold a cursor past that submission's changes;
  // restating the current status gives it something to pull. The lock is taken here, last.
  changes.push(...(await restatedStatuses(trx, dialect, [...newLinks].filter((id) => !inserted.has(id)))));
  await appendChanges(trx, dialect, changes);
  return { outcomes, ...(voterSettled.length > 0 ? { voterSettled } : {}) };
}

/**
 * Runs the push's in-transaction voter step in a savepoint and leaves a mark exactly on what it did
 * not settle: clears the marks of what it settled, and marks what it was to settle (stored
 * unmarked, InTransactionStep.covers) but did not. On any failure of the step, undoes it alone.
 */
async function settleVoters(trx: Transaction<Database>, step: InTransactionStep, owing: ReadonlyMap<string, string>): Promise<readonly string[]> {
  if (owing.size === 0) return [];
  const marked = new Set(owing.keys());
  let settled: string[] = [];
  await sql`savepoint voters`.execute(trx);
  try {
    settled = (await step(trx, marked)).filter((id) => marked.has(id));
    const clear = settled.filter((id) => !step.covers?.has(id));
    for (const chunk of inChunks(clear, ROWS_PER_INSERT)) await trx.updateTable('submissions').set({ voter_pending: null }).where('id', 'in', chunk).execute();
    await sql`release savepoint voters`.execute(trx);
  } catch {
    // The submissions stay stored and marked: the post-commit path (or the sweep) applies them.
    await sql`rollback to savepoint voters`.execute(trx);
    await sql`release savepoint voters`.execute(trx);
    settled = [];
  }
  const done = new Set(settled);
  for (const id of marked) {
    if (step.covers?.has(id) && !done.has(id)) await trx.updateTable('submissions').set({ voter_pending: owing.get(id)! }).where('id', '=', id).execute();
  }
  return settled;
}

/** The payload hashes of those ids that are stored (a push's resends, told apart before judging). */
export async function storedPayloadHashes(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of inChunks([...new Set(ids)], ROWS_PER_INSERT)) {
    const rows = await db.selectFrom('submissions').select(['id', 'payload_hash']).where('id', 'in', chunk).execute();
    for (const r of rows) out.set(r.id, r.payload_hash);
  }
  return out;
}

export interface SubmissionSummary {
  id: string;
  formId: string;
  formVersion: number;
  status: NewChange['status'];
  receivedAt: string;
  /** Its photos and documents: how many, how many arrived, and whether all did. */
  attachments: AttachmentProgress;
}

/** The newest submissions, without their personal data (for the operator's list). */
export async function listRecentSubmissions(db: Kysely<Database>, limit: number): Promise<SubmissionSummary[]> {
  const rows = await db
    .selectFrom('submissions')
    .select(['id', 'form_id', 'form_version', 'status', 'received_at'])
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const progress = await attachmentProgress(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    formId: r.form_id,
    formVersion: Number(r.form_version),
    status: r.status,
    receivedAt: r.received_at,
    attachments: progress.get(r.id) ?? { files: 0, arrived: 0, complete: true },
  }));
}
