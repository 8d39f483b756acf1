// Any service form, rendered from its definition. Answers autosave as a draft on every change;
// "Draf tersimpan" shows only once the draft is committed to IndexedDB. The same screen corrects a
// submission the server refused ("perlu perbaikan"): it keeps its id, so its receipt number too.
import { Button } from '../../app/button.tsx';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { AnswerValue, FormData, FormDef } from '../../../core/forms/definition.ts';
import { issueText } from '../../../core/forms/messages.ts';
import { issueLine, submitLabel } from '../../../core/forms/wording.ts';
import { cleanAnswers, isRequired, isVisible, validateForm, type FieldIssue } from '../../../core/forms/validate.ts';
import { ulid } from '../../../core/ids.ts';
import { db, workDb } from '../../db/open-db.ts';
import { deleteDraft, saveDraft } from '../../db/drafts.ts';
import { buildEnvelope, requeueFixed, sealsToServer, submitDraft } from '../../db/outbox.ts';
import { queueCompletion } from '../../db/completion.ts';
import { openingKey, readOpening, takePrefetched, type Completion, type Fix, type FormOpening, type Loaded } from './opening-reads.ts';
import type { DraftRow, Rejection } from '../../db/schema.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { isRole } from '../../../core/auth/roles.ts';
import { scopeIssue } from '../../../core/auth/submission-scope.ts';
import { newVoterNikIssue } from '../../../core/duplicates/new-voter.ts';
import { REGION_ATTRIBUTION } from '../../../core/regions/attribution.ts';
import { href, navigate } from '../../app/router.ts';
import { useSync } from '../../app/sync-client.ts';
import { holdFirstScreen } from '../../app/first-screen.ts';
import { FieldInput, type IssueLookup } from './field-input.tsx';
import { FormTips } from './form-tips.tsx';
import { applyAnswer, type AnswerUpdate } from './fields/field-shell.tsx';
import { domId, fieldAtPath, pathLabel } from './fields/paths.ts';
import { useValidationContext } from './fields/region-data.ts';

performance.mark('jangkau:form-chunk');
const AUTOSAVE_DELAY_MS = 250;

export function FormScreen({ formId, draftId, fixId, completeId }: FormOpening) {
  const { t } = useI18n();
  // Taken once: a later visit reads afresh (a draft saved since must be offered).
  const [prefetch] = useState(() => {
    return takePrefetched(openingKey({ formId, draftId, fixId, completeId }));
  });
  const early = prefetch?.loaded;
  const loaded = useLiveQuery(() => readOpening({ formId, draftId, fixId, completeId }), [formId, draftId, fixId, completeId], early);
  // Take the form once it is found: later live updates of the draft come from this screen's own
  // saves. Until then keep listening, since the bundled forms may still be being stored.
  const [found, setFound] = useState<Exclude<Loaded, 'missing'> | undefined>(early);
  // The start's reads, if still under way when the screen mounted: whichever answers first draws.
  useEffect(() => {
    let live = true;
    if (!early)
      void prefetch?.read.then((got) => {
        if (live && got && got !== 'missing') setFound((seen) => seen ?? got);
      });
    return () => {
      live = false;
    };
  }, [prefetch, early]);
  const [fresh, setFresh] = useState(false);
  const officer = useOfficer((s) => s.session !== undefined);
  useEffect(() => {
    if (loaded && loaded !== 'missing' && !found) setFound(loaded);
  }, [loaded, found]);
  // Opened first, the form is the screen to draw before the sync starts (src/app/first-screen.ts).
  const settled = found !== undefined || loaded === 'missing';
  useEffect(() => (settled ? undefined : holdFirstScreen()), [settled]);

  // An officer's field form is not filled without an officer logged in: the server would refuse it.
  if (found?.form.audience === 'officer' && !officer) return <OfficerOnly form={found.form} />;
  // A second "Isi formulir" on the same service finds the draft left before, not a blank form.
  if (found?.earlier && !fresh) return <DraftOffer form={found.form} draft={found.earlier} onFresh={() => setFresh(true)} />;
  if (found) return <FormView form={found.form} draft={found.draft} fix={found.fix} completion={found.completion} />;
  if (loaded === 'missing') return <p role="alert">{t('formNotFound')}</p>;
  return null;
}

function OfficerOnly({ form }: { form: FormDef }) {
  const { t, local } = useI18n();
  return (
    <>
      <h1>{local(form.title)}</h1>
      <div className="notice" data-testid="officer-only">
        <p>{t('officerOnlyForm')}</p>
        <div className="actions">
          <a className="button" href={href({ name: 'officer' })}>
            {t('officerOnlyLogin')}
          </a>
        </div>
      </div>
    </>
  );
}

function DraftOffer({ form, draft, onFresh }: { form: FormDef; draft: DraftRow; onFresh(): void }) {
  const { t, local, dateTime } = useI18n();
  return (
    <>
      <h1>{local(form.title)}</h1>
      <div className="notice" data-testid="draft-offer">
        <p>{t('draftExists', { when: dateTime(draft.updatedAt) })}</p>
        <div className="actions">
          <Button variant="primary" onClick={() => navigate({ name: 'draft', draftId: draft.id }, { replace: true })}>
            {t('resumeDraft')}
          </Button>
          <Button onClick={onFresh}>
            {t('startFresh')}
          </Button>
        </div>
      </div>
    </>
  );
}

type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

function FormView({ form, draft, fix, completion }: { form: FormDef; draft?: DraftRow; fix?: Fix; completion?: Completion }) {
  const { t, local, lang } = useI18n();
  const afterQueued = useSync((s) => s.afterQueued);
  const initial = fix?.data ?? draft?.data ?? {};
  const [data, setData] = useState<FormData>(() => initial);
  // The answers as of the last change, which a late onChange (a photo still being stored) applies to.
  const latest = useRef<FormData>(data);
  // Errors show from the first "Kirim" on, not on leaving a field: an error appearing on blur
  // pushes what is below it down while the finger is on its way there (a tap on the send button or
  // on a choice would land on empty space and be lost, issue #17).
  const [showAll, setShowAll] = useState(fix !== undefined);
  const [saveState, setSaveState] = useState<SaveState>(draft ? 'saved' : 'idle');
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | undefined>();
  const draftId = useRef(fix?.id ?? draft?.id ?? ulid());
  const pending = useRef<FormData | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => void performance.mark('jangkau:form-drawn'), []);
  // A file chosen here is claimed by the form at once (src/db/attachments.ts, storeAttachment): by
  // the draft, or on the fix and completion screens, which save no draft, by the request itself.
  const holder = fix?.id ?? completion?.id ?? draftId.current;

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    const toSave = pending.current;
    // A correction lives in its outbox row until it is sent again; it is not a draft. Nor is a completion.
    if (!toSave || fix || completion) return;
    pending.current = undefined;
    setSaveState('saving');
    const result = await saveDraft(workDb(), {
      id: draftId.current,
      formId: form.formId,
      formVersion: form.version,
      data: toSave,
    });
    setSaveState(result.ok ? 'saved' : 'failed');
  }, [form.formId, form.version, fix, completion]);

  // Save what is pending when the page is hidden or the screen closes.
  useEffect(() => {
    const onHide = () => void flush();
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', onHide);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onHide);
      void flush();
    };
  }, [flush]);

  const answers = useMemo(() => cleanAnswers(form, data), [form, data]);
  // With region fields, the same context as the server's once the catalogue has loaded.
  const page = useValidationContext(form);
  // An officer's entry for a region outside the officer's scope would be refused `forbidden` after
  // sealing: flagged here, beside the region field, before it is queued.
  const account = useOfficer((s) => s.session?.account);
  // A new voter (coklit hasil = baru) whose NIK is already on the downloaded lists is flagged beside
  // the NIK at once, offline (pemilih ganda); the lists are read only for officer forms.
  const listed = useLiveQuery(async () => {
    if (form.audience !== 'officer' || !account) return [];
    // A locked device cannot open the sealed lists: no warning then, never a broken form.
    return db.assignment.toArray().then(
      (rows) => rows.map((r) => ({ nik: r.voter.nik, tps: r.tps })),
      () => [],
    );
  }, [form.audience, account]);
  const verdict = useMemo(() => {
    const checked = validateForm(form, answers, page.context);
    const actor = account && isRole(account.role) ? { role: account.role, scope: account.scope } : undefined;
    const outside = scopeIssue(form, answers, actor);
    const onList = newVoterNikIssue(answers, listed ?? []);
    return {
      ...checked,
      errors: outside ? [...checked.errors, outside] : checked.errors,
      warnings: onList ? [onList, ...checked.warnings] : checked.warnings,
    };
  }, [form, answers, page.context, account, listed]);
  const errorsByField = useMemo(() => firstByField(verdict.errors), [verdict]);
  const warningsByField = useMemo(() => firstByField(verdict.warnings), [verdict]);
  const shownErrors = showAll ? verdict.errors : [];
  const issues: IssueLookup = {
    error: (path) => {
      const e = errorsByField.get(path);
      return e && showAll ? issueText(e, lang, fieldAtPath(form, path)) : undefined;
    },
    warning: (path) => {
      const w = warningsByField.get(path);
      return w && issueText(w, lang, fieldAtPath(form, path));
    },
  };

  function change(name: string, update: AnswerValue | undefined | AnswerUpdate) {
    const next = { ...latest.current };
    const value = applyAnswer(update, next[name]);
    if (value === undefined) delete next[name];
    else next[name] = value;
    latest.current = next;
    setData(next);
    if (fix || completion) return;
    pending.current = next;
    setSaveState('saving');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setShowAll(true);
    if (!page.ready) return;
    if (verdict.errors.length > 0) {
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setSubmitting(true);
    setSubmitError(undefined);
    await flush();
    // An officer's entry is sealed to the server's key the page kept (when it has one) before it is queued.
    const serverKey = sealsToServer(form) ? (await import('../../db/channel-settings.ts')).keptSealingKey() : undefined;
    const result = completion
      ? await queueCompletion(workDb(), form, completion.id, data)
      : fix
      ? await requeueFixed(workDb(), fix.id, buildEnvelope(form, fix.id, data), serverKey)
      : await submitDraft(workDb(), form, draftId.current, data, Date.now(), serverKey);
    setSubmitting(false);
    if (result.ok) {
      afterQueued();
      navigate({ name: 'request', id: completion?.id ?? draftId.current }, { replace: true });
    } else if (result.reason === 'quota') {
      setSubmitError(t('quotaFull'));
    } else if (result.reason === 'missing_files') {
      setSubmitError(t('fileMissing'));
    } else if (result.reason === 'invalid') {
      requestAnimationFrame(() => summaryRef.current?.focus());
    } else {
      setSubmitError(t('storageError'));
    }
  }

  async function discard() {
    if (!window.confirm(t('discardConfirm'))) return;
    clearTimeout(timer.current);
    pending.current = undefined;
    await deleteDraft(workDb(), draftId.current);
    navigate({ name: 'services' }, { replace: true });
  }

  const saveLabel =
    saveState === 'saving' ? t('draftSaving') : saveState === 'saved' ? t('draftSaved') : saveState === 'failed' ? t('draftSaveFailed') : '';

  return (
    <form noValidate onSubmit={submit} aria-labelledby="form-title">
      <h1 id="form-title">{local(form.title)}</h1>
      {/* The version matters to officers (change notes); to a resident it is noise. */}
      {account && <p className="meta">{t('formVersion', { v: form.version })}</p>}
      <FormTips form={form} />
      {fix?.rejection && <RejectionNotice rejection={fix.rejection} form={form} />}
      {completion && (
        <div className="notice" role="status" data-testid="completion-reason">
          <strong>{t('returnedHeading')}</strong>
          <p>{completion.reason}</p>
          <p className="meta">{t('completionHint')}</p>
        </div>
      )}
      {showAll && shownErrors.length > 0 && (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
          <p>
            <strong>{t('errorSummary', { n: shownErrors.length })}</strong>
          </p>
          <ul>
            {shownErrors.map((e) => {
              return (
                <li key={`${e.field}-${e.code}`}>
                  <a href={`#${domId(e.field)}`} onClick={(ev) => focusField(ev, e.field)}>
                    {issueLine(pathLabel(form, e.field, local), issueText(e, lang, fieldAtPath(form, e.field)))}
                  </a>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {form.fields
        .filter((f) => isVisible(form, f, data))
        .map((field) => (
          <FieldInput
            key={field.name}
            form={form}
            field={field}
            path={field.name}
            value={data[field.name]}
            root={data}
            required={isRequired(form, field, data)}
            issues={issues}
            regions={page.regions}
            onChange={(v) => change(field.name, v)}
            onBlur={ignoreBlur}
            holder={holder}
          />
        ))}
      <section className="next-steps" aria-labelledby="next-steps-title">
        <h2 id="next-steps-title">{t('whatNext')}</h2>
        <p>{local(form.nextSteps)}</p>
      </section>
      {usesRegions(form) && <p className="meta">{local(REGION_ATTRIBUTION)}</p>}
      {submitError && (
        <p className="notice bad" role="alert">
          {submitError}
        </p>
      )}
      <div className="actions">
        <Button variant="primary" type="submit" disabled={submitting || !page.ready}>
          {!page.ready ? t('regionLoading') : submitting ? t('submitting') : completion ? t('completeSubmit') : fix ? t('resubmit') : local(submitLabel(form))}
        </Button>
        {saveState !== 'idle' && !fix && !completion && (
          <Button onClick={discard}>
            {t('discardDraft')}
          </Button>
        )}
        <span className="save-state" role="status" data-testid="save-state">
          {saveLabel}
        </span>
      </div>
    </form>
  );
}

export function RejectionNotice({ rejection, form }: { rejection: Rejection; form?: FormDef }) {
  const { t, local, lang } = useI18n();
  return (
    <div className="notice bad" role="alert" data-testid="rejection">
      <p>
        <strong>{t('rejectedHeading')}</strong> {t(`reason_${rejection.reason}`)}
      </p>
      {rejection.errors.length > 0 && (
        <ul>
          {rejection.errors.map((e) => {
            return (
              <li key={`${e.field}-${e.code}`}>
                {issueLine(form ? pathLabel(form, e.field, local) : e.field, issueText(e, lang, form && fieldAtPath(form, e.field)))}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** Region and island lists come from ODbL data, which asks to be credited where it is offered. */
function usesRegions(form: FormDef): boolean {
  const kinds = new Set(['region', 'island']);
  return form.fields.some((f) => kinds.has(f.type) || (f.fields ?? []).some((sub) => kinds.has(sub.type)));
}

/** Leaving a field shows nothing new (see showAll in FormView). */
function ignoreBlur(): void {}

function firstByField(issues: FieldIssue[]): Map<string, FieldIssue> {
  const out = new Map<string, FieldIssue>();
  for (const i of issues) if (!out.has(i.field)) out.set(i.field, i);
  return out;
}

function focusField(event: { preventDefault(): void }, name: string) {
  event.preventDefault();
  const el = document.getElementById(domId(name));
  const target = el instanceof HTMLFieldSetElement ? el.querySelector<HTMLElement>('input, select, button') : el;
  target?.focus();
}
