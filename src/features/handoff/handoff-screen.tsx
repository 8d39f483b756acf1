// The resident's hand-off screens for one queued request (lazily loaded):
//  - 'qr': its QR codes for the officer to scan, then "Sudah dipindai petugas" with the officer's
//    name (optional); the receipt notes the hand-off, the request stays queued on this phone.
//  - 'sms': the sms: link with its message count, or why not.
import { Button } from '../../app/button.tsx';
import { InputField } from '../../app/input-field.tsx';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState, type FormEvent } from 'react';
import { href, navigate } from '../../app/router.ts';
import { db } from '../../db/open-db.ts';
import { getForm } from '../../db/forms-cache.ts';
import { markHandedOver } from '../../db/handoffs.ts';
import { useI18n } from '../../i18n/use-i18n.ts';
import { useHandoffText } from './handoff-text.ts';
import { HandoffCodes } from './handoff-codes.tsx';
import { SendBySms } from './send-by-sms.tsx';

const MAX_NAME = 80;

export function HandoffScreen({ id, mode }: { id: string; mode: 'qr' | 'sms' }) {
  const { t: common } = useI18n();
  const t = useHandoffText();
  const found = useLiveQuery(async () => {
    const outbox = await db.outbox.get(id);
    const form = outbox && (await getForm(db, outbox.envelope.formId, outbox.envelope.formVersion));
    return { outbox, form };
  }, [id]);
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  if (!found) return null;
  const { outbox, form } = found;
  const back = (
    <p>
      <a className="link-row" href={href({ name: 'request', id })}>
        {t('handoffBack')}
      </a>
    </p>
  );
  // Only a request still waiting in this phone's queue can be handed over or texted.
  if (!outbox || outbox.state !== 'queued' || !form) {
    return (
      <>
        <p role="alert">{common('requestNotFound')}</p>
        {back}
      </>
    );
  }

  async function confirm(event: FormEvent) {
    event.preventDefault();
    if (name.trim().length > MAX_NAME) {
      setError(t('handoffOfficerNameTooLong'));
      return;
    }
    if (await markHandedOver(db, id, name)) navigate({ name: 'request', id }, { replace: true });
  }

  if (mode === 'sms') {
    return (
      <article>
        <h1>{t('smsHeading')}</h1>
        <SendBySms envelope={outbox.envelope} form={form} />
        {back}
      </article>
    );
  }
  return (
    <article>
      <HandoffCodes envelope={outbox.envelope} form={form} />
      <form onSubmit={(e) => void confirm(e)} noValidate>
        <h2>{t('handoffConfirmHeading')}</h2>
        <InputField
          id="handoff-officer"
          label={t('handoffOfficerName')}
          value={name}
          autoComplete="off"
          error={error}
          alert
          onChange={(e) => {
            setName(e.currentTarget.value);
            setError(undefined);
          }}
        />
        <div className="actions">
          <Button variant="primary" type="submit">{t('handoffConfirm')}</Button>
        </div>
      </form>
      {back}
    </article>
  );
}
