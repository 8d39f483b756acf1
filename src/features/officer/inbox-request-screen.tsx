// One request from the inbox (its read is audited on the server): the form's name, what the
// applicant filled in under the form's own labels and in its order (codes shown by name: the
// office, the region, the choice), its status and due date in words, and the status move with an
// answer text.
import { SelectField } from '../../app/select-field.tsx';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { href } from '../../app/router.ts';
import { changeStatus, readRequest, type InboxRequest, type RequestStatus } from '../../auth/officer-api.ts';
import { answerRows, type AnswerRow } from '../../../core/forms/answer-rows.ts';
import { REFUSAL_GROUNDS } from '../../../core/office/refusal-grounds.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import { REGIONS } from '../../../core/forms/full-context.ts';
import { todayInWib } from '../../../core/forms/context.ts';
import { db } from '../../db/open-db.ts';
import { getForm } from '../../db/forms-cache.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { useOfficerText, type OfficerKey } from './officer-text.ts';
import { dueText, problemOf, StatusBadge, type InboxProblem } from './inbox-screen.tsx';
import { regionName } from './region-name.ts';
import { SendRow } from '../../app/send-row.tsx';

const PLACES = { region: (code: string) => REGIONS.nameOf(code), island: (code: string) => REGIONS.nameOf(code) };

function Rows({ rows }: { rows: readonly AnswerRow[] }) {
  return (
    <>
      {rows.map((row) => (
        <div key={row.name} data-field={row.name}>
          <dt>{row.label}</dt>
          <dd className="answer">
            {row.value}
            {row.entries?.map((entry, i) => (
              <dl key={i} className="card">
                <Rows rows={entry} />
              </dl>
            ))}
          </dd>
        </div>
      ))}
    </>
  );
}

type Target = Exclude<RequestStatus, 'diterima'>;

/** The moves a request in `status` may make next. */
export function nextStatuses(status: RequestStatus): Target[] {
  if (status === 'diterima') return ['diproses', 'selesai', 'ditolak'];
  if (status === 'diproses') return ['selesai', 'ditolak'];
  return [];
}

export function InboxRequestScreen({ id }: { id: string }) {
  const o = useOfficerText();
  const { dateTime, lang, local } = useI18n();
  const [request, setRequest] = useState<InboxRequest>();
  const [form, setForm] = useState<FormDef>();
  const [problem, setProblem] = useState<InboxProblem | 'notFound'>();
  const [target, setTarget] = useState<Target | ''>('');
  const [answer, setAnswer] = useState('');
  const [ground, setGround] = useState('');
  const [fieldError, setFieldError] = useState<OfficerKey>();
  const [outcome, setOutcome] = useState<string>();
  const [busy, setBusy] = useState(false);
  const answerRef = useRef<HTMLTextAreaElement>(null);

  async function load() {
    const result = await readRequest(id);
    if (result.kind === 'ok') {
      setForm(await getForm(db, result.body.formId, result.body.formVersion));
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
    const result = await changeStatus(request.id, target, answer, target === 'ditolak' ? ground : undefined);
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
  const title = request?.formTitle ? local(request.formTitle) : form ? local(form.title) : o('requestHeading');
  // Without the definition on this device (a version not yet pulled), the answers under their keys.
  const rows: AnswerRow[] = !request
    ? []
    : form
      ? answerRows(form, request.data, lang, PLACES)
      : Object.entries(request.data).map(([name, value]) => ({ name, label: name, value: typeof value === 'string' ? value : JSON.stringify(value) }));
  return (
    <>
      <h1>{title}</h1>
      {request && (
        <p className="meta" data-testid="request-receipt">
          {o('receiptNo', { receipt: request.receipt })}
        </p>
      )}
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
            <span className="meta line" data-testid="request-due">
              <strong>{dueText(o, lang, request, todayInWib())}</strong>
            </span>
            <span className="meta line">
              {o('receivedOn', { date: dateTime(request.receivedAt) })} · {regionName(request.regionCode)}
            </span>
          </p>
          <h2>{o('requestData')}</h2>
          <dl className="card" data-testid="request-data">
            <Rows rows={rows} />
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
              <SelectField id="status-target" label={o('newStatus')} value={target} disabled={busy} onChange={(e) => setTarget(e.target.value as Target)}>
                {moves.map((s) => (
                  <option key={s} value={s}>
                    {o(`status_${s}` as OfficerKey)}
                  </option>
                ))}
              </SelectField>
              {target === 'ditolak' && (
                <SelectField id="status-ground" label={o('refusalGround')} value={ground} disabled={busy} onChange={(e) => setGround(e.target.value)}>
                  <option value="">{o('chooseGround')}</option>
                  {REFUSAL_GROUNDS.map((g) => (
                    <option key={g.code} value={g.code}>
                      {local(g.label)}
                    </option>
                  ))}
                </SelectField>
              )}
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
              <SendRow label={o('saveStatus')} busy={busy} busyText={o('savingStatus')} />
            </form>
          )}
        </>
      )}
      <p>
        <a className="link-row" href={href({ name: 'inbox' })}>{o('back')}</a>
      </p>
    </>
  );
}
