// The engine as the page and the worker both build it: the shared database, the API on the same
// origin, the device's credential and the cross-context Web Lock.
import { API_PREFIX } from '../../core/protocol.ts';
import { db, getPracticeDb } from '../db/open-db.ts';
import { officerOrDeviceAuth } from '../auth/officer-auth.ts';
import { createApiClient } from '../lib/api-client.ts';
import { noteServerDate } from '../db/server-clock.ts';
import { createSyncEngine, type SyncEngine } from './engine.ts';
import { pullIdentities } from './pull-identities.ts';
import { pushIdentities, uploadIdentity } from './send-identities.ts';
import { lazyUploadPhase } from './upload-phase-lazy.ts';
import { withHandoffDelivery } from './handoff-delivery.ts';
import { getSession } from '../auth/session.ts';
import { onUnauthorizedFor } from './unauthorized.ts';
import { relinkReceipts } from './relink.ts';
import { practiceQueues } from './practice-queues.ts';
import { revocationCheckOf, wipeSignal } from './wipe-signal.ts';

export function createDeviceSyncEngine(origin: string, locks: LockManager | undefined): SyncEngine {
  // An officer's device token when one is logged in, else the device's own credential.
  const getAuth = officerOrDeviceAuth(db);
  // The real queue and, on a device that has practised, the practice one (practice-queues.ts).
  const queues = practiceQueues(db, getPracticeDb);
  // A locked phone hears an admin's revocation through the check its login left (wipe-signal.ts).
  const wipe = wipeSignal({ db, locks });
  // Each answer's Date header keeps the phone's clock offset, for the form page's date check.
  const api = createApiClient({
    baseUrl: origin,
    getAuth,
    onServerDate: (date, at) => void noteServerDate(db, date, at),
    revocationCheck: revocationCheckOf(db),
    onWipeSignal: wipe.heard,
  });
  const engine = createSyncEngine({
    db,
    queues,
    locks,
    api,
    // Each row, and each file, under the identity that filed it (send-identities.ts).
    pushAs: () => pushIdentities(db),
    // A resident's device starts over under a fresh identity; an officer logs in again.
    onUnauthorized: onUnauthorizedFor(db, async () => (await getSession(db)) !== undefined),
    uploads: lazyUploadPhase({
      queues,
      baseUrl: `${origin}${API_PREFIX}/uploads`,
      getAuth: uploadIdentity(db),
      // An upload refused as device_unknown: the device makes itself known (src/sync/relink.ts).
      register: async () => (await relinkReceipts(db, api)) === undefined,
      // The round trip the push and pull measured spaces the files in flight (upload-phase.ts).
      linkEstimate: () => api.linkEstimate?.(),
    }),
    pullAs: () => pullIdentities(db),
  });
  // Then the QR hand-offs an officer's phone carries (src/sync/handoff-delivery.ts).
  return withHandoffDelivery(wipe.wrap(engine), { db, baseUrl: origin, getAuth });
}
