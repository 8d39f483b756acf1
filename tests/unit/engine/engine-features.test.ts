// What the app does where the engine lacks something: the feature tests each engine's shape gives,
// the notices that follow, and the words. Shapes measured in Chromium 14x, WebKitGTK 2.50 and
// Firefox ESR 153 (docs/architecture.md, "Engines"); iOS Safari's from its documented API.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  engineNotices,
  hasBackgroundSync,
  needsHomeScreen,
  requestPersistence,
  runsInstalled,
  type EngineGlobals,
} from '../../../src/lib/engine-features.ts';
import { offersSms, SMS_AFTER_OFFLINE_MS } from '../../../src/features/handoff/sms-offer.ts';

const mediaQuery = (standalone: boolean) => (q: string) => ({ matches: q === '(display-mode: standalone)' && standalone });
const persistAnswer = (granted: boolean) => ({ persist: () => Promise.resolve(granted), persisted: () => Promise.resolve(false) });

/** Each engine as the page sees it: only what the detection reads. */
const chromium: EngineGlobals = {
  navigator: { storage: persistAnswer(false) },
  ServiceWorkerRegistration: { prototype: { sync: {} } },
  matchMedia: mediaQuery(false),
  onbeforeinstallprompt: null,
};
const webkitGtk: EngineGlobals = { navigator: { storage: {} }, ServiceWorkerRegistration: { prototype: {} }, matchMedia: mediaQuery(false) };
const firefox: EngineGlobals = { navigator: { storage: persistAnswer(false) }, ServiceWorkerRegistration: { prototype: {} }, matchMedia: mediaQuery(false) };
const iosSafari: EngineGlobals = { navigator: { standalone: false, storage: persistAnswer(false) }, ServiceWorkerRegistration: { prototype: {} }, matchMedia: mediaQuery(false) };
const iosHomeScreen: EngineGlobals = { ...iosSafari, navigator: { standalone: true, storage: persistAnswer(true) }, matchMedia: mediaQuery(true) };

describe('feature tests, engine by engine', () => {
  it('Background Sync only where the registration has `sync` (Chromium)', () => {
    expect(hasBackgroundSync(chromium)).toBe(true);
    for (const engine of [webkitGtk, firefox, iosSafari, iosHomeScreen]) expect(hasBackgroundSync(engine)).toBe(false);
    // A browser with no service worker at all has no Background Sync either.
    expect(hasBackgroundSync({})).toBe(false);
  });

  it('the home-screen steps only for iOS Safari off the home screen', () => {
    expect(needsHomeScreen(iosSafari)).toBe(true);
    expect(needsHomeScreen(iosHomeScreen)).toBe(false);
    // Desktop Safari and WebKitGTK define no navigator.standalone; Chromium offers its own install.
    for (const engine of [chromium, webkitGtk, firefox]) expect(needsHomeScreen(engine)).toBe(false);
    // Standalone display mode alone (an iPad web app) also counts as installed.
    expect(needsHomeScreen({ ...iosSafari, matchMedia: mediaQuery(true) })).toBe(false);
    expect(runsInstalled({ ...iosSafari, matchMedia: mediaQuery(true) })).toBe(true);
    // A matchMedia that throws is "not installed", not a crash.
    expect(
      needsHomeScreen({
        ...iosSafari,
        matchMedia: () => {
          throw new Error('no media queries');
        },
      }),
    ).toBe(true);
  });

  it('never the home-screen steps where the browser has an install prompt or runs installed (any shape)', () => {
    const shape = fc.record({
      standalone: fc.constantFrom(undefined, true, false, null, 'yes'),
      displayStandalone: fc.boolean(),
      installPrompt: fc.boolean(),
      sync: fc.boolean(),
    });
    fc.assert(
      fc.property(shape, (s) => {
        const g: EngineGlobals = {
          navigator: s.standalone === undefined ? {} : { standalone: s.standalone },
          ServiceWorkerRegistration: { prototype: s.sync ? { sync: {} } : {} },
          matchMedia: mediaQuery(s.displayStandalone),
          ...(s.installPrompt ? { onbeforeinstallprompt: null } : {}),
        };
        const shown = needsHomeScreen(g);
        if (s.installPrompt || s.displayStandalone || s.standalone === true || s.standalone === undefined) expect(shown).toBe(false);
        else expect(shown).toBe(true);
      }),
    );
  });
});

describe('asking to keep storage', () => {
  it('missing, refused, granted, already granted, throwing, and no answer at all', async () => {
    expect(await requestPersistence(undefined)).toBe('missing');
    expect(await requestPersistence({})).toBe('missing');
    expect(await requestPersistence(persistAnswer(false))).toBe('refused');
    expect(await requestPersistence(persistAnswer(true))).toBe('granted');
    let asked = false;
    const already = {
      persisted: () => Promise.resolve(true),
      persist: () => {
        asked = true;
        return Promise.resolve(false);
      },
    };
    expect(await requestPersistence(already)).toBe('granted');
    expect(asked).toBe(false);
    expect(await requestPersistence({ persist: () => Promise.reject(new Error('SecurityError')) })).toBe('refused');
    // Firefox with its permission prompt open: the answer never comes; the app does not wait on it.
    expect(await requestPersistence({ persist: () => new Promise<boolean>(() => {}) }, 0)).toBe('unanswered');
  });
});

describe('the notices each engine gets', () => {
  it('Chromium: only the storage warning when persist was refused, once', () => {
    expect(engineNotices(chromium, 'refused', false)).toEqual({ openAgain: false, addToHomeScreen: false, storageAtRisk: true });
    expect(engineNotices(chromium, 'refused', true).storageAtRisk).toBe(false);
    expect(engineNotices(chromium, 'granted', false).storageAtRisk).toBe(false);
    // Not answered (yet) is not "refused": nothing said before the browser has spoken.
    expect(engineNotices(chromium, 'unanswered', false).storageAtRisk).toBe(false);
    expect(engineNotices(chromium, undefined, false).storageAtRisk).toBe(false);
  });

  it('WebKitGTK: open again, and the storage warning (no persist)', () => {
    expect(engineNotices(webkitGtk, 'missing', false)).toEqual({ openAgain: true, addToHomeScreen: false, storageAtRisk: true });
  });

  it('Firefox: open again; the storage warning once persist is refused', () => {
    expect(engineNotices(firefox, 'unanswered', false)).toEqual({ openAgain: true, addToHomeScreen: false, storageAtRisk: false });
    expect(engineNotices(firefox, 'refused', false).storageAtRisk).toBe(true);
  });

  it('iOS Safari: open again and the home-screen steps; on the home screen only open again', () => {
    expect(engineNotices(iosSafari, 'refused', true)).toEqual({ openAgain: true, addToHomeScreen: true, storageAtRisk: false });
    expect(engineNotices(iosHomeScreen, 'granted', false)).toEqual({ openAgain: true, addToHomeScreen: false, storageAtRisk: false });
  });
});

describe('SMS where nothing sends while the app is closed', () => {
  const base = { online: false, lastSyncAt: 0, queuedAt: 0, hasFiles: false, now: 1 };
  it('offered as soon as there is no signal without Background Sync; after the long wait with it', () => {
    expect(offersSms({ ...base, backgroundSync: false })).toBe(true);
    expect(offersSms({ ...base, backgroundSync: true })).toBe(false);
    expect(offersSms(base)).toBe(false);
    expect(offersSms({ ...base, now: SMS_AFTER_OFFLINE_MS, backgroundSync: true })).toBe(true);
  });
  it('never with signal or with files, whatever the engine', () => {
    expect(offersSms({ ...base, backgroundSync: false, online: true })).toBe(false);
    expect(offersSms({ ...base, backgroundSync: false, hasFiles: true })).toBe(false);
  });
});
