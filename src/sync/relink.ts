// After a resident's phone made itself a fresh identity (src/sync/unauthorized.ts), the requests it
// sent before are still linked, on the server, to the old device id: their answers would never be
// pulled again, and their outbox rows (whose push would link them) are gone. Each receipt kept its
// per-submission secret, which is what proves the right to follow it, so the phone asks the server
// to link the new identity to them (POST /follow). A follow that proves one makes the device known
// and linked, which the uploads of those requests' photos need (otherwise 401 device_unknown).
import { getSession } from '../auth/session.ts';
import { deviceAuth, heldRelinkDone, heldRelinkPending } from '../db/device-identity.ts';
import { officerForms } from '../db/forms-cache.ts';
import { deleteMeta, getMeta, setMeta } from '../db/meta.ts';
import type { JangkauDb } from '../db/schema.ts';
import type { ApiClient, ApiResult } from '../lib/api-client.ts';

/** About 18 kB a request: one round trip per 200 requests filed, fine on 2G. */
const ITEMS_PER_REQUEST = 200;

export type RelinkFailure = Exclude<ApiResult<unknown>, { kind: 'ok' }>;

/**
 * The requests this phone sent as a resident, by id and secret: acknowledged ones (only those keep
 * the secret on the receipt). Officers' forms are left out: they follow the officer's token, and the
 * phone's own credential must not pull their answers after the officer logged out.
 */
async function sentReceipts(db: JangkauDb, officers: boolean): Promise<{ id: string; secret: string }[]> {
  const byOfficer = await officerForms(db);
  return (await db.receipts.toArray())
    .filter((r): r is typeof r & { secret: string } => typeof r.secret === 'string' && byOfficer(r.formId, r.formVersion) === officers)
    .map((r) => ({ id: r.id, secret: r.secret }));
}

async function followAll(api: ApiClient, items: { id: string; secret: string }[], authorization: string): Promise<RelinkFailure | undefined> {
  for (let i = 0; i < items.length; i += ITEMS_PER_REQUEST) {
    const result = await api.follow(items.slice(i, i + ITEMS_PER_REQUEST), { authorization });
    if (result.kind !== 'ok') return result;
  }
  return undefined;
}

/**
 * Links the device's own identity to every request it sent before (which makes it known to the
 * server); clears the pending mark once all went through, or at once when there is nothing to follow. Answers the failure that stopped it.
 */
export async function relinkReceipts(db: JangkauDb, api: ApiClient): Promise<RelinkFailure | undefined> {
  // Always the device's own credential, whoever is logged in: these are the resident's requests.
  const failure = await followAll(api, await sentReceipts(db, false), await deviceAuth(db)());
  if (failure) return failure;
  await deleteMeta(db, 'relinkPending');
  heldRelinkDone(db);
  return undefined;
}

/** relinkReceipts when a renewal left it to do (meta `relinkPending`); a sync runs it before its exchange. */
export async function relinkIfPending(db: JangkauDb, api: ApiClient): Promise<RelinkFailure | undefined> {
  if ((await getMeta(db, 'relinkPending')) !== true && !heldRelinkPending(db)) return undefined;
  return relinkReceipts(db, api);
}

/**
 * After an officer logs in again (a new token, so a new device row on the server), the entries the
 * officer sent under the earlier token would never get their statuses: the server follows a
 * submission for the token that pushed it. Once per token, the phone asks the server to follow the
 * officer's acknowledged entries for the new token; the server takes only those a token of the same
 * account pushed (server/repositories/follow.ts), so another officer's receipts on a shared phone
 * stay theirs. A refused token is answered as the officer identity's (`as`), never the resident's.
 */
export async function followOfficerEntries(db: JangkauDb, api: ApiClient): Promise<(RelinkFailure & { as?: string }) | undefined> {
  const session = await getSession(db);
  // A locked phone cannot open the token: it follows after the unlock.
  if (!session?.token || (await getMeta(db, 'officerFollowedAs')) === session.deviceId) return undefined;
  const failure = await followAll(api, await sentReceipts(db, true), `Bearer ${session.token}`);
  if (failure) return failure.kind === 'auth' ? { ...failure, as: `officer:${session.deviceId}` } : failure;
  await setMeta(db, 'officerFollowedAs', session.deviceId);
  return undefined;
}
