// The one shared database handle of a page or worker. Dexie opens IndexedDB on the first query,
// not in its constructor, so making the instance at import costs nothing: a module that only
// needs types, or a test with its own database, never opens the shared one.
import { DB_NAME, JangkauDb } from './schema.ts';
import { atRestMiddleware } from './crypto-at-rest.ts';
import { PRACTICE_DB_SUFFIX } from './practice.ts';

// The officer's personal data is sealed at rest once a PIN unlocks a device key; a resident's
// rows pass through unchanged (crypto-at-rest.ts).
export const db: JangkauDb = new JangkauDb().use(atRestMiddleware) as JangkauDb;

export function getDb(): JangkauDb {
  return db;
}

let practiceDb: JangkauDb | undefined;

/** The practice (latihan) database (practice.ts), made on first use: a resident's device never opens it. */
export function getPracticeDb(): JangkauDb {
  return (practiceDb ??= new JangkauDb(DB_NAME + PRACTICE_DB_SUFFIX).use(atRestMiddleware) as JangkauDb);
}

let work: JangkauDb = db;

/**
 * Where the person's own drafts, queue, receipts and files are read and written now: the practice
 * database while practice mode is on (src/auth/officer-store.ts), else `db`. Forms, the session and
 * the sync's bookkeeping are always in `db`.
 */
export function workDb(): JangkauDb {
  return work;
}

export function selectWorkDb(practice: boolean): void {
  work = practice ? getPracticeDb() : db;
}

/**
 * Asks the browser not to evict our storage under pressure (queued submissions live only here).
 * Browsers without the API, or that refuse, keep "best effort" storage: that degrades, never fails.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  type Storage = { persist?: () => Promise<boolean>; persisted?: () => Promise<boolean> };
  const storage = (globalThis as { navigator?: { storage?: Storage } }).navigator?.storage;
  if (!storage?.persist) return false;
  try {
    if (storage.persisted && (await storage.persisted())) return true;
    return await storage.persist();
  } catch {
    return false;
  }
}
