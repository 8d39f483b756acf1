// The inbox's filters as the screen holds them: read from and written to the page address (so a
// reload, a bookmark or the browser's back button brings the same list), except the search term,
// which may be a NIK or a name and so stays out of the address and the browser's history: it is
// kept in memory only, for going back to the list within the session. Pure but for that memory.
import { covers } from '../../../core/auth/scope.ts';
import { isValidDate } from '../../../core/forms/validate.ts';
import { searchKind } from '../../../core/office/inbox-search.ts';
import { SERVER_STATUSES } from '../../../core/protocol.ts';
import { PROVINCE_CODE, REGENCIES } from '../../../core/regions.ts';
import { REGION_CATALOG } from '../../../core/regions/catalog.generated.ts';
import { districtsOf, levelOf, villagesOf } from '../../../core/regions/lookup.ts';
import type { InboxFilter, RequestStatus } from '../../auth/officer-api.ts';

export const DUE_CHOICES = ['all', 'overdue', '3', '7'] as const;
export type DueChoice = (typeof DUE_CHOICES)[number];
export const ASSIGNED_CHOICES = ['all', 'me', 'none'] as const;
export type AssignedChoice = (typeof ASSIGNED_CHOICES)[number];

export interface FilterState {
  status: RequestStatus | '';
  form: string;
  region: string;
  assigned: AssignedChoice;
  receivedFrom: string;
  receivedTo: string;
  due: DueChoice;
  sort: 'received' | 'due';
  q: string;
}

export const DEFAULT_FILTER: FilterState = {
  status: '',
  form: '',
  region: '',
  assigned: 'all',
  receivedFrom: '',
  receivedTo: '',
  due: 'all',
  sort: 'due',
  q: '',
};

const FORM_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const oneOf = <T extends string>(list: readonly T[], value: string | null): value is T => value !== null && (list as readonly string[]).includes(value);

/** The address's part for the filters that differ from the default; never the search term. */
export function filterQuery(f: FilterState): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.form) q.set('layanan', f.form);
  if (f.region) q.set('wilayah', f.region);
  if (f.assigned !== 'all') q.set('tugas', f.assigned);
  if (f.receivedFrom) q.set('sejak', f.receivedFrom);
  if (f.receivedTo) q.set('sampai', f.receivedTo);
  if (f.due !== 'all') q.set('tenggat', f.due);
  if (f.sort !== 'due') q.set('urut', f.sort);
  return q.toString();
}

/** The filters an address names; a value that is not one the screen offers is left at its default. */
export function parseFilterQuery(query: string, q = ''): FilterState {
  const p = new URLSearchParams(query);
  const status = p.get('status');
  const form = p.get('layanan');
  const region = p.get('wilayah');
  const assigned = p.get('tugas');
  const from = p.get('sejak');
  const to = p.get('sampai');
  const due = p.get('tenggat');
  const sort = p.get('urut');
  return {
    status: oneOf(SERVER_STATUSES, status) ? status : '',
    form: form !== null && FORM_ID.test(form) ? form : '',
    region: region !== null && (region === PROVINCE_CODE || levelOf(region) !== undefined) ? region : '',
    assigned: oneOf(ASSIGNED_CHOICES, assigned) ? assigned : 'all',
    receivedFrom: from !== null && isValidDate(from) ? from : '',
    receivedTo: to !== null && isValidDate(to) ? to : '',
    due: oneOf(DUE_CHOICES, due) ? due : 'all',
    sort: sort === 'received' ? 'received' : 'due',
    q,
  };
}

export type FilterProblem = 'searchInvalid' | 'rangeReversed' | 'dateInvalid';

/** What is wrong with the filters, by field, said beside that field before anything is asked of the server. */
export function filterProblems(f: FilterState): Partial<Record<'q' | 'receivedFrom' | 'receivedTo', FilterProblem>> {
  const out: Partial<Record<'q' | 'receivedFrom' | 'receivedTo', FilterProblem>> = {};
  if (f.q.trim() && searchKind(f.q.trim()) === undefined) out.q = 'searchInvalid';
  if (f.receivedFrom && !isValidDate(f.receivedFrom)) out.receivedFrom = 'dateInvalid';
  if (f.receivedTo && !isValidDate(f.receivedTo)) out.receivedTo = 'dateInvalid';
  else if (f.receivedFrom && f.receivedTo && !out.receivedFrom && f.receivedTo < f.receivedFrom) out.receivedTo = 'rangeReversed';
  return out;
}

/** The request the list is asked with. */
export function apiFilter(f: FilterState): InboxFilter {
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(f.form ? { form: f.form } : {}),
    ...(f.region ? { region: f.region } : {}),
    ...(f.assigned !== 'all' ? { assigned: f.assigned } : {}),
    ...(f.receivedFrom ? { receivedFrom: f.receivedFrom } : {}),
    ...(f.receivedTo ? { receivedTo: f.receivedTo } : {}),
    ...(f.due === 'overdue' ? { overdue: true } : f.due === 'all' ? {} : { dueWithin: Number(f.due) }),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    sort: f.sort,
  };
}

/** The regions one level below a scope, to narrow the list to (none below a village). */
export function regionChoices(scope: string): { code: string; name: string }[] {
  if (scope === PROVINCE_CODE) return REGENCIES.map((r) => ({ code: r.code, name: r.name }));
  const level = levelOf(scope);
  const below = level === 'regency' ? districtsOf(REGION_CATALOG, scope) : level === 'district' ? villagesOf(REGION_CATALOG, scope) : [];
  return below.filter((r) => covers(scope, r.code)).map((r) => ({ code: r.code, name: r.name }));
}

// The last filters used, search term included, for coming back to the list in this session; only
// for the account that used them (another officer logging in on the same phone starts afresh).
let remembered: { account: string; filter: FilterState } | undefined;

export function rememberFilter(account: string, f: FilterState): void {
  remembered = { account, filter: f };
}

/** The filters to open the list with: the address's, if it names any; else the last used; else the defaults. */
export function initialFilter(hash: string, account: string | undefined): FilterState {
  const last = remembered && remembered.account === account ? remembered.filter : undefined;
  const at = hash.indexOf('?');
  if (at >= 0) return parseFilterQuery(hash.slice(at + 1), last?.q ?? '');
  return last ?? DEFAULT_FILTER;
}
