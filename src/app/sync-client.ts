// The page's side of sync: one engine for this tab, its triggers, and a store the screens read.
// A sync run by the service worker or another tab shows up through the engine's broadcast.
import { create } from 'zustand';
import { db } from '../db/open-db.ts';
import { requestPersistence, type PersistOutcome } from '../lib/engine-features.ts';
import { seedForms } from '../db/forms-cache.ts';
import type { SyncState } from '../sync/state.ts';
import type { SyncTriggers } from '../sync/triggers.ts';

interface SyncStore {
  online: boolean;
  state: SyncState | undefined;
  /** What the browser said to keeping the queue's storage (undefined until it answers). */
  persist: PersistOutcome | undefined;
  syncNow(): void;
  afterQueued(): void;
}

let triggers: SyncTriggers | undefined;

export const useSync = create<SyncStore>(() => ({
  online: navigator.onLine,
  state: undefined,
  persist: undefined,
  syncNow: () => void triggers?.syncNow(),
  afterQueued: () => void triggers?.notifyQueued(),
}));

export async function startSync(): Promise<void> {
  if (triggers) return;
  const setOnline = () => useSync.setState({ online: navigator.onLine });
  window.addEventListener('online', setOnline);
  window.addEventListener('offline', setOnline);
  // The forms this build ships, so a first start without signal still offers every service. The
  // catalogue is data that grows with every service, so it loads as its own (precached) chunk.
  // The engine too (HTTP client, outbox, validation, batching): the first screen does not need
  // it, so it stays out of the first-load budget; the worker precaches its chunk for offline starts.
  const [{ PUBLISHED_FORMS }, { createDeviceSyncEngine }, { installSyncTriggers }] = await Promise.all([
    import('../../core/forms/catalog/index.ts'),
    import('../sync/device-engine.ts'),
    import('../sync/triggers.ts'),
  ]);
  await seedForms(db, PUBLISHED_FORMS);
  void requestPersistence(navigator.storage).then((persist) => useSync.setState({ persist }));
  const engine = createDeviceSyncEngine(window.location.origin, navigator.locks);
  engine.subscribe((state) => useSync.setState({ state }));
  triggers = installSyncTriggers(engine, { window });
}
