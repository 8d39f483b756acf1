// Password hashing with node:crypto's scrypt: memory-hard, in Node itself, no native add-on.
// The stored string carries its own parameters and salt, so they can be raised later without
// invalidating existing passwords: scrypt$<N>$<r>$<p>$<salt, base64url>$<key, base64url>.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two; memory is 128 · N · r bytes. */
  N: number;
  r: number;
  /** Repetitions of the memory-hard part (sequential in Node): CPU time, not memory. */
  p: number;
}

/**
 * One of OWASP's equivalent scrypt settings (Password Storage Cheat Sheet: N = 2^17, r = 8, p = 1,
 * or N = 2^16, r = 8, p = 2, …): the same work as the first with half its 128 MiB, since two
 * logins may hash at once. Hashes made with the earlier 2^15/8/1 are rehashed at the next login.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 16, r: 8, p: 2 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Refuses stored parameters that would exhaust memory (a tampered row must not take the server down). */
const MAX_N = 2 ** 20;

// The length rules are shared with the screens (core/auth/account-rules.ts).
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from '../../core/auth/account-rules.ts';

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > MAX_N || r > 32 || p > 16) return undefined;
  return { params: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64url'), key: Buffer.from(parts[5]!, 'base64url') };
}

/** Constant-time check of a password against a stored hash; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.key.length !== KEY_BYTES) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/**
 * Whether a stored hash is weaker than `params` (less work, or less memory) and should be replaced
 * by a fresh hash of the password, which only a login that just checked it can make.
 */
export function needsRehash(stored: string, params: ScryptParams): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  const { N, r, p } = parsed.params;
  return N * r * p < params.N * params.r * params.p || N * r < params.N * params.r;
}

