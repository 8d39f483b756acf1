// A hash router: few screens, no dependency, and deep links keep working from the precache.
import { useSyncExternalStore } from 'react';

export type Route =
  | { name: 'services' }
  | { name: 'new'; formId: string }
  | { name: 'draft'; draftId: string }
  | { name: 'fix'; id: string }
  | { name: 'complete'; id: string }
  | { name: 'requests' }
  | { name: 'request'; id: string }
  | { name: 'handoff'; id: string }
  | { name: 'sms'; id: string }
  | { name: 'carried' }
  | { name: 'backupSave' }
  | { name: 'backupOpen' }
  | { name: 'officer' }
  | { name: 'inbox' }
  | { name: 'inboxItem'; id: string }
  | { name: 'fieldWork' }
  | { name: 'sops' }
  | { name: 'accounts' }
  | { name: 'registers' }
  | { name: 'conflicts' }
  | { name: 'duplicates' }
  | { name: 'voterRecap'; scope?: string }
  | { name: 'kpi' };

/** A part of the hash as written; a malformed escape (`%` alone) is kept as typed, not thrown. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function parseRoute(hash: string): Route {
  // A screen may keep its state after `?` (the inbox's filters); it does not change the route.
  const parts = (hash.replace(/^#\/?/, '').split('?')[0] ?? '').split('/').filter(Boolean).map(decodePart);
  const [head, arg] = parts;
  if (head === 'ajukan' && arg) return { name: 'new', formId: arg };
  if (head === 'draf' && arg) return { name: 'draft', draftId: arg };
  if (head === 'perbaiki' && arg) return { name: 'fix', id: arg };
  if (head === 'lengkapi' && arg) return { name: 'complete', id: arg };
  if (head === 'permohonan' && arg && parts[2] === 'serahkan') return { name: 'handoff', id: arg };
  if (head === 'permohonan' && arg && parts[2] === 'sms') return { name: 'sms', id: arg };
  if (head === 'permohonan' && arg) return { name: 'request', id: arg };
  if (head === 'titipan') return { name: 'carried' };
  if (head === 'permohonan') return { name: 'requests' };
  if (head === 'cadangan') return arg === 'buka' ? { name: 'backupOpen' } : { name: 'backupSave' };
  if (head === 'petugas') {
    if (arg === 'kotak-masuk') return parts[2] ? { name: 'inboxItem', id: parts[2] } : { name: 'inbox' };
    if (arg === 'lapangan') return { name: 'fieldWork' };
    if (arg === 'sop') return { name: 'sops' };
    if (arg === 'akun') return { name: 'accounts' };
    if (arg === 'register') return { name: 'registers' };
    if (arg === 'konflik') return { name: 'conflicts' };
    if (arg === 'kinerja') return { name: 'kpi' };
    if (arg === 'ganda') return { name: 'duplicates' };
    if (arg === 'rekap') return parts[2] ? { name: 'voterRecap', scope: parts[2] } : { name: 'voterRecap' };
    return { name: 'officer' };
  }
  return { name: 'services' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'services':
      return '#/';
    case 'new':
      return `#/ajukan/${encodeURIComponent(route.formId)}`;
    case 'draft':
      return `#/draf/${encodeURIComponent(route.draftId)}`;
    case 'fix':
      return `#/perbaiki/${encodeURIComponent(route.id)}`;
    case 'complete':
      return `#/lengkapi/${encodeURIComponent(route.id)}`;
    case 'requests':
      return '#/permohonan';
    case 'request':
      return `#/permohonan/${encodeURIComponent(route.id)}`;
    case 'handoff':
      return `#/permohonan/${encodeURIComponent(route.id)}/serahkan`;
    case 'sms':
      return `#/permohonan/${encodeURIComponent(route.id)}/sms`;
    case 'carried':
      return '#/titipan';
    case 'backupSave':
      return '#/cadangan/simpan';
    case 'backupOpen':
      return '#/cadangan/buka';
    case 'officer':
      return '#/petugas';
    case 'inbox':
      return '#/petugas/kotak-masuk';
    case 'inboxItem':
      return `#/petugas/kotak-masuk/${encodeURIComponent(route.id)}`;
    case 'fieldWork':
      return '#/petugas/lapangan';
    case 'sops':
      return '#/petugas/sop';
    case 'accounts':
      return '#/petugas/akun';
    case 'registers':
      return '#/petugas/register';
    case 'conflicts':
      return '#/petugas/konflik';
    case 'kpi':
      return '#/petugas/kinerja';
    case 'duplicates':
      return '#/petugas/ganda';
    case 'voterRecap':
      return route.scope ? `#/petugas/rekap/${encodeURIComponent(route.scope)}` : '#/petugas/rekap';
  }
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  if (options.replace) window.location.replace(href(route));
  else window.location.hash = href(route);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
