// The synchronous AES-256-GCM cipher behind encryption at rest (at-rest-codec.ts): a fresh
// 96-bit nonce per sealing, the nonce kept in front of the ciphertext and its tag, all in base64.
import { gcm } from '@noble/ciphers/aes.js';
import { fromBase64, toBase64 } from '../lib/base64.ts';

/** Seals and opens text; both throw on failure. */
export interface AtRestCipher {
  seal(plain: string): string;
  open(sealed: string): string;
}

const NONCE_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A cipher over a 32-byte device key. The key bytes are copied, so the caller may wipe theirs. */
export function createAtRestCipher(deviceKey: Uint8Array): AtRestCipher {
  if (deviceKey.length !== 32) throw new RangeError('the device key must be 32 bytes');
  const key = Uint8Array.from(deviceKey);
  return {
    seal(plain) {
      const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
      const sealed = gcm(key, nonce).encrypt(encoder.encode(plain));
      const out = new Uint8Array(NONCE_BYTES + sealed.length);
      out.set(nonce);
      out.set(sealed, NONCE_BYTES);
      return toBase64(out);
    },
    open(sealed) {
      const bytes = fromBase64(sealed);
      if (!bytes) throw new TypeError('sealed text is not base64');
      return decoder.decode(gcm(key, bytes.subarray(0, NONCE_BYTES)).decrypt(bytes.subarray(NONCE_BYTES)));
    },
  };
}
