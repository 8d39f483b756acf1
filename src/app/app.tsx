// The shell: header with language switch, connection bar, update prompt, tabs and the screen.
import { lazy, Suspense, useEffect } from 'react';
import type { FormOpening } from '../features/requests/form-screen.tsx';
import { firstScreenShown, whenFirstScreenDrawn } from './first-screen.ts';
import { useI18n, useLang } from '../i18n/use-i18n.ts';
import { ConnectionBar } from './connection-bar.tsx';
import { UpdatePrompt } from './update-prompt.tsx';
import { href, parseRoute, useRoute, type Route } from './router.ts';
import { startSync, useSync } from './sync-client.ts';
import { readOfficerStateEarly, startOfficer, useOfficer } from '../auth/officer-store.ts';
import { ServicesScreen } from '../features/requests/services-screen.tsx';

// Only the services list is on the first-load path; the other screens are chunks of their own,
// precached by the worker, so they still open offline.
const load = {
  form: () => import('../features/requests/form-screen.tsx'),
  requests: () => import('../features/requests/requests-screen.tsx'),
  request: () => import('../features/requests/request-screen.tsx'),
  saveCopy: () => import('../features/safety-copy/save-screen.tsx'),
  openCopy: () => import('../features/safety-copy/open-screen.tsx'),
  officer: () => import('../features/officer/officer-routes.tsx'),
  kpi: () => import('../features/kpi/kpi-screen.tsx'),
  handoff: () => import('../features/handoff/handoff-screen.tsx'),
  carried: () => import('../features/handoff/carried-screen.tsx'),
};
const FormScreen = lazy(() => load.form().then((m) => ({ default: m.FormScreen })));
const RequestsScreen = lazy(() => load.requests().then((m) => ({ default: m.RequestsScreen })));
const RequestScreen = lazy(() => load.request().then((m) => ({ default: m.RequestScreen })));
const SaveCopyScreen = lazy(() => load.saveCopy().then((m) => ({ default: m.SaveCopyScreen })));
const OpenCopyScreen = lazy(() => load.openCopy().then((m) => ({ default: m.OpenCopyScreen })));
const OfficerRoutes = lazy(() => load.officer().then((m) => ({ default: m.OfficerRoutes })));
const KpiScreen = lazy(() => load.kpi().then((m) => ({ default: m.KpiScreen })));
const HandoffScreen = lazy(() => load.handoff().then((m) => ({ default: m.HandoffScreen })));
const CarriedScreen = lazy(() => load.carried().then((m) => ({ default: m.CarriedScreen })));

/** The chunk of the screen a route opens, or none for the services list (on the first-load path). */
function loaderOf(route: Route): (() => Promise<unknown>) | undefined {
  switch (route.name) {
    case 'services':
      return undefined;
    case 'new':
    case 'draft':
    case 'fix':
    case 'complete':
      return load.form;
    case 'requests':
      return load.requests;
    case 'request':
      return load.request;
    case 'handoff':
    case 'sms':
      return load.handoff;
    case 'carried':
      return load.carried;
    case 'backupSave':
      return load.saveCopy;
    case 'backupOpen':
      return load.openCopy;
    case 'kpi':
      return load.kpi;
    default:
      return load.officer;
  }
}

/**
 * Starts what the opening screen needs at once, before React draws anything: its chunk, the
 * officer state (the Gate below renders nothing before it), and a form's own reads. Otherwise a
 * cold start on a slow phone pays for them one after the other: the shell's first render, then
 * opening the database and reading the lock, then the form's chunk, then a render, then the
 * form's reads, then another render (bench:slow-phone).
 */
export function preloadScreen(hash: string): void {
  const route = parseRoute(hash);
  const stateRead = readOfficerStateEarly();
  const loading = loaderOf(route)?.();
  const form = formOpening(route);
  if (form) {
    void load
      .form()
      .then((m) => m.prefetchOpening(form.opening, stateRead))
      .catch(() => undefined);
  }
  void loading?.catch(() => undefined);
}

/** What a form route opens (FormScreen's props, and what prefetchOpening reads ahead), with the key that remounts the screen for another one. */
function formOpening(route: Route): { key: string; opening: FormOpening } | undefined {
  switch (route.name) {
    case 'new':
      return { key: `new-${route.formId}`, opening: { formId: route.formId } };
    case 'draft':
      return { key: `draft-${route.draftId}`, opening: { draftId: route.draftId } };
    case 'fix':
      return { key: `fix-${route.id}`, opening: { fixId: route.id } };
    case 'complete':
      return { key: `complete-${route.id}`, opening: { completeId: route.id } };
    default:
      return undefined;
  }
}

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
