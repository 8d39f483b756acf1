// One request from the inbox (its read is audited on the server): what the applicant filled in,
// its status and due date, and the status move with an answer text.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { href } from '../../app/router.ts';
import { changeStatus, readRequest, type InboxRequest, type RequestStatus } from '../../auth/officer-api.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { problemOf, StatusBadge, type InboxProblem } from './inbox-screen.tsx';
import { regionName } from './region-name.ts';

type Target = Exclude<RequestStatus, 'diterima'>;

/** The moves a request in `status` may make next. */
export function nextStatuses(status: RequestStatus): Target[] {
  if (status === 'diterima') return ['diproses', 'selesai', 'ditolak'];
  if (status === 'diproses') return ['selesai', 'ditolak'];
  return [];
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function InboxRequestScreen({ id }: { id: string }) {
  const o = useOfficerText();
  const { dateTime } = useI18n();
  const [request, setRequest] = useState<InboxRequest>();
  const [problem, setProblem] = useState<InboxProblem | 'notFound'>();
  const [target, setTarget] = useState<Target | ''>('');
  const [answer, setAnswer] = useState('');
  const [fieldError, setFieldError] = useState<OfficerKey>();
  const [outcome, setOutcome] = useState<string>();
  const [busy, setBusy] = useState(false);
  const answerRef = useRef<HTMLTextAreaElement>(null);

  async function load() {
    const result = await readRequest(id);
    if (result.kind === 'ok') {
      setRequest(result.body);
      setProblem(undefined);
      setTarget(nextStatuses(result.body.status)[0] ?? '');
    } else setProblem(result.kind === 'refused' && result.status === 404 ? 'notFound' : problemOf(result.kind));
  }

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!request || !target) return;
    if (target !== 'diproses' && !answer.trim()) {
      setFieldError('answerMissing');
      return answerRef.current?.focus();
    }
    setFieldError(undefined);
    setBusy(true);
    const result = await changeStatus(request.id, target, answer);
    setBusy(false);
    if (result.kind === 'ok') {
      setOutcome(o('statusSaved', { status: o(`status_${result.body.status}` as OfficerKey) }));
      setAnswer('');
      return load();
    }
    if (result.kind === 'refused' && result.status === 409) setOutcome(o('statusConflict', { from: o(`status_${request.status}` as OfficerKey) }));
    else if (result.kind === 'refused' && result.status === 400) {
      setFieldError('answerMissing');
      answerRef.current?.focus();
    } else setProblem(problemOf(result.kind));
  }

  const moves = request ? nextStatuses(request.status) : [];
  return (
    <>
      <h1>{o('requestHeading', { receipt: request?.receipt ?? '' })}</h1>
      {problem && (
        <p className="notice bad" role="alert" data-testid="inbox-problem">
          {o(problem)}
        </p>
      )}
      {request && (
        <>
          <p data-testid="request-status">
            <StatusBadge status={request.status} />
            {request.overdue && (
              <span className="badge" data-state="needs_fix">
                {o('overdue')}
              </span>
            )}
            <span className="meta">
              {o('receivedOn', { date: dateTime(request.receivedAt) })} · {request.dueOn ? o('dueOn', { date: request.dueOn }) : o('noDue')} ·{' '}
              {regionName(request.regionCode)}
            </span>
          </p>
          <h2>{o('requestData')}</h2>
          <dl className="card" data-testid="request-data">
            {Object.entries(request.data).map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{show(value)}</dd>
              </div>
            ))}
          </dl>
          {request.answer && (
            <>
              <h2>{o('currentAnswer')}</h2>
              <p data-testid="request-answer">{request.answer}</p>
            </>
          )}
          {outcome && (
            <p className="notice" role="status" data-testid="status-outcome">
              {outcome}
            </p>
          )}
          {moves.length > 0 && (
            <form noValidate onSubmit={save} aria-busy={busy} aria-labelledby="status-title">
              <h2 id="status-title">{o('changeStatusHeading')}</h2>
              <div className="field">
                <label htmlFor="status-target">{o('newStatus')}</label>
                <select id="status-target" value={target} disabled={busy} onChange={(e) => setTarget(e.target.value as Target)}>
                  {moves.map((s) => (
                    <option key={s} value={s}>
                      {o(`status_${s}` as OfficerKey)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="status-answer">{o('answerText')}</label>
                <p className="hint" id="status-answer-help">
                  {o('answerHelp')}
                </p>
                <textarea
                  ref={answerRef}
                  id="status-answer"
                  value={answer}
                  maxLength={4000}
                  disabled={busy}
                  aria-invalid={fieldError ? true : undefined}
                  aria-describedby={fieldError ? 'status-answer-help status-answer-error' : 'status-answer-help'}
                  onChange={(e) => setAnswer(e.target.value)}
                />
                {fieldError && (
                  <p className="error" id="status-answer-error">
                    {o(fieldError)}
                  </p>
                )}
              </div>
              <div className="actions">
                <button type="submit" className="primary" disabled={busy}>
                  {o('saveStatus')}
                </button>
                <span role="status" className="meta">
                  {busy && o('savingStatus')}
                </span>
              </div>
            </form>
          )}
        </>
      )}
      <p>
        <a href={href({ name: 'inbox' })}>{o('back')}</a>
      </p>
    </>
  );
}
