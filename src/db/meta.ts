// Small typed key/value records in the `meta` store: device identity, pull cursor, sync status.
// One key per value, so screens can watch a single value (e.g. lastSyncAt) with a live query.
import type { JangkauDb } from './schema.ts';

export const META_KEYS = Object.freeze({
  device: 'device',
  pullCursor: 'pullCursor',
  /** The cursors of the other identities the device pulls for (an officer's token), by key. */
  pullCursors: 'pullCursors',
  /** When a sync last completed fully (ms since epoch). */
  lastSyncAt: 'lastSyncAt',
  /** When the backoff timer should try again (ms since epoch); absent when nothing is pending. */
  nextAttemptAt: 'nextAttemptAt',
  /** Consecutive failed syncs; drives the backoff, reset by a success. */
  syncFailures: 'syncFailures',
  /** When the link last carried an answer (ms since epoch): sets the probe cadence (core/sync-retry.ts). */
  linkSeenAt: 'linkSeenAt',
  lastSyncOutcome: 'lastSyncOutcome',
  formsRefreshedAt: 'formsRefreshedAt',
  /** The server's forms tag when the device last fetched the forms. */
  formsTag: 'formsTag',
  /** The byte cap for pushes, lowered after cuts (src/sync/batching.ts). */
  batchCap: 'batchCap',
  /**
   * Set with a fresh resident identity, cleared once the server links it to every request sent
   * before (src/sync/relink.ts): kept so a sync cut off in between still does it.
   */
  relinkPending: 'relinkPending',
  /**
   * The officer token (its device id) that last followed the officer's own entries sent under an
   * earlier token (src/sync/relink.ts): a new login does it once.
   */
  officerFollowedAs: 'officerFollowedAs',
} as const);

export interface DeviceIdentity {
  deviceId: string;
  deviceSecret: string;
}

/** How a sync ended. 'failed' is a local fault (storage), not the network's. */
export type SyncOutcome = 'ok' | 'offline' | 'server_error' | 'client_error' | 'auth' | 'failed';

interface MetaValues {
  device: DeviceIdentity;
  pullCursor: string;
  pullCursors: Record<string, string>;
  lastSyncAt: number;
  nextAttemptAt: number;
  syncFailures: number;
  linkSeenAt: number;
  lastSyncOutcome: SyncOutcome;
  formsRefreshedAt: number;
  formsTag: string;
  batchCap: number;
  relinkPending: boolean;
  officerFollowedAs: string;
  /** Practice mode (src/db/practice.ts): absent on a device that never practised. */
  practiceMode: boolean;
  /** Form ids whose first-run tips this device has shown (src/db/tips-seen.ts). */
  formTipsSeen: string[];
  /** The answers the person has opened, by receipt id (src/db/answers-seen.ts). */
  answersSeen: Record<string, string>;
  /** The server's clock minus the phone's, in ms, as of the last sync (src/db/server-clock.ts). */
  serverClockOffset: number;
  /** The person dismissed "this browser may clear the queue" (src/features/requests/engine-notices.tsx). */
  storageNoticeSeen: boolean;
}

export type MetaKey = keyof MetaValues;

export async function getMeta<K extends MetaKey>(db: JangkauDb, key: K): Promise<MetaValues[K] | undefined> {
  const row = await db.meta.get(key);
  return row?.value as MetaValues[K] | undefined;
}

export async function setMeta<K extends MetaKey>(db: JangkauDb, key: K, value: MetaValues[K]): Promise<void> {
  await db.meta.put({ key, value });
}

export async function deleteMeta(db: JangkauDb, key: MetaKey): Promise<void> {
  await db.meta.delete(key);
}

/** The sync bookkeeping the engine keeps across restarts. */
export interface SyncMeta {
  failures: number;
  nextAttemptAt?: number;
  lastSyncAt?: number;
  lastOutcome?: SyncOutcome;
  linkSeenAt?: number;
}

export async function getSyncMeta(db: JangkauDb): Promise<SyncMeta> {
  const keys = [META_KEYS.syncFailures, META_KEYS.nextAttemptAt, META_KEYS.lastSyncAt, META_KEYS.lastSyncOutcome, META_KEYS.linkSeenAt];
  const [failures, nextAttemptAt, lastSyncAt, lastOutcome, linkSeenAt] = await db.meta.bulkGet(keys);
  const out: SyncMeta = { failures: typeof failures?.value === 'number' ? failures.value : 0 };
  if (typeof nextAttemptAt?.value === 'number') out.nextAttemptAt = nextAttemptAt.value;
  if (typeof lastSyncAt?.value === 'number') out.lastSyncAt = lastSyncAt.value;
  if (typeof lastOutcome?.value === 'string') out.lastOutcome = lastOutcome.value as SyncOutcome;
  if (typeof linkSeenAt?.value === 'number') out.linkSeenAt = linkSeenAt.value;
  return out;
}

/** Writes the whole sync bookkeeping at once; an absent nextAttemptAt/lastSyncAt is removed. */
export async function putSyncMeta(db: JangkauDb, meta: SyncMeta): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    await db.meta.put({ key: META_KEYS.syncFailures, value: meta.failures });
    if (meta.nextAttemptAt === undefined) await db.meta.delete(META_KEYS.nextAttemptAt);
    else await db.meta.put({ key: META_KEYS.nextAttemptAt, value: meta.nextAttemptAt });
    if (meta.lastSyncAt !== undefined) await db.meta.put({ key: META_KEYS.lastSyncAt, value: meta.lastSyncAt });
    if (meta.lastOutcome !== undefined) await db.meta.put({ key: META_KEYS.lastSyncOutcome, value: meta.lastOutcome });
    if (meta.linkSeenAt !== undefined) await db.meta.put({ key: META_KEYS.linkSeenAt, value: meta.linkSeenAt });
  });
}
