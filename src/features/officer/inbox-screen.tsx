// The review inbox (online only): requests in the officer's region, each told apart by its subject,
// form, requester and region, with a due date in words ("21 Des 2026 · 14 hari lagi"); filtered
// by status and due date, sorted by arrival or by due date; a page at a time.
import { SelectField } from '../../app/select-field.tsx';
import { Button } from '../../app/button.tsx';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { href } from '../../app/router.ts';
import { listInbox, type InboxFilter, type InboxItem, type RequestStatus } from '../../auth/officer-api.ts';
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

const STATUSES: RequestStatus[] = ['diterima', 'diproses', 'selesai', 'ditolak'];
const DUE_CHOICES = ['all', 'overdue', '3', '7'] as const;
type DueChoice = (typeof DUE_CHOICES)[number];

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

function filterOf(status: RequestStatus | '', due: DueChoice, sort: 'received' | 'due'): InboxFilter {
  return {
    ...(status ? { status } : {}),
    ...(due === 'overdue' ? { overdue: true } : due === 'all' ? {} : { dueWithin: Number(due) }),
    sort,
  };
}

export function InboxScreen() {
  const o = useOfficerText();
  const { t, lang, local, dateTime } = useI18n();
  const [status, setStatus] = useState<RequestStatus | ''>('');
  const [due, setDue] = useState<DueChoice>('all');
  const [sort, setSort] = useState<'received' | 'due'>('due');
  const [filter, setFilter] = useState<InboxFilter>(() => filterOf('', 'all', 'due'));
  const [items, setItems] = useState<InboxItem[]>();
  const [today, setToday] = useState('');
  const [more, setMore] = useState(false);
  const [problem, setProblem] = useState<InboxProblem>();
  const [busy, setBusy] = useState(false);
  const role = useOfficer((s) => s.session?.account.role);
  const mayHandleSubjects = role !== undefined && isRole(role) && hasPermission(role, 'subject_requests.handle');

  const load = useCallback(
    async (offset: number) => {
      setBusy(true);
      const result = await listInbox({ ...filter, offset });
      setBusy(false);
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

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilter(filterOf(status, due, sort));
  }

  return (
    <>
      <h1>{o('inboxHeading')}</h1>
      <form className="filters" onSubmit={apply}>
        <SelectField id="inbox-status" label={o('filterStatus')} value={status} onChange={(e) => setStatus(e.target.value as RequestStatus | '')}>
          <option value="">{o('filterAll')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {o(`status_${s}` as OfficerKey)}
            </option>
          ))}
        </SelectField>
        <SelectField id="inbox-due" label={o('filterDue')} value={due} onChange={(e) => setDue(e.target.value as DueChoice)}>
          {DUE_CHOICES.map((d) => (
            <option key={d} value={d}>
              {o(`due_${d}` as OfficerKey)}
            </option>
          ))}
        </SelectField>
        <SelectField id="inbox-sort" label={o('sortLabel')} value={sort} onChange={(e) => setSort(e.target.value as 'received' | 'due')}>
          <option value="due">{o('sort_due')}</option>
          <option value="received">{o('sort_received')}</option>
        </SelectField>
        <div className="actions">
          <Button variant="primary" type="submit">{o('showFilter')}</Button>
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
