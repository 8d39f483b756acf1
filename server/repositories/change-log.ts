// The ordered log of status changes that devices pull with a cursor (`seq > since`).
//
// A cursor is only safe if no change can become visible with a seq lower than one a reader has
// already seen. SQLite has one writer at a time, so that holds by itself. PostgreSQL hands out
// sequence numbers at insert time but makes rows visible at commit, in any order; a device could
// then skip a change for ever. Every writer therefore appends under one transaction-scoped
// advisory lock, taken as its last step: seq order then equals commit order. The lock holder only
// inserts new rows before committing, so it never waits on anything and cannot deadlock.
import { sql, type Kysely, type Transaction } from 'kysely';
import { detailJson, parseDetail, type StatusDetail } from '../../core/office/status-detail.ts';
import type { Change, ServerStatus } from '../../core/protocol.ts';
import type { Database, DialectName } from '../db/schema.ts';
import { inChunks } from './chunks.ts';

/** An arbitrary constant naming the change log's advisory lock ('JKCH'). */
const CHANGE_LOG_LOCK_KEY = 0x4a4b4348;

export interface NewChange {
  submissionId: string;
  status: ServerStatus;
  answer: string | null;
  at: string;
  detail?: StatusDetail;
}

/**
 * Takes the change log's lock (PostgreSQL; held to the end of the transaction, and taking it again
 * is harmless). A writer that restates a status it reads takes it before that read: a status
 * committed by another writer is then either visible to the read or appended after this one.
 */
export async function lockChangeLog(trx: Transaction<Database>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY})`.execute(trx);
}

export async function appendChanges(trx: Transaction<Database>, dialect: DialectName, changes: readonly NewChange[]): Promise<void> {
  if (changes.length === 0) return;
  await lockChangeLog(trx, dialect);
  for (const chunk of inChunks(changes, 500)) {
    await trx
      .insertInto('changes')
      .values(chunk.map((c) => ({ submission_id: c.submissionId, status: c.status, answer: c.answer, at: c.at, detail: detailJson(c.detail) })))
      .execute();
  }
}

/**
 * The current status of each submission, read under the change log's lock, as changes to append
 * for devices newly linked to them: such a device may hold a cursor past the original changes.
 * Read before the lock, an office's answer committed meanwhile would be followed by the older
 * status at a higher seq, and every linked phone would move backwards (#11 defect 7).
 */
export async function restatedStatuses(trx: Transaction<Database>, dialect: DialectName, ids: readonly string[]): Promise<NewChange[]> {
  if (ids.length === 0) return [];
  await lockChangeLog(trx, dialect);
  const changes: NewChange[] = [];
  for (const chunk of inChunks([...ids].sort(), 500)) {
    const rows = await trx
      .selectFrom('submissions')
      .select(['id', 'status', 'answer', 'status_at', 'status_detail'])
      .where('id', 'in', chunk)
      .orderBy('id')
      .execute();
    for (const r of rows) changes.push({ submissionId: r.id, status: r.status, answer: r.answer, at: r.status_at, detail: parseDetail(r.status_detail) });
  }
  return changes;
}

export interface ChangesPage {
  changes: Change[];
  /** Where the device's next pull starts: past every change it was sent or does not need. */
  cursor: number;
  more: boolean;
}

/**
 * Changes of the submissions linked to a device, after `since`, oldest first, without the ones it
 * already knows. Every linked device learnt "diterima" from a push answer (accepted, or duplicate
 * with the original receivedAt), and a status never goes back to diterima, so those rows would
 * only cost downlink (35 kbit/s on the islands); the answers (diproses, selesai, ditolak) go out
 * as before.
 *
 * The cursor still moves past the skipped rows. The device's highest seq is read first and the
 * page is taken at or below it: with seq order equal to commit order (see above), every change
 * up to that seq is already visible, and anything committed later gets a higher seq, so moving
 * the cursor to it never skips an answer.
 */
export async function changesForDevice(
  db: Kysely<Database>,
  deviceId: string,
  since: number,
  limit: number,
): Promise<ChangesPage> {
  const linkedChanges = () =>
    db
      .selectFrom('changes as c')
      .innerJoin('submission_devices as sd', 'sd.submission_id', 'c.submission_id')
      .where('sd.device_id', '=', deviceId)
      .where('c.seq', '>', since);
  const top = await linkedChanges()
    .select((eb) => eb.fn.max('c.seq').as('top'))
    .executeTakeFirst();
  const high = top?.top == null ? since : Number(top.top);
  if (high <= since) return { changes: [], cursor: since, more: false };
  const rows = await linkedChanges()
    .where('c.seq', '<=', high)
    .where('c.status', '<>', 'diterima')
    .select(['c.seq', 'c.submission_id', 'c.status', 'c.answer', 'c.at', 'c.detail'])
    .orderBy('c.seq')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit).map(
    (r): Change => ({
      seq: Number(r.seq),
      submissionId: r.submission_id,
      status: r.status,
      ...(r.answer !== null ? { answer: r.answer } : {}),
      at: r.at,
      ...parseDetail(r.detail),
    }),
  );
  const more = rows.length > limit;
  return { changes: page, cursor: more ? page[page.length - 1]!.seq : high, more };
}
