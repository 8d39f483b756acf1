// Practice mode (latihan): an officer in training files the same forms, but the drafts, queue,
// receipts and files live in a second database with the same schema, named with this suffix, so
// nothing of a training session ever mixes with real work on the device, and every submission
// queued there carries `practice: true` to the server (which keeps it out of inboxes and KPIs).
// Forms, the officer's session and the sync's bookkeeping stay in the home database.
import type { JangkauDb } from './schema.ts';

export const PRACTICE_DB_SUFFIX = '-latihan';

export function isPracticeDb(db: Pick<JangkauDb, 'name'>): boolean {
  return db.name.endsWith(PRACTICE_DB_SUFFIX);
}
