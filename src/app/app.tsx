// The shell: header with language switch, connection bar, update prompt, tabs and the screen.
import { lazy, Suspense, useEffect } from 'react';
import { useI18n, useLang } from '../i18n/use-i18n.ts';
import { ConnectionBar } from './connection-bar.tsx';
import { UpdatePrompt } from './update-prompt.tsx';
import { href, useRoute, type Route } from './router.ts';
import { startSync, useSync } from './sync-client.ts';
import { startOfficer, useOfficer } from '../auth/officer-store.ts';
import { ServicesScreen } from '../features/requests/services-screen.tsx';

// Only the services list is on the first-load path; the other screens are chunks of their own,
// precached by the worker, so they still open offline.
const FormScreen = lazy(() => import('../features/requests/form-screen.tsx').then((m) => ({ default: m.FormScreen })));
const RequestsScreen = lazy(() => import('../features/requests/requests-screen.tsx').then((m) => ({ default: m.RequestsScreen })));
const RequestScreen = lazy(() => import('../features/requests/request-screen.tsx').then((m) => ({ default: m.RequestScreen })));
const SaveCopyScreen = lazy(() => import('../features/safety-copy/save-screen.tsx').then((m) => ({ default: m.SaveCopyScreen })));
const OpenCopyScreen = lazy(() => import('../features/safety-copy/open-screen.tsx').then((m) => ({ default: m.OpenCopyScreen })));
const OfficerRoutes = lazy(() => import('../features/officer/officer-routes.tsx').then((m) => ({ default: m.OfficerRoutes })));
const KpiScreen = lazy(() => import('../features/kpi/kpi-screen.tsx').then((m) => ({ default: m.KpiScreen })));
const HandoffScreen = lazy(() => import('../features/handoff/handoff-screen.tsx').then((m) => ({ default: m.HandoffScreen })));
const CarriedScreen = lazy(() => import('../features/handoff/carried-screen.tsx').then((m) => ({ default: m.CarriedScreen })));

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'services':
      return <ServicesScreen />;
    case 'new':
      return <FormScreen key={`new-${route.formId}`} formId={route.formId} />;
    case 'draft':
      return <FormScreen key={`draft-${route.draftId}`} draftId={route.draftId} />;
    case 'fix':
      return <FormScreen key={`fix-${route.id}`} fixId={route.id} />;
    case 'complete':
      return <FormScreen key={`complete-${route.id}`} completeId={route.id} />;
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
      return <OfficerRoutes view={route} />;
    case 'kpi':
      return <KpiScreen />;
  }
}

/** An officer's device shows nothing but the PIN screens until it is unlocked (src/auth/). */
function Gate({ route }: { route: Route }) {
  const lock = useOfficer((s) => s.lock);
  if (lock === 'loading') return null;
  if (lock === 'locked' || lock === 'needs_pin') return <OfficerRoutes view={{ name: lock === 'locked' ? 'unlock' : 'pin' }} />;
  return <Screen route={route} />;
}

export function App() {
  const { t, lang } = useI18n();
  const setLang = useLang((s) => s.setLang);
  const route = useRoute();
  const practice = useOfficer((s) => s.practice);
  const onRequests =
    route.name === 'requests' || route.name === 'request' || route.name === 'handoff' || route.name === 'sms' || route.name === 'backupSave' || route.name === 'backupOpen';
  const onOfficer =
    route.name === 'officer' || route.name === 'inbox' || route.name === 'inboxItem' || route.name === 'fieldWork' || route.name === 'sops' || route.name === 'accounts' || route.name === 'kpi' || route.name === 'carried';

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  // Each screen opens at its top, title in view: the browser kept the last screen's scroll
  // position across hash changes (the PPID form opened 421 px down).
  const at = href(route);
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [at]);
  useEffect(() => {
    void startSync();
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
