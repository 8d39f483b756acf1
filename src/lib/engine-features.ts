// What this browser engine can do for the queue, found by testing for each feature (never by
// reading the user-agent string): Background Sync (Chromium only), installing to the home screen
// the iOS way (Safari: no beforeinstallprompt, navigator.standalone), and persistent storage
// (missing in WebKitGTK, refused or left unanswered elsewhere). Pure over the globals passed in,
// so the unit tests give each engine's shape.

/** The parts of `window` the tests read; every one may be missing. */
export interface EngineGlobals {
  navigator?: {
    standalone?: unknown;
    storage?: { persist?: unknown; persisted?: unknown };
  };
  ServiceWorkerRegistration?: { prototype: object };
  matchMedia?: (query: string) => { matches: boolean };
  onbeforeinstallprompt?: unknown;
}

/**
 * Background Sync: the worker can send the queue while Jangkau is closed. Safari and Firefox lack
 * it, so there the queue goes only while the app is open (start, `online`, focus, timer).
 */
export function hasBackgroundSync(g: EngineGlobals): boolean {
  const proto = g.ServiceWorkerRegistration?.prototype;
  return !!proto && 'sync' in proto;
}

/** Jangkau runs from the home screen (or as an installed app). */
export function runsInstalled(g: EngineGlobals): boolean {
  if (g.navigator?.standalone === true) return true;
  try {
    return !!g.matchMedia?.('(display-mode: standalone)').matches;
  } catch {
    return false;
  }
}

/**
 * Safari on iPhone or iPad, not added to the home screen: the only install path is Bagikan →
 * Tambahkan ke Layar Utama (no install prompt), and until then Safari may clear the site's
 * storage, the queue included, after 7 days of use without a visit. Detected as: the
 * `navigator.standalone` property exists (only iOS/iPadOS Safari defines it) and is not true, no
 * standalone display mode, and no `beforeinstallprompt` (a browser with it offers its own install).
 */
export function needsHomeScreen(g: EngineGlobals): boolean {
  const nav = g.navigator;
  if (!nav || !('standalone' in nav) || nav.standalone === undefined) return false;
  if ('onbeforeinstallprompt' in g) return false;
  return !runsInstalled(g);
}

/**
 * What came of asking to keep storage: 'granted'; 'missing' (no navigator.storage.persist, as in
 * WebKitGTK); 'refused' (the browser said no or threw); 'unanswered' (the request is still open,
 * as in Firefox while its permission prompt waits).
 */
export type PersistOutcome = 'granted' | 'missing' | 'refused' | 'unanswered';

type StorageManagerLike = { persist?: () => Promise<boolean>; persisted?: () => Promise<boolean> };

/**
 * Asks the browser not to evict the device's storage under pressure (queued submissions live only
 * here). Never rejects and never waits forever: a request with no answer after `waitMs` is
 * 'unanswered' (the prompt may still be answered later; the app works either way).
 */
export async function requestPersistence(storage: StorageManagerLike | undefined, waitMs = 10_000): Promise<PersistOutcome> {
  if (typeof storage?.persist !== 'function') return 'missing';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const noAnswer = new Promise<'unanswered'>((resolve) => (timer = setTimeout(() => resolve('unanswered'), waitMs)));
  const ask = (async (): Promise<PersistOutcome> => {
    try {
      if (typeof storage.persisted === 'function' && (await storage.persisted())) return 'granted';
      return (await storage.persist!()) ? 'granted' : 'refused';
    } catch {
      return 'refused';
    }
  })();
  try {
    return await Promise.race([ask, noAnswer]);
  } finally {
    clearTimeout(timer);
  }
}

/** The notices the queued screen shows for this engine; each one a gap of the engine. */
export interface EngineNotices {
  /** No Background Sync: "Buka Jangkau lagi saat ada sinyal", and the QR/SMS paths offered. */
  openAgain: boolean;
  /** iOS Safari not on the home screen: how to add it, and why. */
  addToHomeScreen: boolean;
  /** Storage may be cleared: say so once, and point to the safety copy. */
  storageAtRisk: boolean;
}

export function engineNotices(g: EngineGlobals, persist: PersistOutcome | undefined, storageNoticeSeen: boolean): EngineNotices {
  return {
    openAgain: !hasBackgroundSync(g),
    addToHomeScreen: needsHomeScreen(g),
    storageAtRisk: !storageNoticeSeen && (persist === 'missing' || persist === 'refused'),
  };
}
