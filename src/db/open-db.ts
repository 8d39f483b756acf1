// The one shared database handle of a page or worker. Dexie opens IndexedDB on the first query,
// not in its constructor, so making the instance at import costs nothing: a module that only
// needs types, or a test with its own database, never opens the shared one.
import type { Dexie } from 'dexie';
import { DB_NAME, JangkauDb, type MetaRow } from './schema.ts';
import { atRestMiddleware, setLockedCodec } from './crypto-at-rest.ts';
import { PRACTICE_DB_SUFFIX } from './practice.ts';

// The officer's personal data is sealed at rest once a PIN unlocks a device key; a resident's
// rows pass through unchanged (crypto-at-rest.ts).
export const db: JangkauDb = new JangkauDb().use(atRestMiddleware) as JangkauDb;

/** src/auth/session.ts PIN_LOCK_KEY, read here without loading the officer code. */
const PIN_LOCK = 'officerPinLock';

/**
 * Before any other query, in page and worker alike: on a device with a PIN lock, the locked codec
 * (the device's public key) is installed, so what a locked phone writes is sealed (#11.9). Dexie
 * holds every other query until this resolves. A resident's device pays one read; the sealing
 * code loads only on an officer's.
 */
export async function installLockedCodec(opened: Dexie): Promise<void> {
  await installCodecFrom((await opened.table<MetaRow, string>('meta').get(PIN_LOCK))?.value);
}

async function installCodecFrom(value: unknown): Promise<void> {
  const lock = value as { v?: number; publicKey?: unknown } | undefined;
  if (lock?.v !== 2 || !(lock.publicKey instanceof Uint8Array)) return;
  const { lockedCodecFor } = await import('../auth/at-rest-codec.ts');
  setLockedCodec(lockedCodecFor(lock.publicKey));
}

/** Meta rows asked for before the database opened (readMetaAtOpen), read with the PIN lock. */
interface AtOpen {
  keys: readonly string[];
  rows?: (MetaRow | undefined)[];
}
let atOpen: AtOpen | undefined;
let opened = false;

db.on('ready', async (ready) => {
  // Start-up's marks (bench:slow-phone): the database is open, the first query may go.
  performance.mark('jangkau:db-open');
  const first = !opened && atOpen && !atOpen.rows ? atOpen : undefined;
  opened = true;
  const [lock, ...rows] = await ready.table<MetaRow, string>('meta').bulkGet([PIN_LOCK, ...(first?.keys ?? [])]);
  if (first) first.rows = rows;
  await installCodecFrom(lock?.value);
});

/**
 * Reads meta rows of the shared database. Asked before the database has opened (the page's start:
 * the officer state, src/auth/officer-store.ts), they are read in the open's own transaction with
 * the PIN lock: one round trip to IndexedDB fewer, each of which waits for a slow phone's busy main
 * thread at start (bench:slow-phone). Only the first such read is answered so; any later one reads
 * afresh.
 */
export async function readMetaAtOpen(keys: readonly string[]): Promise<(MetaRow | undefined)[]> {
  const mine: AtOpen | undefined = !opened && atOpen === undefined ? (atOpen = { keys }) : undefined;
  await db.open();
  if (mine?.rows) return mine.rows;
  return db.meta.bulkGet([...keys]);
}

/** After a PIN is set or a lock rewrapped: from now on a locked moment seals to the new key. */
export function refreshLockedCodec(): Promise<void> {
  return installLockedCodec(db);
}

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
