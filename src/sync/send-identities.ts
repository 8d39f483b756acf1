// Under which identity a phone sends what it queued: the one that filed it (issue #11, defect 10).
// The server follows a submission for the identity that pushed it, and takes a file only from an
// identity one of whose stored submissions names it. An officer's form (only an officer files one)
// goes under the officer's token; any other request under the phone's own credential, whoever is
// logged in: a resident's request filed on a shared phone while an officer was logged in stays the
// resident's, so its answers keep coming after the logout (the phone's own credential is always
// pulled, pull-identities.ts) and its photo is taken from the phone's own credential. An officer's
// rows wait while no officer is logged in, or the phone is locked; the PIN an officer left on the
// phone holds those rows alone (src/auth/send-gate.ts).
import { maySendRow } from '../auth/send-gate.ts';
import { getSession } from '../auth/session.ts';
import { deviceAuth } from '../db/device-identity.ts';
import { officerForms } from '../db/forms-cache.ts';
import { DEVICE_PULL } from '../db/receipts.ts';
import type { AttachmentRow, JangkauDb, OutboxRow } from '../db/schema.ts';
import type { SyncIdentity } from './engine.ts';

interface Identities {
  own: SyncIdentity & { authorization: string };
  /** The officer's token; undefined while no officer is logged in or the phone is locked. */
  officer: (SyncIdentity & { authorization: string }) | undefined;
  byOfficer: (formId: string, version: number) => boolean;
}

/** Read at each push and each file: a login, logout or renewed identity counts from the next one. */
async function identitiesNow(home: JangkauDb): Promise<Identities> {
  const [authorization, session, byOfficer] = await Promise.all([deviceAuth(home)(), getSession(home), officerForms(home)]);
  return {
    own: { key: DEVICE_PULL, authorization },
    // The key names the officer's pull cursor too (pull-identities.ts): one identity, one name.
    officer: session?.token ? { key: `officer:${session.deviceId}`, authorization: `Bearer ${session.token}` } : undefined,
    byOfficer,
  };
}

/**
 * The sync engine's `pushAs` for the device whose forms, session and credential `home` holds: each
 * queued row's identity, or undefined while it waits.
 */
export async function pushIdentities(home: JangkauDb): Promise<(row: OutboxRow) => SyncIdentity | undefined> {
  const { own, officer, byOfficer } = await identitiesNow(home);
  return (row) => {
    const officers = byOfficer(row.envelope.formId, row.envelope.formVersion);
    if (!maySendRow(row, officers)) return undefined;
    return officers ? officer : own;
  };
}

/**
 * The upload phase's `getAuth` for the device of `home`: a file goes under the identity that pushed
 * a request naming it (one the server acknowledged; the receipts of `queue` say which form it was).
 * A resident's request first: its photo is the resident's to send, whoever is logged in. Undefined
 * while the only requests naming it are an officer's and no officer is logged in: the file waits.
 * A file no acknowledged request of this phone names (imported from a safety copy) goes as before
 * the identities were told apart: the officer's token while one is logged in, else the phone's own.
 */
export function uploadIdentity(home: JangkauDb): (file: AttachmentRow, queue: JangkauDb) => Promise<string | undefined> {
  return async (file, queue) => {
    const { own, officer, byOfficer } = await identitiesNow(home);
    const named = (await queue.receipts.bulkGet(file.refs)).filter((r) => r !== undefined && r.state === 'sent');
    if (named.some((r) => !byOfficer(r!.formId, r!.formVersion))) return own.authorization;
    if (named.length > 0) return officer?.authorization;
    return (officer ?? own).authorization;
  };
}
