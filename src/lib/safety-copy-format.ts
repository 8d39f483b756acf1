// The byte layout of a safety copy ("Simpan cadangan") file, as pure functions so the layout can
// be tested without WebCrypto or IndexedDB. See docs/safety-copy.md for the format.
//
//   "JANGKAU-CADANGAN\n"            magic, ASCII
//   <header JSON>"\n"               clear: format version, KDF and cipher parameters
//   <ciphertext>                    AES-GCM over the framed body, header bytes as additional data
//
// The framed body (after decryption) is a 4-byte big-endian length, the manifest JSON, then the
// bytes of each attachment in manifest order, so files can be added without a new container.

import { fromBase64 } from './base64.ts';

export { fromBase64, toBase64 } from './base64.ts';

export const MAGIC = 'JANGKAU-CADANGAN\n';
export const FORMAT_VERSION = 1;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; a once-in-a-while export can afford ~1–3 s on a slow phone. */
export const DEFAULT_ITERATIONS = 600_000;
/** Below this a file was not made by us (the brief's floor); above, a crafted file could hang the phone. */
export const MIN_ITERATIONS = 310_000;
export const MAX_ITERATIONS = 10_000_000;
/** The header is small; a longer first line means this is not our file. */
const MAX_HEADER_BYTES = 2048;

export interface SafetyCopyHeader {
  v: number;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string };
  /**
   * A short digest of a second key derived from the passphrase. AES-GCM alone cannot tell a wrong
   * passphrase from damaged bytes (both fail authentication); this lets the person hear which.
   * It costs an attacker the same PBKDF2 work per guess as the tag does, so it weakens nothing.
   */
  check: string;
}

export type HeaderParse =
  | { ok: true; header: SafetyCopyHeader; headerBytes: Uint8Array; ciphertext: Uint8Array }
  | { ok: false; reason: 'not_a_safety_copy' | 'newer_format' | 'damaged' };

export function encodeHeader(header: SafetyCopyHeader): Uint8Array {
  return new TextEncoder().encode(MAGIC + JSON.stringify(header) + '\n');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits a file into its clear header and ciphertext, refusing what is not ours or is newer. */
export function parseFile(bytes: Uint8Array): HeaderParse {
  const magic = new TextEncoder().encode(MAGIC);
  if (bytes.length < magic.length || magic.some((b, i) => bytes[i] !== b)) return { ok: false, reason: 'not_a_safety_copy' };
  const end = bytes.indexOf(0x0a, magic.length);
  if (end < 0 || end - magic.length > MAX_HEADER_BYTES) return { ok: false, reason: 'damaged' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(magic.length, end)));
  } catch {
    return { ok: false, reason: 'damaged' };
  }
  if (!isRecord(parsed) || typeof parsed.v !== 'number') return { ok: false, reason: 'damaged' };
  // A later app may change anything after the magic; only the version number is promised.
  if (parsed.v > FORMAT_VERSION) return { ok: false, reason: 'newer_format' };
  if (parsed.v !== FORMAT_VERSION) return { ok: false, reason: 'damaged' };
  const { kdf, cipher, check } = parsed;
  if (
    !isRecord(kdf) ||
    kdf.name !== 'PBKDF2' ||
    kdf.hash !== 'SHA-256' ||
    typeof kdf.iterations !== 'number' ||
    !Number.isInteger(kdf.iterations) ||
    kdf.iterations < MIN_ITERATIONS ||
    kdf.iterations > MAX_ITERATIONS ||
    typeof kdf.salt !== 'string' ||
    (fromBase64(kdf.salt)?.length ?? 0) < 16 ||
    !isRecord(cipher) ||
    cipher.name !== 'AES-GCM' ||
    typeof cipher.iv !== 'string' ||
    fromBase64(cipher.iv)?.length !== 12 ||
    typeof check !== 'string' ||
    fromBase64(check)?.length !== 16
  ) {
    return { ok: false, reason: 'damaged' };
  }
  const header = parsed as unknown as SafetyCopyHeader;
  return { ok: true, header, headerBytes: bytes.subarray(0, end + 1), ciphertext: bytes.subarray(end + 1) };
}

/** Body = 4-byte big-endian manifest length, manifest JSON, attachment bytes in manifest order. */
export function frameBody(manifest: unknown, attachments: readonly Uint8Array[] = []): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(manifest));
  const total = 4 + json.length + attachments.reduce((n, a) => n + a.length, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, json.length, false);
  out.set(json, 4);
  let at = 4 + json.length;
  for (const a of attachments) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** The manifest and the bytes after it; undefined if the framing is broken. */
export function unframeBody(body: Uint8Array): { manifest: unknown; rest: Uint8Array } | undefined {
  if (body.length < 4) return undefined;
  const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, false);
  if (4 + length > body.length) return undefined;
  try {
    const manifest: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(4, 4 + length)));
    return { manifest, rest: body.subarray(4 + length) };
  } catch {
    return undefined;
  }
}

/** A file name that sorts by time and says what it is, e.g. jangkau-cadangan-20261128-0721.jangkau. */
export function safetyCopyFileName(now: number = Date.now()): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, '0');
  return `jangkau-cadangan-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.jangkau`;
}

export const MIN_PASSPHRASE_CHARS = 8;

/** For the form: undefined when the passphrase may be used, else why not. */
export function passphraseProblem(passphrase: string): 'too_short' | undefined {
  return Array.from(passphrase.normalize('NFC')).length < MIN_PASSPHRASE_CHARS ? 'too_short' : undefined;
}
