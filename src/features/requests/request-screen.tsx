// One request: its receipt number, where it is, and the province's answer once it arrives.
import { useLiveQuery } from 'dexie-react-hooks';
import { formatReceipt } from '../../../core/ids.ts';
import { db } from '../../db/open-db.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { shownState, stateLabel } from './receipt-state.ts';

export function RequestScreen({ id }: { id: string }) {
  const { t, dateTime, issue } = useI18n();
  const found = useLiveQuery(async () => ({ receipt: await db.receipts.get(id), outbox: await db.outbox.get(id) }), [id]);
  if (!found) return null;
  const { receipt, outbox } = found;
  if (!receipt) return <p role="alert">{t('requestNotFound')}</p>;
  const state = shownState(receipt);

  return (
    <article data-testid="request-detail" data-state={state}>
      {state === 'queued' && (
        <div className="notice" role="status">
          <strong>{t('queuedTitle')}</strong>
          <p>{t('queuedBody')}</p>
        </div>
      )}
      <h1>{receipt.title}</h1>
      <p>
        <span className="badge" data-state={state} data-testid="request-state">
          {t(stateLabel(receipt))}
        </span>
      </p>
      <p>
        {t('receiptNumber')}:<br />
        <span className="receipt" data-testid="receipt-number">
          {formatReceipt(receipt.id)}
        </span>
      </p>
      <p className="meta">{t('filedAt', { when: dateTime(receipt.createdAt) })}</p>
      {receipt.receivedAt && <p className="meta">{t('receivedAt', { when: dateTime(receipt.receivedAt) })}</p>}
      {state === 'needs_fix' && outbox?.rejection && (
        <div className="notice bad" role="alert">
          <p>{t('rejectedHeading')}</p>
          <ul>
            {outbox.rejection.errors.map((e) => (
              <li key={`${e.field}-${e.code}`}>
                {e.field}: {issue(e.code, e.params)}
              </li>
            ))}
            {outbox.rejection.errors.length === 0 && <li>{outbox.rejection.reason}</li>}
          </ul>
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
        </section>
      )}
    </article>
  );
}
