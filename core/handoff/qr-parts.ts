// A hand-off bundle as QR codes, and the officer's side that collects them in any order.
//
// Size: at most QR version 15 (77×77 modules) at error correction level M. On a 360-px-wide
// phone screen that is about 4 CSS px (8–12 device px) per module with the quiet zone, which a
// cheap phone camera reads at arm's length; level M restores 15% of the code (glare, a
// fingerprint on the screen). Version 15-M holds 600 alphanumeric characters: 396 bytes in base45,
// 384 of them payload. A typical request (about 350 bytes sealed) fits in one code.
//
// Each code's text: "JKH1" then base45 of
//   [0..5]  hand-off id: the first 6 bytes of SHA-256 over the whole bundle (checked when complete)
//   [6]     index, [7] count (at most 255 codes)
//   [8..]   this code's share of the bundle
//   last 4  the first 4 bytes of SHA-256 over everything before: a code misread or altered is
//           refused at once, and the officer simply scans it again
import { sha256, toHex } from '../hash.ts';
import { BASE45_ALPHABET, fromBase45, toBase45 } from './base45.ts';

export const QR_PREFIX = 'JKH1';
export const QR_MAX_VERSION = 15;
export const QR_ECC = 'medium' as const;
/** Alphanumeric characters version 15 holds at level M. */
export const QR_MAX_CHARS = 600;
const ID_BYTES = 6;
const HEADER_BYTES = ID_BYTES + 2;
const CHECK_BYTES = 4;
const MAX_PART_BYTES = Math.floor((QR_MAX_CHARS - QR_PREFIX.length) / 3) * 2;
export const QR_CHUNK_BYTES = MAX_PART_BYTES - HEADER_BYTES - CHECK_BYTES;
const MAX_CODES = 255;

/** The texts of the QR codes that carry `bundle`, in order. */
export async function bundleToQrTexts(bundle: Uint8Array): Promise<string[]> {
  const id = (await sha256(bundle)).subarray(0, ID_BYTES);
  const total = Math.max(1, Math.ceil(bundle.length / QR_CHUNK_BYTES));
  if (total > MAX_CODES) throw new Error(`too large for QR codes: ${total} codes`);
  const texts: string[] = [];
  for (let i = 0; i < total; i++) {
    const chunk = bundle.subarray(i * QR_CHUNK_BYTES, (i + 1) * QR_CHUNK_BYTES);
    const body = new Uint8Array(HEADER_BYTES + chunk.length);
    body.set(id);
    body[ID_BYTES] = i;
    body[ID_BYTES + 1] = total;
    body.set(chunk, HEADER_BYTES);
    const check = (await sha256(body)).subarray(0, CHECK_BYTES);
    const part = new Uint8Array(body.length + CHECK_BYTES);
    part.set(body);
    part.set(check, body.length);
    texts.push(QR_PREFIX + toBase45(part));
  }
  return texts;
}

export interface QrPart {
  handoffId: string;
  index: number;
  total: number;
  chunk: Uint8Array;
}

export type QrPartResult = { ok: true; part: QrPart } | { ok: false; reason: 'not_jangkau' | 'corrupt' };

const ALPHANUMERIC = new Set(BASE45_ALPHABET);

/** One scanned text as a part, or why it cannot be one. */
export async function readQrText(text: string): Promise<QrPartResult> {
  if (!text.startsWith(QR_PREFIX)) return { ok: false, reason: 'not_jangkau' };
  const encoded = text.slice(QR_PREFIX.length);
  for (const ch of encoded) if (!ALPHANUMERIC.has(ch)) return { ok: false, reason: 'corrupt' };
  const bytes = fromBase45(encoded);
  if (!bytes || bytes.length < HEADER_BYTES + 1 + CHECK_BYTES) return { ok: false, reason: 'corrupt' };
  const body = bytes.subarray(0, bytes.length - CHECK_BYTES);
  const check = (await sha256(body)).subarray(0, CHECK_BYTES);
  if (toHex(check) !== toHex(bytes.subarray(bytes.length - CHECK_BYTES))) return { ok: false, reason: 'corrupt' };
  const index = body[ID_BYTES]!;
  const total = body[ID_BYTES + 1]!;
  if (total < 1 || index >= total) return { ok: false, reason: 'corrupt' };
  return { ok: true, part: { handoffId: toHex(body.subarray(0, ID_BYTES)), index, total, chunk: body.slice(HEADER_BYTES) } };
}

/** The officer's scanning session: the parts of one hand-off so far. */
export interface QrCollection {
  handoffId?: string;
  total?: number;
  chunks: ReadonlyMap<number, Uint8Array>;
}

export const EMPTY_COLLECTION: QrCollection = { chunks: new Map() };

export type ScanResult =
  | { kind: 'added' | 'again'; received: number; total: number }
  | { kind: 'complete'; bundle: Uint8Array }
  | { kind: 'refused'; reason: 'not_jangkau' | 'corrupt' | 'other_handoff' | 'whole_check' };

/**
 * Adds one scanned text. Codes may come in any order and more than once; a code of another
 * hand-off is refused without losing what was collected; when the last code arrives the whole
 * bundle is checked against the hand-off id, and a failure starts the session over.
 */
export async function addScan(collection: QrCollection, text: string): Promise<{ collection: QrCollection; result: ScanResult }> {
  const read = await readQrText(text);
  if (!read.ok) return { collection, result: { kind: 'refused', reason: read.reason } };
  const { part } = read;
  if (collection.handoffId !== undefined && (part.handoffId !== collection.handoffId || part.total !== collection.total)) {
    return { collection, result: { kind: 'refused', reason: 'other_handoff' } };
  }
  const again = collection.chunks.has(part.index);
  const chunks = new Map(collection.chunks);
  if (!again) chunks.set(part.index, part.chunk);
  const next: QrCollection = { handoffId: part.handoffId, total: part.total, chunks };
  if (chunks.size < part.total) {
    return { collection: next, result: { kind: again ? 'again' : 'added', received: chunks.size, total: part.total } };
  }
  const length = [...chunks.values()].reduce((n, c) => n + c.length, 0);
  const bundle = new Uint8Array(length);
  let at = 0;
  for (let i = 0; i < part.total; i++) {
    const c = chunks.get(i)!;
    bundle.set(c, at);
    at += c.length;
  }
  if (toHex((await sha256(bundle)).subarray(0, ID_BYTES)) !== part.handoffId) {
    return { collection: EMPTY_COLLECTION, result: { kind: 'refused', reason: 'whole_check' } };
  }
  return { collection: next, result: { kind: 'complete', bundle } };
}
