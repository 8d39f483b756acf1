// Data subjects' open requests (UU 27/2022) above the inbox, each with the 3×24 h clock the law
// sets, ticking each half minute. The clock runs on the server's time (the answer carries it), so
// a phone whose clock is off still shows the real time left.
import { useEffect, useState } from 'react';
import { subjectClock, type SubjectRequestView } from '../../../core/privacy/subject-request.ts';
import { listOpenSubjectRequests } from '../../auth/officer-api.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { regionName } from './region-name.ts';

const TICK_MS = 30_000;

export function SubjectRequestsSection() {
  const o = useOfficerText();
  const { dateTime } = useI18n();
  const [items, setItems] = useState<SubjectRequestView[]>();
  const [skewMs, setSkewMs] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [problem, setProblem] = useState<'inboxOffline' | 'inboxFailed'>();

  useEffect(() => {
    let live = true;
    void listOpenSubjectRequests().then((result) => {
      if (!live) return;
      // A refused token is the inbox's to report (it asks for a login); this section just stays empty.
      if (result.kind === 'unauthorized' || result.kind === 'forbidden') return;
      if (result.kind !== 'ok') return setProblem(result.kind === 'offline' ? 'inboxOffline' : 'inboxFailed');
      setSkewMs(Date.parse(result.body.now) - Date.now());
      setItems(result.body.items);
    });
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  return (
    <section aria-labelledby="subject-requests-heading" data-testid="subject-requests">
      <h2 id="subject-requests-heading">{o('subjectRequestsHeading')}</h2>
      <p className="meta">{o('subjectRequestsIntro')}</p>
      {problem && (
        <p className="notice bad" role="alert">
          {o(problem)}
        </p>
      )}
      {items && items.length === 0 && <p>{o('subjectRequestsEmpty')}</p>}
      {items && items.length > 0 && (
        <ul className="list">
          {items.map((r) => {
            const clock = subjectClock(r.dueAt, new Date(now + skewMs));
            return (
              <li key={r.id} data-testid="subject-request" data-overdue={clock.overdue ? 'true' : undefined}>
                <span className="badge" data-state={clock.overdue ? 'needs_fix' : 'queued'} role="timer">
                  {o(clock.overdue ? 'subjectOverdue' : 'subjectTimeLeft', { h: clock.hours, m: clock.minutes })}
                </span>
                <span className="title">{o(`subjectKind_${r.kind}` as OfficerKey)}</span>
                <span className="meta">
                  {o('receivedOn', { date: dateTime(r.receivedAt) })} · <time dateTime={r.dueAt}>{dateTime(r.dueAt)}</time> · {regionName(r.regionCode)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
