// What wakes the engine in a page. The engine here is a recording stand-in: these tests are about
// the wiring (events, timer, Background Sync), which the engine tests do not cover.
import { describe, expect, it } from 'vitest';
import type { SyncEngine, SyncReason, SyncReport, SyncState } from '../../../src/sync/engine.ts';
import { INITIAL_STATE } from '../../../src/sync/state.ts';
import { installSyncTriggers, requestBackgroundSync, type TriggerWindow } from '../../../src/sync/triggers.ts';
import { BACKGROUND_SYNC_TAG } from '../../../src/sync/messages.ts';

function recordingEngine() {
  const reasons: SyncReason[] = [];
  const listeners = new Set<(s: SyncState) => void>();
  let state: SyncState = INITIAL_STATE;
  const engine: SyncEngine = {
    async sync(reason) {
      reasons.push(reason);
      return { reason, outcome: 'ok' } as SyncReport;
    },
    subscribe(fn) {
      listeners.add(fn);
      fn(state);
      return () => listeners.delete(fn);
    },
    getState: () => state,
    refresh: async () => state,
    close: () => undefined,
  };
  return {
    engine,
    reasons,
    listeners,
    set(patch: Partial<SyncState>) {
      state = { ...state, ...patch };
      for (const fn of listeners) fn(state);
    },
  };
}

function fakeWindow() {
  const target = () => {
    const map = new Map<string, Set<() => void>>();
    return {
      addEventListener: (type: string, fn: () => void) => void (map.get(type) ?? map.set(type, new Set()).get(type)!).add(fn),
      removeEventListener: (type: string, fn: () => void) => void map.get(type)?.delete(fn),
      fire: (type: string) => map.get(type)?.forEach((fn) => fn()),
      count: () => [...map.values()].reduce((n, s) => n + s.size, 0),
    };
  };
  const doc = { ...target(), visibilityState: 'visible' };
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let nextId = 1;
  const win = {
    ...target(),
    document: doc,
    setTimeout: (fn: () => void, ms = 0) => {
      timers.set(nextId, { fn, ms });
      return nextId++;
    },
    clearTimeout: (id: number | undefined) => void (id !== undefined && timers.delete(id)),
  };
  return { win: win satisfies TriggerWindow, doc, timers };
}

describe('installSyncTriggers', () => {
  it('syncs on start, on online, and when the page becomes visible', () => {
    const { engine, reasons } = recordingEngine();
    const { win, doc } = fakeWindow();
    installSyncTriggers(engine, { window: win, backgroundSync: async () => false });
    expect(reasons).toEqual(['start']);

    win.fire('online');
    doc.visibilityState = 'hidden';
    doc.fire('visibilitychange');
    doc.visibilityState = 'visible';
    doc.fire('visibilitychange');
    expect(reasons).toEqual(['start', 'online', 'visible']);
  });

  it('arms the backoff timer from nextAttemptAt, re-arms it when it moves, and clears it on success', () => {
    const { engine, reasons, set } = recordingEngine();
    const { win, timers } = fakeWindow();
    let now = 10_000;
    installSyncTriggers(engine, { window: win, now: () => now, backgroundSync: async () => false, syncOnStart: false });

    set({ phase: 'offline', nextAttemptAt: 13_000 });
    expect([...timers.values()].map((t) => t.ms)).toEqual([3_000]);
    // Republishing the same time does not stack timers.
    set({ queued: 2 });
    expect(timers.size).toBe(1);

    set({ nextAttemptAt: 20_000 });
    expect([...timers.values()].map((t) => t.ms)).toEqual([10_000]);

    now = 20_000;
    const [id, due] = [...timers.entries()][0]!;
    timers.delete(id);
    due.fn();
    expect(reasons).toEqual(['timer']);

    set({ phase: 'error', nextAttemptAt: 15_000 });
    // Already past: fire at once, never with a negative delay.
    expect([...timers.values()].map((t) => t.ms)).toEqual([0]);
    set({ phase: 'idle', nextAttemptAt: undefined });
    expect(timers.size).toBe(0);
  });

  it('asks for Background Sync when work is left waiting, and after a submission is queued', async () => {
    const { engine, reasons, set } = recordingEngine();
    const { win } = fakeWindow();
    let asked = 0;
    const triggers = installSyncTriggers(engine, {
      window: win,
      syncOnStart: false,
      backgroundSync: async () => {
        asked++;
        return true;
      },
    });
    set({ phase: 'offline', nextAttemptAt: Date.now() + 1000, queued: 0 });
    expect(asked).toBe(0);
    set({ nextAttemptAt: Date.now() + 2000, queued: 3 });
    expect(asked).toBe(1);

    await triggers.notifyQueued();
    expect(asked).toBe(2);
    await triggers.syncNow();
    expect(reasons).toEqual(['queued', 'manual']);
  });

  it('removes its listeners and timer on dispose', () => {
    const { engine, reasons, set, listeners } = recordingEngine();
    const { win, doc, timers } = fakeWindow();
    const triggers = installSyncTriggers(engine, { window: win, backgroundSync: async () => false });
    set({ phase: 'offline', nextAttemptAt: Date.now() + 1000 });
    triggers.dispose();
    expect(win.count() + doc.count()).toBe(0);
    expect(timers.size).toBe(0);
    expect(listeners.size).toBe(0);
    win.fire('online');
    expect(reasons).toEqual(['start']);
  });
});

describe('requestBackgroundSync', () => {
  it('registers the jangkau-sync tag where the registration supports it', async () => {
    const tags: string[] = [];
    const registration = { sync: { register: async (tag: string) => void tags.push(tag) } };
    expect(await requestBackgroundSync(registration)).toBe(true);
    expect(tags).toEqual([BACKGROUND_SYNC_TAG]);
    expect(BACKGROUND_SYNC_TAG).toBe('jangkau-sync');
  });

  it('resolves false, never rejects, where Background Sync is missing or refused', async () => {
    expect(await requestBackgroundSync({})).toBe(false);
    const refusing = { sync: { register: async () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } };
    expect(await requestBackgroundSync(refusing)).toBe(false);
    // Node has no service worker container at all.
    expect(await requestBackgroundSync()).toBe(false);
  });
});
