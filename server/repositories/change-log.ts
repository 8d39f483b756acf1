// The ordered log of status changes that devices pull with a cursor (`seq > since`).
//
// A cursor is only safe if no change can become visible with a seq lower than one a reader has
// already seen. SQLite has one writer at a time, so that holds by itself. PostgreSQL hands out
// sequence numbers at insert time but makes rows visible at commit, in any order; a device could
// then skip a change for ever. Every writer therefore appends under one transaction-scoped
// advisory lock, taken as its last step: seq order then equals commit order. The lock holder only
// inserts new rows before committing, so it never waits on anything and cannot deadlock.
import { sql, type Kysely, type Transaction } from 'kysely';
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
}

export async function appendChanges(trx: Transaction<Database>, dialect: DialectName, changes: readonly NewChange[]): Promise<void> {
  if (changes.length === 0) return;
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${CHANGE_LOG_LOCK_KEY})`.execute(trx);
  for (const chunk of inChunks(changes, 500)) {
    await trx
      .insertInto('changes')
      .values(chunk.map((c) => ({ submission_id: c.submissionId, status: c.status, answer: c.answer, at: c.at })))
      .execute();
  }
}

export interface ChangesPage {
  changes: Change[];
  more: boolean;
}

/** Changes of the submissions linked to a device, after `since`, oldest first. */
export async function changesForDevice(
  db: Kysely<Database>,
  deviceId: string,
  since: number,
  limit: number,
): Promise<ChangesPage> {
  const rows = await db
    .selectFrom('changes as c')
    .innerJoin('submission_devices as sd', 'sd.submission_id', 'c.submission_id')
    .select(['c.seq', 'c.submission_id', 'c.status', 'c.answer', 'c.at'])
    .where('sd.device_id', '=', deviceId)
    .where('c.seq', '>', since)
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
    }),
  );
  return { changes: page, more: rows.length > limit };
}
