// What wakes the sync engine in a page: app start, the `online` event, the page becoming visible,
// the retry timer, a submission just queued, and the "Kirim sekarang" button. Nothing waits for
// `online`: on a link that comes and goes the browser never fires it, and the retry timer (a try
// every few seconds while the link is down, core/sync-retry.ts) finds the windows itself. Background Sync is
// asked for where the browser has it (Chromium) so the worker can finish after the tab closes, but
// nothing depends on it: Safari and Firefox get by with the triggers here.
// Compiled with the worker's lib too (it lives in src/sync), so it names no DOM types: the window
// comes in as an argument, described by the little it needs.
import type { SyncEngine, SyncReport } from './engine.ts';
import { BACKGROUND_SYNC_TAG } from './messages.ts';

export interface TriggerTarget {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

export interface TriggerWindow extends TriggerTarget {
  document: TriggerTarget & { readonly visibilityState: string };
  setTimeout(handler: () => void, timeout?: number): number;
  clearTimeout(id: number | undefined): void;
}

export interface SyncTriggerOptions {
  window: TriggerWindow;
  now?: () => number;
  /** Registers the Background Sync tag; defaults to requestBackgroundSync(). */
  backgroundSync?: () => Promise<boolean>;
  /** Run the 'start' sync at once (default true). */
  syncOnStart?: boolean;
}

export interface SyncTriggers {
  /** The "Kirim sekarang" button. */
  syncNow(): Promise<SyncReport>;
  /** Call after a submission was queued: sends it now if possible, else when signal returns. */
  notifyQueued(): Promise<SyncReport>;
  dispose(): void;
}

/** setTimeout's largest delay; longer ones fire at once in browsers. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function installSyncTriggers(engine: SyncEngine, options: SyncTriggerOptions): SyncTriggers {
  const win = options.window;
  const now = options.now ?? Date.now;
  const backgroundSync = options.backgroundSync ?? (() => requestBackgroundSync());
  let timer: number | undefined;
  let timerFor: number | undefined;

  const onOnline = () => void engine.sync('online');
  const onVisibility = () => {
    if (win.document.visibilityState === 'visible') void engine.sync('visible');
  };
  win.addEventListener('online', onOnline);
  win.document.addEventListener('visibilitychange', onVisibility);

  function clearTimer(): void {
    if (timer !== undefined) win.clearTimeout(timer);
    timer = undefined;
    timerFor = undefined;
  }

  // The backoff timer follows the engine's nextAttemptAt, whichever context set it.
  const unsubscribe = engine.subscribe((state) => {
    if (state.phase === 'syncing') return;
    const at = state.nextAttemptAt;
    if (at === timerFor) return;
    clearTimer();
    if (at === undefined) return;
    timerFor = at;
    timer = win.setTimeout(() => {
      timer = undefined;
      timerFor = undefined;
      void engine.sync('timer');
    }, Math.min(Math.max(0, at - now()), MAX_TIMER_MS));
    // Left with work and no signal: let the browser wake the worker when it comes back.
    if (state.queued > 0) void backgroundSync();
  });

  if (options.syncOnStart ?? true) void engine.sync('start');

  return {
    syncNow: () => engine.sync('manual'),
    notifyQueued: () => {
      void backgroundSync();
      return engine.sync('queued');
    },
    dispose() {
      unsubscribe();
      clearTimer();
      win.removeEventListener('online', onOnline);
      win.document.removeEventListener('visibilitychange', onVisibility);
    },
  };
}

interface SyncCapableRegistration {
  sync: { register(tag: string): Promise<void> };
}

type RegistrationSource = { getRegistration?: () => Promise<object | undefined> };

/**
 * Registers the 'jangkau-sync' Background Sync tag, where the browser supports it. Resolves false
 * when it does not (or refuses); never rejects. Without an argument, uses this page's service
 * worker registration, if there is one.
 */
export async function requestBackgroundSync(registration?: object): Promise<boolean> {
  try {
    const container = (globalThis as { navigator?: { serviceWorker?: RegistrationSource } }).navigator?.serviceWorker;
    const reg = registration ?? (await container?.getRegistration?.());
    if (!reg || !('sync' in reg)) return false;
    await (reg as SyncCapableRegistration).sync.register(BACKGROUND_SYNC_TAG);
    return true;
  } catch {
    return false;
  }
}
