// One request: its receipt number, where it is, and the province's answer once it arrives.
import { Button } from '../../app/button.tsx';
import { useEffect } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { ReceiptNumber } from '../../app/receipt-number.tsx';
import { markAnswerSeen } from '../../db/answers-seen.ts';
import { db, workDb } from '../../db/open-db.ts';
import { discardRejected } from '../../db/outbox.ts';
import { attachmentsOf } from '../../db/attachments.ts';
import { distinctShas, findFileRefs } from '../../../core/forms/file-refs.ts';
import { getForm } from '../../db/forms-cache.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { href, navigate } from '../../app/router.ts';
import { RejectionNotice } from './form-screen.tsx';
import { shownState, stateLabel } from './receipt-state.ts';
import { AttachmentList } from './attachment-list.tsx';
import { useSync } from '../../app/sync-client.ts';
import { offersSms } from '../handoff/sms-offer.ts';
import { useHandoffText } from '../handoff/handoff-text.ts';
import { useOfficer } from '../../auth/officer-store.ts';
import { EngineGapNotices, useEngineNotices } from './engine-notices.tsx';
import { useEngineText } from './engine-text.ts';
import { awaitsCompletion } from '../../db/completion.ts';
import { saveDraft } from '../../db/drafts.ts';
import { listOfferedForms } from '../../db/forms-cache.ts';
import { ulid } from '../../../core/ids.ts';
import { refusalGround } from '../../../core/office/refusal-grounds.ts';
import { KEBERATAN_FORM_ID, keberatanPrefill } from '../../../core/office/keberatan.ts';
import type { FormDef } from '../../../core/forms/definition.ts';
import type { ReceiptRow } from '../../db/schema.ts';

/** One tap from a refused request to the keberatan form, prefilled with its receipt and ground (a draft). */
async function startKeberatan(receipt: ReceiptRow): Promise<void> {
  const form = (await listOfferedForms(db)).find((f) => f.formId === KEBERATAN_FORM_ID);
  if (!form) return;
  const id = ulid();
  const saved = await saveDraft(workDb(), {
    id,
    formId: form.formId,
    formVersion: form.version,
    data: keberatanPrefill({ id: receipt.id, ...(receipt.refusal?.ground !== undefined ? { ground: receipt.refusal.ground } : {}) }),
  });
  if (saved.ok) navigate({ name: 'draft', draftId: id });
}

/** The labels of a form's fields by name (the returned fields, as the person knows them). */
function fieldLabels(form: FormDef | undefined, names: readonly string[], local: (t: FormDef['title']) => string): string {
  return names.map((n) => {
    const f = form?.fields.find((x) => x.name === n);
    return f && 'label' in f && f.label ? local(f.label) : n;
  }).join(', ');
}

/** Reasons a correction can cure; the others need a new request. */
const FIXABLE = new Set(['invalid_data', 'invalid_envelope']);

export function RequestScreen({ id }: { id: string }) {
  const { t, dateTime, local, day } = useI18n();
  const h = useHandoffText();
  const online = useSync((s) => s.online);
  const lastSyncAt = useSync((s) => s.state?.lastSyncAt);
  const practice = useOfficer((s) => s.practice);
  const et = useEngineText();
  const notices = useEngineNotices();
  const found = useLiveQuery(async () => {
    const receipt = await workDb().receipts.get(id);
    const form = receipt && (await getForm(db, receipt.formId, receipt.formVersion));
    const outbox = await workDb().outbox.get(id);
    const files = await attachmentsOf(workDb(), id);
    // Files the queued request refers to that this phone does not hold (e.g. imported without them).
    const held = new Set(files.map((f) => f.sha256));
    const missing = outbox ? distinctShas(findFileRefs(outbox.envelope.data)).filter((sha) => !held.has(sha)) : [];
    return { receipt, form, outbox, files, missing };
  }, [id]);
  const opened = found?.receipt;
  // Opening the request is reading its answer: the list stops marking it new.
  useEffect(() => {
    if (opened?.answer) void markAnswerSeen(db, opened);
  }, [opened]);
  if (!found) return null;
  const { receipt, outbox, form, files, missing } = found;
  if (!receipt) return <p role="alert">{t('requestNotFound')}</p>;
  const state = shownState(receipt);

  return (
    <article data-testid="request-detail" data-state={state}>
      {state === 'queued' && (
        <div className="notice" role="status">
          <strong>{t('queuedTitle')}</strong>
          {/* Without Background Sync nothing sends while Jangkau is closed: never say it does. */}
          <p data-testid="queued-body">{notices.openAgain ? et('queuedOpenAgain') : t('queuedBody')}</p>
        </div>
      )}
      {state === 'queued' && <EngineGapNotices notices={notices} />}
      <h1>{receipt.title}</h1>
      <p>
        <span className="badge" data-state={state} data-testid="request-state">
          {t(stateLabel(receipt))}
        </span>
      </p>
      {receipt.status === 'perlu_dilengkapi' && receipt.returned && state !== 'needs_fix' && (
        <div className="notice" role="status" data-testid="returned">
          <strong>{t('returnedHeading')}</strong>
          <p data-testid="returned-reason">{receipt.returned.reason}</p>
          <p>{t('returnedFields', { fields: fieldLabels(form, receipt.returned.fields, local) })}</p>
          {awaitsCompletion(receipt) && (
            <div className="actions">
              <a className="button" href={href({ name: 'complete', id: receipt.id })} data-testid="complete-request">
                {t('completeRequest')}
              </a>
            </div>
          )}
        </div>
      )}
      {state !== 'queued' && state !== 'needs_fix' && (
        <section aria-labelledby="answer-title">
          <h2 id="answer-title">{t('answerHeading')}</h2>
          {receipt.answer ? (
            <p data-testid="answer" className="answer">
              {receipt.answer}
            </p>
          ) : (
            <p className="meta">{t('noAnswerYet')}</p>
          )}
          {receipt.status === 'ditolak' && receipt.refusal && (
            <div data-testid="refusal">
              {refusalGround(receipt.refusal.ground) && <p>{t('refusalGround', { ground: local(refusalGround(receipt.refusal.ground)!.label) })}</p>}
              {receipt.refusal.keberatanBy && <p>{t('keberatanBy', { date: day(`${receipt.refusal.keberatanBy}T12:00:00+07:00`) })}</p>}
              <div className="actions">
                <Button data-testid="start-keberatan" onClick={() => void startKeberatan(receipt)}>
                  {t('startKeberatan')}
                </Button>
              </div>
            </div>
          )}
        </section>
      )}
      <p>
        {t('receiptNumber')}:<br />
        <ReceiptNumber id={receipt.id} copy testId="receipt-number" />
      </p>
      <p className="meta">{t('filedAt', { when: dateTime(receipt.createdAt) })}</p>
      {receipt.receivedAt && <p className="meta">{t('receivedAt', { when: dateTime(receipt.receivedAt) })}</p>}
      {receipt.handedOver && (
        <p className="meta" data-testid="handed-over">
          {receipt.handedOver.to
            ? h('handedOverTo', { name: receipt.handedOver.to, when: dateTime(receipt.handedOver.at) })
            : h('handedOverNoName', { when: dateTime(receipt.handedOver.at) })}
        </p>
      )}
      {/* A sealed officer's entry goes by its own push only: QR and SMS carry residents' requests. */}
      {/* A practice entry travels by data signal only: QR and SMS carry real requests. */}
      {state === 'queued' && outbox?.state === 'queued' && !outbox.envelope.sealed && !practice && (
        <>
          <p className="meta" data-testid="handoff-hint">{notices.openAgain ? et('openAgainPaths') : h('handoffButtonHint')}</p>
          <div className="actions">
            <a className="button secondary" href={href({ name: 'handoff', id: receipt.id })}>
              {h('handoffButton')}
            </a>
            {offersSms({ online, lastSyncAt, queuedAt: outbox.queuedAt, hasFiles: files.length + missing.length > 0, now: Date.now(), backgroundSync: !notices.openAgain }) && (
              <a className="button secondary" href={href({ name: 'sms', id: receipt.id })}>
                {h('smsButton')}
              </a>
            )}
          </div>
        </>
      )}
      {(files.length > 0 || missing.length > 0) && <AttachmentList files={files} missing={missing} />}
      {state === 'needs_fix' && outbox?.rejection && (
        <>
          <RejectionNotice rejection={outbox.rejection} form={form} />
          <div className="actions">
            {FIXABLE.has(outbox.rejection.reason) && (
              <a className="button" href={href({ name: 'fix', id: receipt.id })}>
                {t('fixRequest')}
              </a>
            )}
            <Button
             
              onClick={async () => {
                if (!window.confirm(t('discardRequestConfirm'))) return;
                const result = await discardRejected(workDb(), receipt.id);
                if (result.ok) navigate({ name: 'requests' }, { replace: true });
              }}
            >
              {t('discardRequest')}
            </Button>
          </div>
        </>
      )}
    </article>
  );
}
