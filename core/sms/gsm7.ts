// The GSM 03.38 default alphabet (the "basic" set): a message made only of these characters is
// sent as 7-bit text, 160 characters in one SMS or 153 in each part of a concatenated one. One
// character outside it (an emoji, a curly quote) turns the whole message into UCS-2, 70/67.
export const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

const BASIC = new Set(GSM7_BASIC);

export const SMS_SINGLE_CHARS = 160;
export const SMS_PART_CHARS = 153;

export function isGsm7Basic(text: string): boolean {
  for (const ch of text) if (!BASIC.has(ch)) return false;
  return true;
}

/** How many SMS a text costs when it is all basic GSM-7 characters. */
export function smsCount(text: string): number {
  if (!isGsm7Basic(text)) throw new Error('text is not plain GSM-7');
  const n = [...text].length;
  return n <= SMS_SINGLE_CHARS ? 1 : Math.ceil(n / SMS_PART_CHARS);
}
