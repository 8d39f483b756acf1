// A sealed submission as SMS text: base64 (A–Z a–z 0–9 + /, every one a basic GSM-7 character at
// the same code as in ASCII, so no gateway's charset conversion can touch it), cut into parts
// that each fill exactly one SMS segment, each with a 9-character header:
//
//   JK1 mmmm i t <payload>
//   "JK1"  marks a Jangkau message, format 1
//   mmmm   message id: the first 24 bits of SHA-256 over the sealed bytes, in base64. It groups the
//          parts and checks the whole once reassembled (the seal's own tag checks it again)
//   i, t   part index and part count, one base64 digit each (at most 64 parts)
//
// A message that fits in 160 characters is one part. Otherwise every part but the last is exactly
// 153 characters, the size of one segment of a concatenated SMS: whether the phone sends one long
// message (split by the network into segments) or the gateway hands us segments one by one, each
// segment is one whole part. Several parts in one text are read one after another.
import { sha256 } from '../hash.ts';
import { SMS_PART_CHARS, SMS_SINGLE_CHARS } from './gsm7.ts';

export const SMS_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export const SMS_MAGIC = 'JK1';
const ID_CHARS = 4;
export const SMS_HEADER_CHARS = SMS_MAGIC.length + ID_CHARS + 2;
export const MAX_SMS_PARTS = SMS_ALPHABET.length;
const FULL_PART_PAYLOAD = SMS_PART_CHARS - SMS_HEADER_CHARS;
const SINGLE_PAYLOAD = SMS_SINGLE_CHARS - SMS_HEADER_CHARS;

export interface SmsPart {
  messageId: string;
  index: number;
  total: number;
  payload: string;
}

export type SmsParseResult = { ok: true; parts: SmsPart[] } | { ok: false; reason: 'not_jangkau' | 'malformed_part' };
export type SmsAssembleResult = { ok: true; sealed: Uint8Array } | { ok: false; reason: 'incomplete' | 'checksum' };

function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let c = 0; c < chars; c++) out += SMS_ALPHABET[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const ch of text) {
    const v = SMS_ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, so that one text means one byte string.
  if ((acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

async function messageIdOf(sealed: Uint8Array): Promise<string> {
  return toBase64((await sha256(sealed)).subarray(0, 3));
}

/** The texts to send, in order; joined without separators they are the body of one long SMS. */
export async function encodeSms(sealed: Uint8Array): Promise<string[]> {
  const payload = toBase64(sealed);
  const id = await messageIdOf(sealed);
  const chunks: string[] = [];
  if (payload.length <= SINGLE_PAYLOAD) chunks.push(payload);
  else for (let i = 0; i < payload.length; i += FULL_PART_PAYLOAD) chunks.push(payload.slice(i, i + FULL_PART_PAYLOAD));
  if (chunks.length > MAX_SMS_PARTS) throw new Error(`too long for SMS: ${chunks.length} parts`);
  return chunks.map((chunk, i) => SMS_MAGIC + id + SMS_ALPHABET[i] + SMS_ALPHABET[chunks.length] + chunk);
}

const PART_RE = /^JK1([A-Za-z0-9+/]{4})([A-Za-z0-9+/])([A-Za-z0-9+/])/;

/**
 * The parts in one received text. Whitespace is dropped first (some gateways put line breaks
 * between the segments they join). Anything that is not wholly well-formed parts is refused.
 */
export function parseSmsText(text: string): SmsParseResult {
  const rest0 = text.replace(/\s+/g, '');
  if (!rest0.startsWith(SMS_MAGIC)) return { ok: false, reason: 'not_jangkau' };
  const parts: SmsPart[] = [];
  let rest = rest0;
  while (rest.length > 0) {
    const m = PART_RE.exec(rest);
    if (!m) return { ok: false, reason: 'malformed_part' };
    const index = SMS_ALPHABET.indexOf(m[2]!);
    const total = SMS_ALPHABET.indexOf(m[3]!);
    if (total < 1 || index >= total) return { ok: false, reason: 'malformed_part' };
    const last = index === total - 1;
    const end = last ? rest.length : SMS_PART_CHARS;
    const payload = rest.slice(SMS_HEADER_CHARS, end);
    const maxPayload = total === 1 ? SINGLE_PAYLOAD : FULL_PART_PAYLOAD;
    // Every part but the last fills its segment exactly; a shorter one was cut on the way.
    const rightLength = last ? payload.length >= 2 && payload.length <= maxPayload : payload.length === FULL_PART_PAYLOAD;
    if (!rightLength || !/^[A-Za-z0-9+/]*$/.test(payload)) return { ok: false, reason: 'malformed_part' };
    parts.push({ messageId: m[1]!, index, total, payload });
    rest = rest.slice(end);
  }
  return { ok: true, parts };
}

/** The sealed bytes from a message's parts (any order, repeats allowed), or why not. */
export async function assembleSms(parts: readonly SmsPart[]): Promise<SmsAssembleResult> {
  const first = parts[0];
  if (!first) return { ok: false, reason: 'incomplete' };
  const byIndex = new Map<number, SmsPart>();
  for (const p of parts) {
    if (p.messageId !== first.messageId || p.total !== first.total) return { ok: false, reason: 'checksum' };
    const seen = byIndex.get(p.index);
    if (seen && seen.payload !== p.payload) return { ok: false, reason: 'checksum' };
    byIndex.set(p.index, p);
  }
  if (byIndex.size !== first.total) return { ok: false, reason: 'incomplete' };
  let payload = '';
  for (let i = 0; i < first.total; i++) payload += byIndex.get(i)!.payload;
  const sealed = fromBase64(payload);
  if (!sealed || (await messageIdOf(sealed)) !== first.messageId) return { ok: false, reason: 'checksum' };
  return { ok: true, sealed };
}

/** An `sms:` link that opens the phone's SMS app with the whole message, addressed to `number`. */
export function smsLink(number: string, texts: readonly string[]): string {
  // `?body=` works on Android and iOS alike; `+` and `/` must be percent-encoded in a URI.
  return `sms:${encodeURIComponent(number).replace(/%2B/g, '+')}?body=${encodeURIComponent(texts.join(''))}`;
}
