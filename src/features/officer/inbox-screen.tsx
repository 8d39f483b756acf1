// The review inbox (online only): requests in the officer's region, each told apart by its subject,
// form, requester and region, with a due date in words ("21 Des 2026 · 14 hari lagi"); filtered by
// status, service, region, assignment, date received and due date, searched by receipt number, NIK
// or name (audited on the server), sorted by arrival or by due date; a page at a time. The filters
// live in the page address (but the search term, which stays in memory: inbox-filters.ts), so the
// back button returns to the same list.
import { SelectField } from '../../app/select-field.tsx';
import { Button } from '../../app/button.tsx';
import { InputField } from '../../app/input-field.tsx';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { db } from '../../db/open-db.ts';
import { listOfferedForms } from '../../db/forms-cache.ts';
import { href } from '../../app/router.ts';
import { listInbox, type InboxItem, type RequestStatus } from '../../auth/officer-api.ts';
import { onTokenRefused } from '../../auth/lock-control.ts';
import { hasPermission, isRole } from '../../../core/auth/roles.ts';
import { daysBetween } from '../../../core/calendar/days.ts';
import { humanDay } from '../../../core/forms/answer-rows.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { SubjectRequestsSection } from './subject-requests-section.tsx';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { regionName } from './region-name.ts';
import type { Lang } from '../../../core/local-text.ts';
import { SERVER_STATUSES } from '../../../core/protocol.ts';
import { useInboxFilterText } from './inbox-filter-text.ts';
import {
  apiFilter,
  ASSIGNED_CHOICES,
  DEFAULT_FILTER,
  DUE_CHOICES,
  filterProblems,
  filterQuery,
  initialFilter,
  regionChoices,
  rememberFilter,
  type AssignedChoice,
  type DueChoice,
  type FilterProblem,
  type FilterState,
} from './inbox-filters.ts';

const STATUSES: readonly RequestStatus[] = SERVER_STATUSES;

export type InboxProblem = 'inboxOffline' | 'inboxForbidden' | 'inboxFailed' | 'needsRelogin';

export function problemOf(kind: string): InboxProblem {
  if (kind === 'offline') return 'inboxOffline';
  if (kind === 'forbidden') return 'inboxForbidden';
  if (kind === 'unauthorized') {
    void onTokenRefused();
    return 'needsRelogin';
  }
  return 'inboxFailed';
}

export function StatusBadge({ status }: { status: RequestStatus }) {
  const o = useOfficerText();
  const state = status === 'selesai' ? 'sent' : status === 'ditolak' ? 'needs_fix' : status === 'diproses' ? 'answered' : 'queued';
  return (
    <span className="badge" data-state={state} data-status={status}>
      {o(`status_${status}` as OfficerKey)}
    </span>
  );
}

/** "Tenggat 21 Des 2026 · 14 hari lagi" while open; only the date once answered. */
export function dueText(o: ReturnType<typeof useOfficerText>, lang: Lang, item: { dueOn: string | null; status: RequestStatus }, today: string): string {
  if (!item.dueOn) return o('noDue');
  const date = humanDay(item.dueOn, lang);
  if (item.status !== 'diterima' && item.status !== 'diproses') return o('dueOn', { date });
  const left = daysBetween(today, item.dueOn);
  if (left > 1) return o('dueLeft', { date, n: left });
  if (left === 1) return o('dueTomorrow', { date });
  if (left === 0) return o('dueToday', { date });
  return left === -1 ? o('dueLateOne', { date }) : o('dueLate', { date, n: -left });
}

/** A refusal the server gave for a filter, beside the field it concerns. */
function refusedField(code: string): { field: 'q' | 'receivedTo'; problem: FilterProblem } | undefined {
  if (code === 'invalid_search') return { field: 'q', problem: 'searchInvalid' };
  if (code === 'invalid_date_range') return { field: 'receivedTo', problem: 'rangeReversed' };
  if (code === 'invalid_date') return { field: 'receivedTo', problem: 'dateInvalid' };
  return undefined;
}

export function InboxScreen() {
  const o = useOfficerText();
  const f = useInboxFilterText();
  const { t, lang, local, dateTime } = useI18n();
  const account = useOfficer((s) => s.session?.account);
  const [draft, setDraft] = useState<FilterState>(() => initialFilter(window.location.hash, account?.id));
  const [filter, setFilter] = useState<FilterState>(draft);
  const [errors, setErrors] = useState<ReturnType<typeof filterProblems>>({});
  const [items, setItems] = useState<InboxItem[]>();
  const [today, setToday] = useState('');
  const [more, setMore] = useState(false);
  const [problem, setProblem] = useState<InboxProblem>();
  const [busy, setBusy] = useState(false);
  const role = account?.role;
  const mayHandleSubjects = role !== undefined && isRole(role) && hasPermission(role, 'subject_requests.handle');
  const maySearch = role !== undefined && isRole(role) && hasPermission(role, 'inbox.read');
  const forms = useLiveQuery(() => listOfferedForms(db), []);
  const regions = account ? regionChoices(account.scope) : [];

  const load = useCallback(
    async (offset: number) => {
      setBusy(true);
      const result = await listInbox({ ...apiFilter(filter), offset });
      setBusy(false);
      if (result.kind === 'refused' && refusedField(result.code)) {
        const refused = refusedField(result.code)!;
        setItems(undefined);
        return setErrors({ [refused.field]: refused.problem });
      }
      if (result.kind !== 'ok') return setProblem(problemOf(result.kind));
      setProblem(undefined);
      setToday(result.body.today);
      setItems((prev) => (offset === 0 ? result.body.items : [...(prev ?? []), ...result.body.items]));
      setMore(result.body.more);
    },
    [filter],
  );

  useEffect(() => {
    void load(0);
  }, [load]);

  // The filters in the address (replaced, not pushed: a filter change is not a page to go back to), and in memory.
  useEffect(() => {
    const query = filterQuery(filter);
    const base = href({ name: 'inbox' });
    const wanted = query ? `${base}?${query}` : base;
    if (window.location.hash !== wanted) window.history.replaceState(window.history.state, '', wanted);
    if (account) rememberFilter(account.id, filter);
  }, [filter, account]);

  const set = <K extends keyof FilterState>(key: K, value: FilterState[K]) => setDraft((d) => ({ ...d, [key]: value }));

  function apply(event: FormEvent) {
    event.preventDefault();
    const problems = filterProblems(draft);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setFilter({ ...draft, q: draft.q.trim() });
  }

  function clear() {
    setErrors({});
    setDraft(DEFAULT_FILTER);
    setFilter(DEFAULT_FILTER);
  }

  return (
    <>
      <h1>{o('inboxHeading')}</h1>
      <form className="filters" onSubmit={apply} noValidate>
        {maySearch && (
          <InputField
            id="inbox-search"
            type="search"
            label={f('search')}
            help={f('searchHelp')}
            error={errors.q ? f(errors.q) : undefined}
            value={draft.q}
            autoComplete="off"
            maxLength={64}
            onChange={(e) => set('q', e.target.value)}
          />
        )}
        <SelectField id="inbox-status" label={o('filterStatus')} value={draft.status} onChange={(e) => set('status', e.target.value as RequestStatus | '')}>
          <option value="">{o('filterAll')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {o(`status_${s}` as OfficerKey)}
            </option>
          ))}
        </SelectField>
        <SelectField id="inbox-form" label={f('service')} value={draft.form} onChange={(e) => set('form', e.target.value)}>
          <option value="">{f('serviceAll')}</option>
          {(forms ?? []).map((form) => (
            <option key={form.formId} value={form.formId}>
              {local(form.title)}
            </option>
          ))}
          {draft.form && forms && !forms.some((x) => x.formId === draft.form) && <option value={draft.form}>{draft.form}</option>}
        </SelectField>
        {regions.length > 0 && (
          <SelectField id="inbox-region" label={f('region')} value={draft.region} onChange={(e) => set('region', e.target.value)}>
            <option value="">{f('regionAll')}</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField id="inbox-assigned" label={f('assigned')} value={draft.assigned} onChange={(e) => set('assigned', e.target.value as AssignedChoice)}>
          {ASSIGNED_CHOICES.map((a) => (
            <option key={a} value={a}>
              {f(`assigned_${a}`)}
            </option>
          ))}
        </SelectField>
        <InputField
          id="inbox-from"
          type="date"
          label={f('receivedFrom')}
          error={errors.receivedFrom ? f(errors.receivedFrom) : undefined}
          value={draft.receivedFrom}
          onChange={(e) => set('receivedFrom', e.target.value)}
        />
        <InputField
          id="inbox-to"
          type="date"
          label={f('receivedTo')}
          error={errors.receivedTo ? f(errors.receivedTo) : undefined}
          value={draft.receivedTo}
          onChange={(e) => set('receivedTo', e.target.value)}
        />
        <SelectField id="inbox-due" label={o('filterDue')} value={draft.due} onChange={(e) => set('due', e.target.value as DueChoice)}>
          {DUE_CHOICES.map((d) => (
            <option key={d} value={d}>
              {o(`due_${d}` as OfficerKey)}
            </option>
          ))}
        </SelectField>
        <SelectField id="inbox-sort" label={o('sortLabel')} value={draft.sort} onChange={(e) => set('sort', e.target.value as 'received' | 'due')}>
          <option value="due">{o('sort_due')}</option>
          <option value="received">{o('sort_received')}</option>
        </SelectField>
        <div className="actions">
          <Button variant="primary" type="submit">{o('showFilter')}</Button>
          <Button onClick={clear}>{f('clear')}</Button>
          <Button onClick={() => void load(0)}>
            {o('refresh')}
          </Button>
        </div>
      </form>
      {problem && (
        <p className="notice bad" role="alert" data-testid="inbox-problem">
          {o(problem)} {problem === 'needsRelogin' && <a href={href({ name: 'officer' })}>{o('reloginHeading')}</a>}
        </p>
      )}
      <p role="status" className="meta">
        {busy ? o('loggingIn') : ''}
      </p>
      {mayHandleSubjects && <SubjectRequestsSection />}
      {items && items.length === 0 && !problem && <p>{o('inboxEmpty')}</p>}
      {items && items.length > 0 && (
        <ul className="list" data-testid="inbox-list">
          {items.map((item) => {
            const form = item.formTitle ? local(item.formTitle) : o('formUnknown', { formId: item.formId });
            return (
              <li key={item.id} data-testid="inbox-item" data-id={item.id} data-overdue={item.overdue ? 'true' : undefined}>
                <a href={href({ name: 'inboxItem', id: item.id })}>
                  <StatusBadge status={item.status} />
                  {item.overdue && (
                    <span className="badge" data-state="needs_fix">
                      {o('overdue')}
                    </span>
                  )}
                  <span className="title" data-testid="inbox-subject">
                    {item.subject ? local(item.subject) : form}
                  </span>
                  <span className="meta line" data-testid="inbox-who">
                    {item.subject ? `${form} · ` : ''}
                    {item.requester ? `${o('fromName', { name: item.requester })} · ` : ''}
                    {regionName(item.regionCode)}
                    {item.fromOfficer ? ` · ${o('fromOfficer')}` : ''}
                  </span>
                  <span className="meta line" data-testid="inbox-due">
                    <strong>{dueText(o, lang, item, today)}</strong> · {o('receivedOn', { date: dateTime(item.receivedAt) })} ·{' '}
                    {o('receiptNo', { receipt: item.receipt })}
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
      {more && (
        <Button disabled={busy} onClick={() => void load(items?.length ?? 0)}>
          {t('loadMore')}
        </Button>
      )}
      <p>
        <a className="link-row" href={href({ name: 'officer' })}>{o('back')}</a>
      </p>
    </>
  );
}
