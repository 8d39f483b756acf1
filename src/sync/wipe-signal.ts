// The wipe signal a LOCKED phone hears (issue #12 finding 4, docs/security.md). The officer's token
// is sealed under the device key, so a locked phone never sends it and never meets the 401
// `token_revoked_wipe`; yet it syncs under its own device credential, in the page and in the
// service worker. At login the phone gave the server a random revocation check, kept here in the
// clear with the token's id; the api client sends it with each push, pull and follow, and the
// server answers `x-jangkau-wipe: officer` once an admin revoked that token or disabled the
// account (server/auth/wipe-signal.ts). The sync that heard it ends as usual; then, under the sync
// lock (no other context's sync is writing), the officer's data is erased (wipe.ts): without the
// key, everything sealed goes with the wrapped key.
import { randomSecret } from '../../core/ids.ts';
import { REVOCATION_CHECK_KEY } from '../auth/session.ts';
import type { JangkauDb } from '../db/schema.ts';
import type { SyncEngine, SyncLocks } from './engine.ts';
import { SYNC_LOCK_NAME } from './messages.ts';

interface StoredCheck {
  tokenId: string;
  check: string;
}

/** A fresh check for a login: 32 random bytes, base64url. */
export const newRevocationCheck = (): string => randomSecret(32);

/** After a login answered: the check goes with the token's id, in the clear (it opens nothing). */
export async function keepRevocationCheck(db: JangkauDb, tokenId: string, check: string): Promise<void> {
  await db.meta.put({ key: REVOCATION_CHECK_KEY, value: { tokenId, check } satisfies StoredCheck });
}

/** The api client's `revocationCheck`: the header's value, or undefined on a phone no officer logged into. */
export function revocationCheckOf(db: JangkauDb): () => Promise<string | undefined> {
  return async () => {
    const kept = (await db.meta.get(REVOCATION_CHECK_KEY))?.value as StoredCheck | undefined;
    return kept ? `${kept.tokenId}.${kept.check}` : undefined;
  };
}

export interface WipeSignalOptions {
  db: JangkauDb;
  /** The sync's Web Lock manager; undefined: none (tests, a runtime without Web Locks). */
  locks: SyncLocks | undefined;
  /** Left out: wipe.ts, loaded only when a signal comes. */
  wipe?: (db: JangkauDb) => Promise<void>;
}

export interface WipeSignal {
  /** The api client's `onWipeSignal`, given the check the answer was to. */
  heard: (check: string) => void;
  /** The engine whose syncs end with the wipe when one of their answers carried the signal. */
  wrap: (engine: SyncEngine) => SyncEngine;
}

export function wipeSignal(options: WipeSignalOptions): WipeSignal {
  const { db, locks } = options;
  const wipe = options.wipe ?? (async (d: JangkauDb) => (await import('../auth/wipe.ts')).wipeOfficerData(d));
  const checkNow = revocationCheckOf(db);
  /** The check whose answer carried the signal. */
  let pending: string | undefined;
  const wipeNow = async (heard: string) => {
    // Read again under the lock: another context may have wiped already, or a new login replaced
    // the check (a signal for the old token must not erase the new login's data).
    if ((await checkNow()) === heard) await wipe(db);
  };
  return {
    heard: (check) => {
      pending = check;
    },
    wrap: (engine) => ({
      ...engine,
      async sync(reason) {
        const report = await engine.sync(reason);
        const heard = pending;
        if (heard === undefined) return report;
        pending = undefined;
        await (locks ? locks.request(SYNC_LOCK_NAME, () => wipeNow(heard)) : wipeNow(heard));
        await engine.refresh();
        return report;
      },
    }),
  };
}
