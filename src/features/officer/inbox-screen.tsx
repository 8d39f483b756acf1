// The review inbox (online only): requests in the officer's region, newest first, with their due
// date and overdue ones marked; a status filter; a page at a time.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { href } from '../../app/router.ts';
import { listInbox, type InboxItem, type RequestStatus } from '../../auth/officer-api.ts';
import { onTokenRefused } from '../../auth/lock-control.ts';
import { hasPermission, isRole } from '../../../core/auth/roles.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { SubjectRequestsSection } from './subject-requests-section.tsx';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { regionName } from './region-name.ts';

const STATUSES: RequestStatus[] = ['diterima', 'diproses', 'selesai', 'ditolak'];

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

export function InboxScreen() {
  const o = useOfficerText();
  const { t, dateTime } = useI18n();
  const [status, setStatus] = useState<RequestStatus | ''>('');
  const [overdue, setOverdue] = useState(false);
  const [filter, setFilter] = useState<{ status?: RequestStatus; overdue: boolean }>({ overdue: false });
  const [items, setItems] = useState<InboxItem[]>();
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
    setFilter({ ...(status ? { status } : {}), overdue });
  }

  return (
    <>
      <h1>{o('inboxHeading')}</h1>
      <form className="filters" onSubmit={apply}>
        <div className="field">
          <label htmlFor="inbox-status">{o('filterStatus')}</label>
          <select id="inbox-status" value={status} onChange={(e) => setStatus(e.target.value as RequestStatus | '')}>
            <option value="">{o('filterAll')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {o(`status_${s}` as OfficerKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <input id="inbox-overdue" type="checkbox" checked={overdue} onChange={(e) => setOverdue(e.target.checked)} />{' '}
          <label htmlFor="inbox-overdue" style={{ display: 'inline' }}>
            {o('filterOverdue')}
          </label>
        </div>
        <div className="actions">
          <button type="submit">{o('showFilter')}</button>
          <button type="button" onClick={() => void load(0)}>
            {o('refresh')}
          </button>
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
          {items.map((item) => (
            <li key={item.id} data-testid="inbox-item" data-id={item.id} data-overdue={item.overdue ? 'true' : undefined}>
              <a href={href({ name: 'inboxItem', id: item.id })}>
                <StatusBadge status={item.status} />
                {item.overdue && (
                  <span className="badge" data-state="needs_fix">
                    {o('overdue')}
                  </span>
                )}
                <span className="title">
                  {item.receipt} · {item.formId}
                </span>
                <span className="meta">
                  {o('receivedOn', { date: dateTime(item.receivedAt) })} · {item.dueOn ? o('dueOn', { date: item.dueOn }) : o('noDue')} ·{' '}
                  {regionName(item.regionCode)}
                  {item.fromOfficer ? ` · ${o('fromOfficer')}` : ''}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {more && (
        <button type="button" disabled={busy} onClick={() => void load(items?.length ?? 0)}>
          {t('loadMore')}
        </button>
      )}
      <p>
        <a href={href({ name: 'officer' })}>{o('back')}</a>
      </p>
    </>
  );
}
