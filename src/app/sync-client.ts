// The page's side of sync: one engine instance for this tab, its triggers, and a store the
// screens read. A sync run by the service worker or another tab shows up through the broadcast.
import { create } from 'zustand';
import { db } from '../db/open-db.ts';
import { getDeviceIdentity } from '../db/device-identity.ts';
import { seedForms } from '../db/forms-cache.ts';
import { createApiClient } from '../lib/api-client.ts';
import { deviceAuthorization } from '../../core/protocol.ts';
import { PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { createSyncEngine, type SyncEngine, type SyncState } from '../sync/engine.ts';
import { installSyncTriggers, requestBackgroundSync } from '../sync/triggers.ts';

interface SyncStore {
  online: boolean;
  state: SyncState | undefined;
  syncNow(): void;
  afterQueued(): void;
}

let engine: SyncEngine | undefined;
let syncNow: () => void = () => undefined;

export const useSync = create<SyncStore>(() => ({
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  state: undefined,
  syncNow: () => syncNow(),
  afterQueued: () => {
    void requestBackgroundSync();
    void engine?.sync('queued');
  },
}));

export async function startSync(): Promise<void> {
  if (engine) return;
  await seedForms(db, PUBLISHED_FORMS);
  const api = createApiClient({
    baseUrl: window.location.origin,
    getAuth: async () => {
      const { deviceId, deviceSecret } = await getDeviceIdentity(db);
      return deviceAuthorization(deviceId, deviceSecret);
    },
  });
  engine = createSyncEngine({ db, api, locks: navigator.locks });
  engine.subscribe((state) => useSync.setState({ state }));
  const triggers = installSyncTriggers(engine, { window });
  syncNow = triggers.syncNow;
  const setOnline = () => useSync.setState({ online: navigator.onLine });
  window.addEventListener('online', setOnline);
  window.addEventListener('offline', setOnline);
}
