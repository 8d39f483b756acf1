// Names shared by the page and the service worker: the Web Lock that lets one context drain the
// queue at a time, the Background Sync tag, and the BroadcastChannel on which every context
// publishes its sync state so the tabs see what the worker (or another tab) is doing.
import type { SyncState } from './state.ts';

export const SYNC_LOCK_NAME = 'jangkau-sync';
export const BACKGROUND_SYNC_TAG = 'jangkau-sync';
export const SYNC_CHANNEL_NAME = 'jangkau-sync';

export const SYNC_MESSAGES = Object.freeze({
  /** A context's sync state changed; carries the whole state. */
  state: 'jangkau-sync/state',
} as const);

export interface SyncStateMessage {
  type: typeof SYNC_MESSAGES.state;
  /** Id of the engine that sent it, so an engine ignores its own echo. */
  source: string;
  state: SyncState;
}

export type SyncMessage = SyncStateMessage;

export function isSyncMessage(value: unknown): value is SyncMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<SyncStateMessage>;
  return m.type === SYNC_MESSAGES.state && typeof m.source === 'string' && typeof m.state === 'object' && m.state !== null;
}
