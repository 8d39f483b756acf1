// The engine as the page and the worker both build it: the shared database, the API on the same
// origin, the device's credential and the cross-context Web Lock.
import { API_PREFIX } from '../../core/protocol.ts';
import { db } from '../db/open-db.ts';
import { deviceAuth } from '../db/device-identity.ts';
import { createApiClient } from '../lib/api-client.ts';
import { createSyncEngine, type SyncEngine } from './engine.ts';
import { createUploadPhase } from './upload-phase.ts';

export function createDeviceSyncEngine(origin: string, locks: LockManager | undefined): SyncEngine {
  const getAuth = deviceAuth(db);
  return createSyncEngine({
    db,
    locks,
    api: createApiClient({ baseUrl: origin, getAuth }),
    uploads: createUploadPhase({ db, baseUrl: `${origin}${API_PREFIX}/uploads`, getAuth }),
  });
}
