// Drafts and filed requests on this device, newest first, a page at a time so a long queue
// stays quick to open.
import { Button } from '../../app/button.tsx';
import { useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { ReceiptNumber } from '../../app/receipt-number.tsx';
import { isNewAnswer, seenAnswers } from '../../db/answers-seen.ts';
import { draftTitle } from '../../../core/forms/wording.ts';
import { db, workDb } from '../../db/open-db.ts';
import { getForm } from '../../db/forms-cache.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { href } from '../../app/router.ts';
import { shownState, stateLabel } from './receipt-state.ts';
import { SafetyCopyLinks } from '../safety-copy/safety-copy-links.tsx';
import { useOfficer } from '../../auth/officer-store.ts';

const PAGE_SIZE = 50;

export function RequestsScreen() {
  const { t, dateTime, day, lang } = useI18n();
  const [limit, setLimit] = useState(PAGE_SIZE);
  const practice = useOfficer((s) => s.practice);
  const drafts = useLiveQuery(async () => {
    const rows = await workDb().drafts.orderBy('updatedAt').reverse().toArray();
    return Promise.all(rows.map(async (d) => ({ ...d, title: (await getForm(db, d.formId, d.formVersion))?.title })));
  }, []);
  const receipts = useLiveQuery(() => workDb().receipts.orderBy('createdAt').reverse().limit(limit + 1).toArray(), [limit]);
  const seen = useLiveQuery(() => seenAnswers(db), []);
  if (!drafts || !receipts || !seen) return null;
  const more = receipts.length > limit;

  return (
    <>
      <h1>{t('myRequestsHeading')}</h1>
      {drafts.length > 0 && (
        <section aria-labelledby="drafts-title">
          <h2 id="drafts-title">{t('draftsHeading')}</h2>
          <ul className="list">
            {drafts.map((d) => (
              <li key={d.id} data-testid="draft-item">
                <a href={href({ name: 'draft', draftId: d.id })}>
                  <span className="badge" data-state="draft">
                    {t('state_draft')}
                  </span>
                  <span className="title">{draftTitle(d, d.title, lang, day)}</span>
                  <span className="meta">{t('savedAt', { when: dateTime(d.updatedAt) })}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {receipts.length === 0 && drafts.length === 0 && <p>{t('noRequests')}</p>}
      <ul className="list" data-testid="request-list">
        {receipts.slice(0, limit).map((r) => (
          <li key={r.id} data-testid="request-item" data-receipt={r.id} data-state={shownState(r)}>
            <a href={href({ name: 'request', id: r.id })}>
              <span className="badge" data-state={shownState(r)}>
                {t(stateLabel(r))}
              </span>
              {isNewAnswer(r, seen) && (
                <span className="badge" data-state="new" data-testid="new-answer">
                  {t('newAnswer')}
                </span>
              )}
              <span className="title">{r.title}</span>
              <span className="meta">
                {t('receiptNumber')}: <ReceiptNumber id={r.id} /> ·{' '}
                {t('filedAt', { when: dateTime(r.createdAt) })}
              </span>
            </a>
          </li>
        ))}
      </ul>
      {more && (
        <div className="actions">
          <Button onClick={() => setLimit(limit + PAGE_SIZE)}>
            {t('loadMore')}
          </Button>
        </div>
      )}
      {/* The safety copy holds the real queue only; practice entries need none. */}
      {!practice && <SafetyCopyLinks />}
    </>
  );
}
