// Submission ids are ULIDs made on the device: time-ordered (so the outbox sorts by filing time),
// 26 Crockford base32 characters, and the idempotency key the server keeps unique.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_RE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export type RandomFill = (bytes: Uint8Array) => Uint8Array;

const defaultRandom: RandomFill = (bytes) => globalThis.crypto.getRandomValues(bytes);

export function encodeTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > 2 ** 48 - 1) throw new RangeError('ULID time out of range');
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(random: RandomFill): string {
  const bytes = random(new Uint8Array(16));
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[(bytes[i] ?? 0) % 32];
  return out;
}

/** A new ULID. `now` and `random` are injectable so tests are deterministic. */
export function ulid(now: number = Date.now(), random: RandomFill = defaultRandom): string {
  return encodeTime(now) + encodeRandom(random);
}

export function isUlid(value: unknown): value is string {
  return typeof value === 'string' && ULID_RE.test(value);
}

/** The time a ULID was made, in ms since the epoch. */
export function ulidTime(id: string): number {
  let ms = 0;
  for (const ch of id.slice(0, 10)) ms = ms * 32 + ALPHABET.indexOf(ch);
  return ms;
}

/** A receipt number as people read it aloud: the id in groups, e.g. 01JD-2K8F-…. */
export function formatReceipt(id: string): string {
  return id.match(/.{1,4}/g)?.join('-') ?? id;
}

/** Receipt numbers as people write them ("01JD-2K8F…", lower case, spaces): compared by letters and digits only. */
export function receiptKey(text: string): string {
  return text.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}

/** A random secret, base64url, for device and per-submission credentials. */
export function randomSecret(byteLength = 24, random: RandomFill = defaultRandom): string {
  const bytes = random(new Uint8Array(byteLength));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
