// Hashing through WebCrypto, which page, service worker and Node 20 all have.

const NONE_KNOWN: Readonly<Record<string, string>> = Object.freeze({});
// Object.hasOwn is missing before Chrome 93 and Safari 15.4 (the build targets Chrome 80): the
// phone hashes with this too.
const own = (obj: object, key: string) => Object.prototype.hasOwnProperty.call(obj, key);

/**
 * JSON with object keys sorted, so equal values always hash equally. Written as loops over sorted
 * keys (no entry arrays or template pieces per key): the server runs it on every payload and on
 * every voter state it seals (bench:server's coklit profile).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  return canonicalJsonWith(value, NONE_KNOWN);
}

/**
 * canonicalJson of an object some of whose fields are already written as canonical JSON (`known`,
 * by key): the same text without serialising those again (a voter state sealed both alone and
 * inside its history event).
 */
export function canonicalJsonWith(value: object, known: Readonly<Record<string, string>>): string {
  const obj = value as Readonly<Record<string, unknown>>;
  // Default sort compares UTF-16 code units, as `<` does.
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(k) + ':' + (own(known, k) ? known[k]! : canonicalJson(v));
    first = false;
  }
  return `${out}}`;
}

/** Lower-case hex, two digits a byte. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The 32-byte SHA-256 digest of some bytes. */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

export async function sha256Hex(input: string | Uint8Array): Promise<string> {
  return toHex(await sha256(typeof input === 'string' ? new TextEncoder().encode(input) : input));
}
