// Device tokens: 32 random bytes, shown to the device once, stored only as their sha256 (a
// long random secret needs no slow hash). `Authorization: Bearer jkt_<43 base64url chars>`.
import { randomBytes } from 'node:crypto';
import { secretHash } from '../services/hashing.ts';

const TOKEN_PREFIX = 'jkt_';
const BEARER_RE = /^Bearer (jkt_[A-Za-z0-9_-]{43})$/;

export function newDeviceToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * Synchronous on purpose: WebCrypto's digest would queue on libuv's 4 threads behind password
 * hashing and file I/O, so a burst of logins would hold up every officer's request.
 */
export function tokenHash(token: string): string {
  return secretHash(token);
}

export type BearerParse = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'malformed' };

/** What the Authorization header says about a bearer token; other schemes are 'none'. */
export function parseBearer(header: string | undefined): BearerParse {
  if (header === undefined || !/^bearer\b/i.test(header)) return { kind: 'none' };
  const m = BEARER_RE.exec(header);
  return m ? { kind: 'bearer', token: m[1]! } : { kind: 'malformed' };
}
