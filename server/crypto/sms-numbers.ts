// Residents' phone numbers in the SMS tables (issue #12 finding 5), encrypted at rest. A number is
// stored twice: as a keyed blind index (HMAC-SHA256 under a data-key-store secret, kept across KEK
// rotations), in the columns the gateway's retries and the status SMS are matched on (`sender`,
// `recipient`, parts of primary keys), and sealed (AES-256-GCM under the `sms:numbers` data key,
// bound to its index) beside it (`sender_sealed`, `recipient_sealed`) for the few readers of the
// number itself: the status SMS sender and the data subject's export. A phone number has little
// entropy, so a plain hash would be reversed by trying them all; without the KEK the index says
// nothing. The same number gives the same index and the same sealed value may be copied between
// tables (its associated data is the index alone), so a status SMS is queued without opening it.
import { createHmac } from 'node:crypto';
import type { DataKeys } from './data-keys.ts';

export const SMS_NUMBER_SCOPE = 'sms:numbers';
const INDEX_PURPOSE = 'sms-number-index';

export interface SmsNumbers {
  /** The stored key of a number, exactly as the gateway gave it. */
  indexOf(number: string): string;
  /** The number sealed, bound to its index. */
  seal(number: string): string;
  /** The number again; `sealed` null is a row from before this encryption, whose key is the number. */
  open(index: string, sealed: string | null): Promise<string>;
}

const aad = (index: string) => `sms-number:${index}`;

export async function smsNumbers(keys: DataKeys): Promise<SmsNumbers> {
  const indexKey = await keys.secretKey(INDEX_PURPOSE);
  const dek = await keys.keyForScope(SMS_NUMBER_SCOPE);
  const indexOf = (number: string) => createHmac('sha256', indexKey).update(number, 'utf8').digest('hex');
  return {
    indexOf,
    seal: (number) => keys.encryptWith(dek, number, aad(indexOf(number))),
    open: async (index, sealed) => (sealed === null ? index : keys.decryptField(sealed, aad(index))),
  };
}

const cache = new WeakMap<DataKeys, Promise<SmsNumbers>>();

/** One SmsNumbers per key store (its keys are read once). */
export function smsNumbersOf(keys: DataKeys): Promise<SmsNumbers> {
  let found = cache.get(keys);
  if (!found) {
    found = smsNumbers(keys);
    cache.set(keys, found);
  }
  return found;
}
