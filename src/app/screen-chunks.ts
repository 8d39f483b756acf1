// The screens' chunks and what the page opens on, without React DOM: the entry module
// (src/main.tsx) starts the opening screen's work with this before the shell's chunk (React DOM,
// the shell) is even loaded, and the shell (app.tsx) lazily renders the same chunks.
import { prefetchOpening, type FormOpening } from '../features/requests/opening-reads.ts';
import { readOfficerStateEarly } from '../auth/officer-store.ts';
import { parseRoute, type Route } from './router.ts';

/** The chunks loaded so far, by name: a screen whose chunk is here renders without suspending. */
const settled = new Map<string, unknown>();

function chunk<M>(name: string, importer: () => Promise<M>): () => Promise<M> {
  return () =>
    importer().then((m) => {
      settled.set(name, m);
      return m;
    });
}

// Only the services list is on the first-load path; the other screens are chunks of their own,
// precached by the worker, so they still open offline.
export const load = {
  form: chunk('form', () => import('../features/requests/form-screen.tsx')),
  requests: chunk('requests', () => import('../features/requests/requests-screen.tsx')),
  request: chunk('request', () => import('../features/requests/request-screen.tsx')),
  saveCopy: chunk('saveCopy', () => import('../features/safety-copy/save-screen.tsx')),
  openCopy: chunk('openCopy', () => import('../features/safety-copy/open-screen.tsx')),
  officer: chunk('officer', () => import('../features/officer/officer-routes.tsx')),
  kpi: chunk('kpi', () => import('../features/kpi/kpi-screen.tsx')),
  handoff: chunk('handoff', () => import('../features/handoff/handoff-screen.tsx')),
  carried: chunk('carried', () => import('../features/handoff/carried-screen.tsx')),
};

export type ChunkName = keyof typeof load;

/** The chunk's module if it has loaded (the page's opening screen: preloadScreen asked for it). */
export function loadedChunk<K extends ChunkName>(name: K): Awaited<ReturnType<(typeof load)[K]>> | undefined {
  return settled.get(name) as Awaited<ReturnType<(typeof load)[K]>> | undefined;
}

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
  if (form) prefetchOpening(form.opening, stateRead);
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
