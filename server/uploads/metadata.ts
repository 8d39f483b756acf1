// The tus `Upload-Metadata` header (comma-separated `key base64value` pairs) and the two keys this
// API requires: `sha256` (the upload's id, lowercase hex) and `type` (the declared MIME type).

export interface UploadMetadata {
  sha256: string;
  type: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** All pairs, or undefined when the header is not well formed. */
export function parseMetadataHeader(header: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of header.split(',')) {
    const [key, value, extra] = part.trim().split(' ');
    if (key === undefined || !KEY.test(key) || extra !== undefined || key in out) return undefined;
    if (value !== undefined && (!BASE64.test(value) || value.length % 4 !== 0)) return undefined;
    out[key] = value === undefined ? '' : Buffer.from(value, 'base64').toString('utf8');
  }
  return out;
}

export type MetadataCheck = { ok: true; metadata: UploadMetadata } | { ok: false; reason: 'malformed' | 'missing_sha256' | 'missing_type' };

export function readUploadMetadata(header: string | undefined): MetadataCheck {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing_sha256' };
  const pairs = parseMetadataHeader(header);
  if (!pairs) return { ok: false, reason: 'malformed' };
  const sha256 = pairs.sha256;
  if (sha256 === undefined || !isSha256Hex(sha256)) return { ok: false, reason: 'missing_sha256' };
  const type = pairs.type;
  if (type === undefined || type === '') return { ok: false, reason: 'missing_type' };
  return { ok: true, metadata: { sha256, type } };
}
