// "Kirim lewat SMS": a queued submission as the body of one sms: link to the province's number,
// sealed to the cached server key and packed by its form's fields. Only for submissions without
// files (a photo cannot travel by SMS; it would wait on the phone with no sign of it).
import type { FormDef } from '../../../core/forms/definition.ts';
import { fileRefsOf } from '../../../core/forms/file-refs.ts';
import type { SubmissionEnvelope } from '../../../core/protocol.ts';
import { packFieldsOf } from '../../../core/sealed/form-fields.ts';
import { sealEnvelope } from '../../../core/sealed/sealed-envelope.ts';
import { smsCount } from '../../../core/sms/gsm7.ts';
import { encodeSms, smsLink } from '../../../core/sms/sms-codec.ts';
import type { ChannelSettings } from '../../db/channel-settings.ts';

/** More than this and a resident is better off waiting for signal or an officer. */
export const MAX_SMS_PER_SUBMISSION = 10;

export type SmsMessage =
  | { ok: true; link: string; count: number }
  | { ok: false; reason: 'no_settings' | 'no_number' | 'has_files' | 'too_long' };

export async function buildSmsMessage(
  settings: ChannelSettings | undefined,
  envelope: SubmissionEnvelope,
  form: FormDef,
): Promise<SmsMessage> {
  if (!settings) return { ok: false, reason: 'no_settings' };
  if (!settings.smsNumber) return { ok: false, reason: 'no_number' };
  if (fileRefsOf(form, envelope.data).length > 0) return { ok: false, reason: 'has_files' };
  const texts = await encodeSms(await sealEnvelope(settings.key, envelope, packFieldsOf(form)));
  const count = smsCount(texts.join(''));
  if (count > MAX_SMS_PER_SUBMISSION) return { ok: false, reason: 'too_long' };
  return { ok: true, link: smsLink(settings.smsNumber, texts), count };
}
