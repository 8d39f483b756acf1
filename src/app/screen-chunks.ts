// The screens' chunks and what the page opens on, without React DOM: the entry module
// (src/main.tsx) starts the opening screen's work with this before the shell's chunk (React DOM,
// the shell) is even loaded, and the shell (app.tsx) lazily renders the same chunks.
import type { FormOpening } from '../features/requests/form-screen.tsx';
import { readOfficerStateEarly } from '../auth/officer-store.ts';
import { parseRoute, type Route } from './router.ts';

// Only the services list is on the first-load path; the other screens are chunks of their own,
// precached by the worker, so they still open offline.
export const load = {
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
 * Starts what the opening screen needs at once, from the entry module before React DOM is loaded:
 * the officer state (the shell's Gate renders nothing before it), the screen's chunk, and a form's
 * own reads. IndexedDB opens and answers off the main thread while the shell's chunk is fetched,
 * compiled and run, so on a slow phone the first render can already know the officer state and
 * draw the form (bench:slow-phone) instead of waiting for them after React DOM's evaluation.
 */
export function preloadScreen(hash: string): Promise<void> {
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
  return stateRead;
}

/** What a form route opens (FormScreen's props, and what prefetchOpening reads ahead), with the key that remounts the screen for another one. */
export function formOpening(route: Route): { key: string; opening: FormOpening } | undefined {
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
