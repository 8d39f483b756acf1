// The worker's sync: the same engine the page runs, woken by Background Sync. The Web Lock inside
// the engine keeps it from draining at the same time as a tab.
import { createDeviceSyncEngine } from '../src/sync/device-engine.ts';
import type { SyncEngine } from '../src/sync/engine.ts';

declare const self: ServiceWorkerGlobalScope;

let engine: SyncEngine | undefined;

/** Rejects while work is left, so the browser tries the Background Sync again later. */
export async function syncFromWorker(): Promise<void> {
  engine ??= createDeviceSyncEngine(self.location.origin, self.navigator.locks);
  const report = await engine.sync('background-sync');
  if (report.outcome === 'offline' || report.outcome === 'server_error') {
    throw new Error(`sync incomplete: ${report.outcome}`);
  }
}
