// The worker's sync: the same engine the page runs, woken by Background Sync. The Web Lock inside
// the engine keeps it from draining at the same time as a tab.
import { deviceAuthorization } from '../core/protocol.ts';
import { db } from '../src/db/open-db.ts';
import { getDeviceIdentity } from '../src/db/device-identity.ts';
import { createApiClient } from '../src/lib/api-client.ts';
import { createSyncEngine, type SyncEngine } from '../src/sync/engine.ts';

declare const self: ServiceWorkerGlobalScope;

let engine: SyncEngine | undefined;

function workerEngine(): SyncEngine {
  engine ??= createSyncEngine({
    db,
    locks: self.navigator.locks,
    api: createApiClient({
      baseUrl: self.location.origin,
      getAuth: async () => {
        const { deviceId, deviceSecret } = await getDeviceIdentity(db);
        return deviceAuthorization(deviceId, deviceSecret);
      },
    }),
  });
  return engine;
}

/** Rejects while work is left, so the browser tries the Background Sync again later. */
export async function syncFromWorker(): Promise<void> {
  const report = await workerEngine().sync('background-sync');
  if (report.outcome === 'offline' || report.outcome === 'server_error') {
    throw new Error(`sync incomplete: ${report.outcome}`);
  }
}
