// The shell: header with language switch, connection bar, update prompt, tabs and the screen.
import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { firstScreenShown, whenFirstScreenDrawn } from './first-screen.ts';
import { useI18n, useLang } from '../i18n/use-i18n.ts';
import { ConnectionBar } from './connection-bar.tsx';
import { UpdatePrompt } from './update-prompt.tsx';
import { href, useRoute, type Route } from './router.ts';
import { formOpening, load, loadedChunk, type ChunkName } from './screen-chunks.ts';
import { startSync, useSync } from './sync-client.ts';
import { startOfficer, useOfficer } from '../auth/officer-store.ts';
import { ServicesScreen } from '../features/requests/services-screen.tsx';

/**
 * A screen in a chunk of its own (screen-chunks.ts). If the chunk has already loaded (the page's
 * opening screen, asked for by the entry module), its component is handed to React.lazy at once
 * (a thenable that answers synchronously), so the first render draws the screen instead of
 * suspending and rendering again once a promise settles (bench:slow-phone).
 */
function screen<K extends ChunkName, P extends object>(name: K, pick: (m: Awaited<ReturnType<(typeof load)[K]>>) => ComponentType<P>) {
  return lazy(() => {
    const ready = loadedChunk(name);
    if (!ready) return load[name]().then((m) => ({ default: pick(m as Awaited<ReturnType<(typeof load)[K]>>) }));
    const now = { default: pick(ready) };
    return { then: (resolve: (m: typeof now) => void) => resolve(now) } as unknown as Promise<typeof now>;
  });
}

const FormScreen = screen('form', (m) => m.FormScreen);
const RequestsScreen = screen('requests', (m) => m.RequestsScreen);
const RequestScreen = screen('request', (m) => m.RequestScreen);
const SaveCopyScreen = screen('saveCopy', (m) => m.SaveCopyScreen);
const OpenCopyScreen = screen('openCopy', (m) => m.OpenCopyScreen);
const OfficerRoutes = screen('officer', (m) => m.OfficerRoutes);
const KpiScreen = screen('kpi', (m) => m.KpiScreen);
const HandoffScreen = screen('handoff', (m) => m.HandoffScreen);
const CarriedScreen = screen('carried', (m) => m.CarriedScreen);

function Screen({ route }: { route: Route }) {
  const form = formOpening(route);
  if (form) return <FormScreen key={form.key} {...form.opening} />;
  switch (route.name) {
    case 'services':
      return <ServicesScreen />;
    case 'requests':
      return <RequestsScreen />;
    case 'request':
      return <RequestScreen key={route.id} id={route.id} />;
    case 'handoff':
      return <HandoffScreen key={`qr-${route.id}`} id={route.id} mode="qr" />;
    case 'sms':
      return <HandoffScreen key={`sms-${route.id}`} id={route.id} mode="sms" />;
    case 'carried':
      return <CarriedScreen />;
    case 'backupSave':
      return <SaveCopyScreen />;
    case 'backupOpen':
      return <OpenCopyScreen />;
    case 'officer':
    case 'inbox':
    case 'inboxItem':
    case 'fieldWork':
    case 'sops':
    case 'accounts':
    case 'registers':
    case 'conflicts':
    case 'duplicates':
    case 'voterRecap':
      return <OfficerRoutes view={route} />;
    case 'kpi':
      return <KpiScreen />;
  }
}

/** Rendered after the screen: its effect runs once the screen's chunk has rendered and committed. */
function Shown() {
  useEffect(firstScreenShown, []);
  return null;
}

/** An officer's device shows nothing but the PIN screens until it is unlocked (src/auth/). */
function Gate({ route }: { route: Route }) {
  const lock = useOfficer((s) => s.lock);
  if (lock === 'loading') return null;
  if (lock === 'locked' || lock === 'needs_pin')
    return (
      <>
        <OfficerRoutes view={{ name: lock === 'locked' ? 'unlock' : 'pin' }} />
        <Shown />
      </>
    );
  return (
    <>
      <Screen route={route} />
      <Shown />
    </>
  );
}

export function App() {
  const { t, lang } = useI18n();
  const setLang = useLang((s) => s.setLang);
  const route = useRoute();
  const practice = useOfficer((s) => s.practice);
  const onRequests =
    route.name === 'requests' || route.name === 'request' || route.name === 'handoff' || route.name === 'sms' || route.name === 'backupSave' || route.name === 'backupOpen';
  const onOfficer =
    route.name === 'officer' || route.name === 'inbox' || route.name === 'inboxItem' || route.name === 'fieldWork' || route.name === 'sops' || route.name === 'accounts' || route.name === 'registers' || route.name === 'conflicts' || route.name === 'duplicates' || route.name === 'voterRecap' || route.name === 'kpi' || route.name === 'carried';

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  // Each screen opens at its top, title in view: the browser kept the last screen's scroll
  // position across hash changes (the PPID form opened 421 px down).
  const at = href(route);
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [at]);
  // The sync engine's chunks and its first pass over the queue wait until the opening screen is
  // drawn (src/app/first-screen.ts; at most 3 s) and then for the page to be idle (at most 1 s): on
  // a slow phone they otherwise compete with the first screen for the one busy core, and an idle
  // moment while the screen still reads the device came too soon (bench:slow-phone). Safari has
  // no requestIdleCallback.
  useEffect(() => {
    let cancel = () => {};
    let fallback: number | undefined;
    const drawn = new Promise<void>((resolve) => {
      fallback = window.setTimeout(resolve, 3_000);
      void whenFirstScreenDrawn().then(resolve);
    });
    let live = true;
    void drawn.then(() => {
      window.clearTimeout(fallback);
      if (!live) return;
      const start = () => void startSync();
      if (typeof window.requestIdleCallback !== 'function') {
        const timer = window.setTimeout(start, 200);
        cancel = () => window.clearTimeout(timer);
      } else {
        const idle = window.requestIdleCallback(start, { timeout: 1_000 });
        cancel = () => window.cancelIdleCallback(idle);
      }
    });
    return () => {
      live = false;
      window.clearTimeout(fallback);
      cancel();
    };
  }, []);
  useEffect(() => startOfficer((listener) => useSync.subscribe((s) => listener(s.state?.phase))), []);

  return (
    <>
      <header className="app-header">
        <div className="row">
          <a className="brand" href={href({ name: 'services' })}>
            {t('appName')}
          </a>
          <button
            type="button"
            className="lang-switch"
            lang={lang === 'id' ? 'en' : 'id'}
            onClick={() => setLang(lang === 'id' ? 'en' : 'id')}
          >
            {t('switchLanguage')}
          </button>
        </div>
        <p className="tagline">{t('appTagline')}</p>
      </header>
      {practice && (
        <p className="practice-banner" role="status" data-testid="practice-banner">
          <strong lang="id">LATIHAN</strong> {t('practiceBanner')}
        </p>
      )}
      <ConnectionBar key={String(practice)} />
      <UpdatePrompt />
      <nav className="tabs" aria-label={t('appName')}>
        <a href={href({ name: 'services' })} aria-current={onRequests || onOfficer ? undefined : 'page'}>
          {t('navServices')}
        </a>
        <a href={href({ name: 'requests' })} aria-current={onRequests ? 'page' : undefined}>
          {t('navMyRequests')}
        </a>
        <a href={href({ name: 'officer' })} aria-current={onOfficer ? 'page' : undefined}>
          {t('navOfficer')}
        </a>
      </nav>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={null}>
          {/* Remounted on a switch of mode, so every screen reads the other database afresh. */}
          <Gate key={String(practice)} route={route} />
        </Suspense>
      </main>
      <footer>{t('footer')}</footer>
    </>
  );
}
