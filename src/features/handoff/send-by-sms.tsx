// "Kirim lewat SMS" for a queued submission without files: one sms: link that opens the phone's
// SMS app with the sealed message addressed to the province. Lazily loaded with the sealing code.
import { useEffect, useState } from 'react';
import type { FormDef } from '../../../core/forms/definition.ts';
import type { SubmissionEnvelope } from '../../../core/protocol.ts';
import { useHandoffText } from './handoff-text.ts';
import { buildSmsMessage, type SmsMessage } from './sms-message.ts';
import { useChannelSettings } from './use-channel-settings.ts';

const REASON_KEYS = {
  no_settings: 'handoffNeedsKey',
  no_number: 'smsNoNumber',
  has_files: 'smsHasFiles',
  too_long: 'smsTooLong',
} as const;

export function SendBySms({ envelope, form }: { envelope: SubmissionEnvelope; form: FormDef }) {
  const t = useHandoffText();
  const settings = useChannelSettings();
  const [message, setMessage] = useState<SmsMessage>();

  useEffect(() => {
    let live = true;
    void buildSmsMessage(settings, envelope, form).then((m) => {
      if (live) setMessage(m);
    });
    return () => {
      live = false;
    };
  }, [settings, envelope, form]);

  if (!message) return null;
  if (!message.ok) {
    return (
      <p className="notice" data-testid="sms-unavailable">
        {t(REASON_KEYS[message.reason])}
      </p>
    );
  }
  return (
    <div className="actions" data-testid="send-by-sms">
      <p>{t('smsCount', { n: message.count, number: settings?.smsNumber ?? '' })}</p>
      <a className="button" href={message.link}>
        {t('smsSend')}
      </a>
    </div>
  );
}
