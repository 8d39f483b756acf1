// The synchronous ciphers behind encryption at rest (at-rest-codec.ts). Unlocked: AES-256-GCM under
// the device key, a fresh 96-bit nonce per sealing, the nonce kept in front of the ciphertext and
// its tag; it also opens what was sealed to the device's public key while locked (device-seal.ts).
// Locked: a cipher that only seals, to the device's public key. Text in base64 (a device-sealed
// text starts 'pk.', which base64 never contains); files' bytes as bytes.
import { gcm } from '@noble/ciphers/aes.js';
import { DeviceLockedError } from '../db/crypto-at-rest.ts';
import { fromBase64, toBase64 } from '../lib/base64.ts';
import { DEVICE_SEALED_PREFIX, deviceSealer, devicePrivateKey, openDeviceSealed } from './device-seal.ts';

/** Seals and opens text, and bytes (photos, documents); all throw on failure. */
export interface AtRestCipher {
  /** True for the locked cipher: it seals to the device's public key and opens nothing. */
  readonly toDevicePk: boolean;
  seal(plain: string): string;
  open(sealed: string): string;
  sealBytes(plain: Uint8Array): Uint8Array;
  /** `toDevicePk`: the bytes were sealed by the locked cipher. */
  openBytes(sealed: Uint8Array, toDevicePk?: boolean): Uint8Array;
}

const NONCE_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function bytesOf(sealed: string): Uint8Array {
  const bytes = fromBase64(sealed);
  if (!bytes) throw new TypeError('sealed text is not base64');
  return bytes;
}

/** A cipher over a 32-byte device key. The key bytes are copied, so the caller may wipe theirs. */
export function createAtRestCipher(deviceKey: Uint8Array): AtRestCipher {
  if (deviceKey.length !== 32) throw new RangeError('the device key must be 32 bytes');
  const key = Uint8Array.from(deviceKey);
  const privateKey = devicePrivateKey(key);
  function sealBytes(plain: Uint8Array): Uint8Array {
    const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
    const sealed = gcm(key, nonce).encrypt(plain);
    const out = new Uint8Array(NONCE_BYTES + sealed.length);
    out.set(nonce);
    out.set(sealed, NONCE_BYTES);
    return out;
  }
  function openBytes(sealed: Uint8Array, toDevicePk = false): Uint8Array {
    if (toDevicePk) return openDeviceSealed(privateKey, sealed);
    return gcm(key, sealed.subarray(0, NONCE_BYTES)).decrypt(sealed.subarray(NONCE_BYTES));
  }
  return {
    toDevicePk: false,
    sealBytes,
    openBytes,
    seal: (plain) => toBase64(sealBytes(encoder.encode(plain))),
    open(sealed) {
      if (sealed.startsWith(DEVICE_SEALED_PREFIX)) return decoder.decode(openBytes(bytesOf(sealed.slice(DEVICE_SEALED_PREFIX.length)), true));
      return decoder.decode(openBytes(bytesOf(sealed)));
    },
  };
}

/** The locked cipher: seals to the device's public key; opening needs the PIN. */
export function createLockedCipher(devicePublicKey: Uint8Array): AtRestCipher {
  const sealer = deviceSealer(devicePublicKey);
  return {
    toDevicePk: true,
    sealBytes: (plain) => sealer.sealBytes(plain),
    openBytes() {
      throw new DeviceLockedError();
    },
    seal: (plain) => DEVICE_SEALED_PREFIX + toBase64(sealer.sealBytes(encoder.encode(plain))),
    open() {
      throw new DeviceLockedError();
    },
  };
}
