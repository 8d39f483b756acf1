// Runs after each successful sync, outside the engine's lock: delivers the QR hand-offs this phone
// carries (handoff-phase.ts) and, on a page, keeps the server's sealing key and SMS number fresh so
// a resident can hand a request over or send it by SMS later with no signal. Both modules load only
// then, which keeps them off the first load; the worker's single-script bundle inlines them.
// Delivering twice at once (page and worker) is harmless: the server keeps each request once.
import type { JangkauDb } from '../db/schema.ts';
import type { SyncEngine } from './engine.ts';
import type { KeyValueStore } from '../db/channel-settings.ts';

/** The key is refreshed at most this often; the server says it may be cached for a day. */
export const CHANNEL_SETTINGS_MAX_AGE_MS = 24 * 60 * 60_000;

export interface HandoffDeliveryOptions {
  db: JangkauDb;
  baseUrl: string;
  getAuth: () => Promise<string>;
}

/** localStorage on a page; the worker has none (it then only delivers). */
function pageStorage(): KeyValueStore | undefined {
  try {
    return (globalThis as { localStorage?: KeyValueStore }).localStorage;
  } catch {
    return undefined;
  }
}

async function afterSync(options: HandoffDeliveryOptions): Promise<void> {
  const storage = pageStorage();
  if (storage) {
    const settings = await import('../db/channel-settings.ts');
    const kept = settings.readChannelSettings(storage);
    if (!kept || Date.now() - kept.fetchedAt >= CHANNEL_SETTINGS_MAX_AGE_MS) {
      await settings.refreshChannelSettings((input, init) => fetch(input, init), storage);
    }
  }
  const { deliverCarried } = await import('./handoff-phase.ts');
  await deliverCarried(options);
}

export function withHandoffDelivery(engine: SyncEngine, options: HandoffDeliveryOptions): SyncEngine {
  return {
    ...engine,
    async sync(reason) {
      const report = await engine.sync(reason);
      if (report.outcome === 'ok') {
        // Never fails the sync: what was not delivered stays carried for the next one.
        await afterSync(options).catch(() => undefined);
      }
      return report;
    },
  };
}
