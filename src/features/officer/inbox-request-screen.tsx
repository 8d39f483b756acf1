// One request from the inbox (its read is audited on the server): the form's name, what the
// applicant filled in under the form's own labels and in its order (codes shown by name: the
// office, the region, the choice), its status and due date in words, the status move with an
// answer text (a refusal of a PPID request with its ground), the return for completion (a reason
// and the fields to complete), its photos and documents (whether each arrived, and those a
// completion replaced), the versions it went through, the internal notes (staff only, never sent to
// the resident) and who is in charge. Each problem is said beside the field that caused it.
import { SelectField } from '../../app/select-field.tsx';
import { ChecksField, TextAreaField } from '../../app/input-field.tsx';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { href } from '../../app/router.ts';
import {
  addNote,
  assignRequest,
  changeStatus,
  listAccounts,
  readRequest,
  returnForCompletion,
  type InboxRequest,
  type ManagedAccount,
  type RequestStatus,
} from '../../auth/officer-api.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { hasPermission, isRole } from '../../../core/auth/roles.ts';
import { answerRows, type AnswerRow } from '../../../core/forms/answer-rows.ts';
import { needsRefusalGround, REFUSAL_GROUNDS } from '../../../core/office/refusal-grounds.ts';
import { completableFields } from '../../../core/office/return-fields.ts';
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
import { Button } from '../../app/button.tsx';

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
  // Waiting for the resident's completion: the office may still refuse (server/services/status-rules.ts).
  if (status === 'perlu_dilengkapi') return ['ditolak'];
  return [];
}

/** Whether a request in `status` may be sent back for completion. */
export function returnable(status: RequestStatus): boolean {
  return status === 'diterima' || status === 'diproses';
}

/** `region` lies in `scope` (the scope itself or inside it). */
function covers(scope: string, region: string): boolean {
  return region === scope || region.startsWith(`${scope}.`);
}

/** Accounts that may be put in charge of a request in `region`: active, may read requests, scope covering it. */
export function assignable(accounts: readonly ManagedAccount[], region: string): ManagedAccount[] {
  return accounts.filter((a) => !a.disabled && isRole(a.role) && hasPermission(a.role, 'inbox.read') && covers(a.scope, region));
}

/** The form's fields a return may name, under their labels. */
function returnOptions(form: FormDef | undefined, data: Record<string, unknown>, local: (t: FormDef['title']) => string) {
  if (!form) return Object.keys(data).map((name) => ({ value: name, label: name }));
  // Photos and documents too: the completion carries the new file (core/office/return-fields.ts).
  return completableFields(form).map((f) => ({ value: f.name, label: local(f.label) }));
}

function labelsOf(form: FormDef | undefined, names: readonly string[], local: (t: FormDef['title']) => string): string {
  return names.map((n) => {
    const f = form?.fields.find((x) => x.name === n);
    return f ? local(f.label) : n;
  }).join(', ');
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
  const [groundError, setGroundError] = useState<OfficerKey>();
  const [outcome, setOutcome] = useState<string>();
  const [busy, setBusy] = useState(false);
  const answerRef = useRef<HTMLTextAreaElement>(null);
  const groundRef = useRef<HTMLSelectElement>(null);
  const me = useOfficer((s) => s.session?.account);

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
    const groundMissing = target === 'ditolak' && !ground && needsRefusalGround(request.formId);
    const answerMissing = target !== 'diproses' && !answer.trim();
    setGroundError(groundMissing ? 'groundMissing' : undefined);
    setFieldError(answerMissing ? 'answerMissing' : undefined);
    if (groundMissing) return groundRef.current?.focus();
    if (answerMissing) return answerRef.current?.focus();
    setBusy(true);
    const result = await changeStatus(request.id, target, answer, target === 'ditolak' ? ground : undefined);
    setBusy(false);
    if (result.kind === 'ok') {
      setOutcome(o('statusSaved', { status: o(`status_${result.body.status}` as OfficerKey) }));
      setAnswer('');
      return load();
    }
    if (result.kind === 'refused' && result.status === 409) setOutcome(o('statusConflict', { from: o(`status_${request.status}` as OfficerKey) }));
    else if (result.kind === 'refused' && (result.code === 'ground_required' || result.code === 'unknown_ground')) {
      setGroundError('groundMissing');
      groundRef.current?.focus();
    } else if (result.kind === 'refused' && result.status === 400) {
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
          {request.files && request.files.length > 0 && <Files files={request.files} form={form} />}
          {request.answer && (
            <>
              <h2>{o('currentAnswer')}</h2>
              <p data-testid="request-answer">{request.answer}</p>
            </>
          )}
          {request.status === 'perlu_dilengkapi' && (
            <div className="notice" data-testid="request-returned">
              <strong>{o('returnedWaiting')}</strong>
              <p>{o('returnedFieldsAre', { fields: labelsOf(form, request.fields ?? [], local) })}</p>
            </div>
          )}
          {request.revisions && request.revisions.length > 1 && (
            <>
              <h2>{o('revisionsHeading')}</h2>
              <ol data-testid="request-revisions">
                {request.revisions.map((r) => (
                  <li key={r.revision}>
                    {r.revision === 0
                      ? o('revisionFirst', { date: dateTime(r.receivedAt) })
                      : o('revisionCompleted', { n: String(r.revision), date: dateTime(r.receivedAt), fields: labelsOf(form, r.fields, local) })}
                  </li>
                ))}
              </ol>
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
                <SelectField
                  id="status-ground"
                  ref={groundRef}
                  label={o('refusalGround')}
                  value={ground}
                  disabled={busy}
                  error={groundError && o(groundError)}
                  onChange={(e) => {
                    setGround(e.target.value);
                    if (e.target.value) setGroundError(undefined);
                  }}
                >
                  <option value="">{o('chooseGround')}</option>
                  {REFUSAL_GROUNDS.map((g) => (
                    <option key={g.code} value={g.code}>
                      {local(g.label)}
                    </option>
                  ))}
                </SelectField>
              )}
              <TextAreaField
                id="status-answer"
                ref={answerRef}
                label={o('answerText')}
                help={o('answerHelp')}
                error={fieldError && o(fieldError)}
                value={answer}
                maxLength={4000}
                disabled={busy}
                onChange={(e) => {
                  setAnswer(e.target.value);
                  if (e.target.value.trim()) setFieldError(undefined);
                }}
              />
              <SendRow label={o('saveStatus')} busy={busy} busyText={o('savingStatus')} />
            </form>
          )}
          {returnable(request.status) && (
            <ReturnSection request={request} options={returnOptions(form, request.data, local)} onDone={(text) => {
              setOutcome(text);
              return load();
            }} onProblem={(kind) => setProblem(problemOf(kind))} />
          )}
          <AssignSection request={request} me={me} onDone={(text) => {
            setOutcome(text);
            return load();
          }} onProblem={(kind) => setProblem(problemOf(kind))} />
          <NotesSection request={request} onDone={load} onProblem={(kind) => setProblem(problemOf(kind))} />
        </>
      )}
      <p>
        <a className="link-row" href={href({ name: 'inbox' })}>{o('back')}</a>
      </p>
    </>
  );
}

/** The label of a file's field path ('bukti', 'anggota[1].pasFoto'): the top field's label, as answers are listed. */
function fileFieldLabel(form: FormDef | undefined, path: string, local: (t: FormDef['title']) => string): string {
  const top = /^[^[.]+/.exec(path)?.[0] ?? path;
  const f = form?.fields.find((x) => x.name === top);
  if (!f) return path;
  const entry = /^[^[]+\[(\d+)\]\.(.+)$/.exec(path);
  const sub = entry && f.fields?.find((x) => x.name === entry[2]);
  return entry && sub ? `${local(f.label)} ${Number(entry[1]) + 1} · ${local(sub.label)}` : local(f.label);
}

/** Photos and documents: the current ones with whether they arrived, then those a completion replaced. */
function Files({ files, form }: { files: NonNullable<InboxRequest['files']>; form: FormDef | undefined }) {
  const o = useOfficerText();
  const { local, size } = useI18n();
  return (
    <>
      <h2>{o('filesHeading')}</h2>
      <ul className="list" data-testid="request-files">
        {files.map((f) => (
          <li key={`${f.field}@${f.revision ?? 'now'}`} data-field={f.field} data-arrived={f.arrived} {...(f.revision !== undefined ? { 'data-kept': f.revision } : {})}>
            <strong>{fileFieldLabel(form, f.field, local)}</strong>
            <span className="meta line">
              {f.type}, {size(f.size)} ·{' '}
              {f.revision !== undefined
                ? o('fileKept', { version: f.revision === 0 ? o('versionFirst') : o('versionN', { n: String(f.revision) }) })
                : o(f.arrived ? 'fileArrived' : 'fileWaiting')}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

type Failure = Parameters<typeof problemOf>[0];

/** Send back for completion: a reason the resident reads and at least one of the form's fields. */
function ReturnSection({
  request,
  options,
  onDone,
  onProblem,
}: {
  request: InboxRequest;
  options: { value: string; label: string }[];
  onDone(text: string): Promise<void>;
  onProblem(kind: Failure): void;
}) {
  const o = useOfficerText();
  const [reason, setReason] = useState('');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<{ reason?: OfficerKey; fields?: OfficerKey }>({});
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const fieldsRef = useRef<HTMLInputElement>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    const next = { ...(!reason.trim() ? { reason: 'returnReasonMissing' as const } : {}), ...(picked.size === 0 ? { fields: 'returnFieldsMissing' as const } : {}) };
    setErrors(next);
    if (next.reason) return reasonRef.current?.focus();
    if (next.fields) return fieldsRef.current?.focus();
    setBusy(true);
    const result = await returnForCompletion(request.id, reason, options.map((x) => x.value).filter((v) => picked.has(v)));
    setBusy(false);
    if (result.kind === 'ok') {
      setReason('');
      setPicked(new Set());
      return onDone(o('returnSaved'));
    }
    if (result.kind === 'refused' && result.code === 'reason_required') {
      setErrors({ reason: 'returnReasonMissing' });
      return reasonRef.current?.focus();
    }
    if (result.kind === 'refused' && result.code === 'unknown_field') {
      setErrors({ fields: 'returnFieldsUnknown' });
      return fieldsRef.current?.focus();
    }
    if (result.kind === 'refused' && result.code === 'too_many_revisions') return setErrors({ fields: 'returnTooMany' });
    if (result.kind === 'refused' && result.status === 409) return onDone(o('statusConflict', { from: o(`status_${request.status}` as OfficerKey) }));
    onProblem(result.kind);
  }

  return (
    <form noValidate onSubmit={send} aria-busy={busy} aria-labelledby="return-title" data-testid="return-form">
      <h2 id="return-title">{o('returnHeading')}</h2>
      <p className="hint">{o('returnIntro')}</p>
      <TextAreaField
        id="return-reason"
        ref={reasonRef}
        label={o('returnReason')}
        help={o('returnReasonHelp')}
        error={errors.reason && o(errors.reason)}
        value={reason}
        maxLength={2000}
        disabled={busy}
        onChange={(e) => {
          setReason(e.target.value);
          if (e.target.value.trim()) setErrors((x) => ({ ...x, reason: undefined }));
        }}
      />
      <ChecksField
        id="return-fields"
        ref={fieldsRef}
        legend={o('returnFields')}
        help={o('returnFieldsHelp')}
        error={errors.fields && o(errors.fields)}
        options={options}
        checked={picked}
        disabled={busy}
        onToggle={(value, on) => {
          if (on) setErrors((x) => ({ ...x, fields: undefined }));
          setPicked((current) => {
            const next = new Set(current);
            if (on) next.add(value);
            else next.delete(value);
            return next;
          });
        }}
      />
      <SendRow label={o('returnSend')} busy={busy} busyText={o('savingStatus')} />
    </form>
  );
}

/** Who is in charge: the staff in scope whose own region covers the request (or nobody). */
function AssignSection({
  request,
  me,
  onDone,
  onProblem,
}: {
  request: InboxRequest;
  me: { id: string; displayName: string; role: string } | undefined;
  onDone(text: string): Promise<void>;
  onProblem(kind: Failure): void;
}) {
  const o = useOfficerText();
  const current = request.assignedTo?.id ?? '';
  const [choice, setChoice] = useState(current);
  const [staff, setStaff] = useState<ManagedAccount[]>();
  const [listFailed, setListFailed] = useState(false);
  const [error, setError] = useState<OfficerKey>();
  const [busy, setBusy] = useState(false);

  useEffect(() => setChoice(current), [current]);
  useEffect(() => {
    let live = true;
    void (async () => {
      // The accounts the caller manages, a page at a time (a province holds a few hundred at most).
      const found: ManagedAccount[] = [];
      for (let offset = 0; offset < 1000; offset += 50) {
        const page = await listAccounts(offset);
        if (page.kind !== 'ok') {
          if (live) setListFailed(true);
          break;
        }
        found.push(...page.body.accounts);
        if (!page.body.more) break;
      }
      if (live) setStaff(assignable(found, request.regionCode));
    })();
    return () => {
      live = false;
    };
  }, [request.regionCode]);

  const people = new Map<string, string>();
  if (me && isRole(me.role) && hasPermission(me.role, 'inbox.read')) people.set(me.id, o('assignMe', { name: me.displayName }));
  for (const a of staff ?? []) if (!people.has(a.id)) people.set(a.id, `${a.displayName} (${a.username})`);
  if (request.assignedTo && !people.has(request.assignedTo.id)) people.set(request.assignedTo.id, request.assignedTo.name ?? request.assignedTo.id);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    const result = await assignRequest(request.id, choice || null);
    setBusy(false);
    if (result.kind === 'ok') return onDone(o('assignSaved'));
    if (result.kind === 'refused' && result.code === 'assignee_out_of_scope') return setError('assignOutOfScope');
    onProblem(result.kind);
  }

  return (
    <form noValidate onSubmit={save} aria-busy={busy} aria-labelledby="assign-title" data-testid="assign-form">
      <h2 id="assign-title">{o('assignHeading')}</h2>
      <p data-testid="assigned-to">{request.assignedTo ? o('assignCurrent', { name: request.assignedTo.name ?? request.assignedTo.id }) : o('assignNobody')}</p>
      <SelectField
        id="assign-to"
        label={o('assignTo')}
        help={listFailed ? o('assignListFailed') : undefined}
        error={error && o(error)}
        value={choice}
        disabled={busy}
        onChange={(e) => setChoice(e.target.value)}
      >
        <option value="">{o('assignNone')}</option>
        {[...people].map(([id, name]) => (
          <option key={id} value={id}>
            {name}
          </option>
        ))}
      </SelectField>
      <SendRow label={o('assignSave')} busy={busy} busyText={o('savingStatus')} disabled={choice === current} />
    </form>
  );
}

/** The office's own notes: listed oldest first, one added at a time; never shown to the resident. */
function NotesSection({ request, onDone, onProblem }: { request: InboxRequest; onDone(): Promise<void>; onProblem(kind: Failure): void }) {
  const o = useOfficerText();
  const { dateTime } = useI18n();
  const [text, setText] = useState('');
  const [error, setError] = useState<OfficerKey>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const notes = request.notes ?? [];

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (!text.trim()) {
      setError('noteMissing');
      return ref.current?.focus();
    }
    setError(undefined);
    setBusy(true);
    const result = await addNote(request.id, text);
    setBusy(false);
    if (result.kind === 'ok') {
      setText('');
      setSaved(true);
      return onDone();
    }
    if (result.kind === 'refused' && result.status === 400) {
      setError('noteMissing');
      return ref.current?.focus();
    }
    onProblem(result.kind);
  }

  return (
    <section aria-labelledby="notes-title" data-testid="notes">
      <h2 id="notes-title">{o('notesHeading')}</h2>
      <p className="hint">{o('notesPrivate')}</p>
      {notes.length === 0 ? (
        <p className="meta">{o('notesNone')}</p>
      ) : (
        <ul className="list" data-testid="note-list">
          {notes.map((n) => (
            <li key={n.id}>
              <p className="answer">{n.text}</p>
              <p className="meta">{o('noteBy', { author: n.author ?? o('noteAuthorUnknown'), date: dateTime(n.at) })}</p>
            </li>
          ))}
        </ul>
      )}
      {saved && (
        <p className="notice" role="status">
          {o('noteSaved')}
        </p>
      )}
      <form noValidate onSubmit={save} aria-busy={busy}>
        <TextAreaField
          id="note-text"
          ref={ref}
          label={o('noteText')}
          error={error && o(error)}
          value={text}
          maxLength={4000}
          disabled={busy}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value.trim()) setError(undefined);
          }}
        />
        <div className="actions">
          <Button type="submit" disabled={busy}>
            {busy ? o('savingStatus') : o('noteAdd')}
          </Button>
        </div>
      </form>
    </section>
  );
}
