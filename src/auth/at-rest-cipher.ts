// The synchronous AES-256-GCM cipher behind encryption at rest (at-rest-codec.ts): a fresh
// 96-bit nonce per sealing, the nonce kept in front of the ciphertext and its tag; text in base64,
// files' bytes as bytes.
import { gcm } from '@noble/ciphers/aes.js';
import { fromBase64, toBase64 } from '../lib/base64.ts';

/** Seals and opens text, and bytes (photos, documents); all throw on failure. */
export interface AtRestCipher {
  seal(plain: string): string;
  open(sealed: string): string;
  sealBytes(plain: Uint8Array): Uint8Array;
  openBytes(sealed: Uint8Array): Uint8Array;
}

const NONCE_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A cipher over a 32-byte device key. The key bytes are copied, so the caller may wipe theirs. */
export function createAtRestCipher(deviceKey: Uint8Array): AtRestCipher {
  if (deviceKey.length !== 32) throw new RangeError('the device key must be 32 bytes');
  const key = Uint8Array.from(deviceKey);
  function sealBytes(plain: Uint8Array): Uint8Array {
    const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
    const sealed = gcm(key, nonce).encrypt(plain);
    const out = new Uint8Array(NONCE_BYTES + sealed.length);
    out.set(nonce);
    out.set(sealed, NONCE_BYTES);
    return out;
  }
  function openBytes(sealed: Uint8Array): Uint8Array {
    return gcm(key, sealed.subarray(0, NONCE_BYTES)).decrypt(sealed.subarray(NONCE_BYTES));
  }
  return {
    sealBytes,
    openBytes,
    seal: (plain) => toBase64(sealBytes(encoder.encode(plain))),
    open(sealed) {
      const bytes = fromBase64(sealed);
      if (!bytes) throw new TypeError('sealed text is not base64');
      return decoder.decode(openBytes(bytes));
    },
  };
}
