// Sealing without the PIN (issue #11 defect 9). A locked phone still writes: the worker applies a
// pulled status or an answer, a locked page stores a change. Those writes are sealed to the
// device's public key (X25519), whose private half is derived from the device key, which only the
// PIN unwraps: anyone may seal, only the unlocked app opens. Synchronous (noble), because the
// at-rest middleware seals inside IndexedDB transactions (src/db/crypto-at-rest.ts).
//
// Format: 'pk.' + base64( ephemeral public key (32) ‖ nonce (12) ‖ AES-256-GCM ciphertext+tag ),
// the key from HKDF-SHA-256(X25519(ephemeral, device), salt = ephemeral ‖ device public key).
// One ephemeral key per sealer (one locked period), not per value: a pull of hundreds of rows
// costs one key agreement, and every value still has its own nonce.
import { gcm } from '@noble/ciphers/aes.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';

export const DEVICE_SEALED_PREFIX = 'pk.';
const INFO = new TextEncoder().encode('jangkau-device-seal-v1');
const PRIVATE_INFO = new TextEncoder().encode('jangkau-device-x25519-v1');
const POINT = 32;
const NONCE = 12;

/** The device's X25519 private key: derived from the device key, so nothing more is stored. */
export function devicePrivateKey(deviceKey: Uint8Array): Uint8Array {
  return hkdf(sha256, deviceKey, undefined, PRIVATE_INFO, 32);
}

export function devicePublicKey(deviceKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(devicePrivateKey(deviceKey));
}

function keyFor(shared: Uint8Array, ephemeral: Uint8Array, device: Uint8Array): Uint8Array {
  const salt = new Uint8Array(POINT * 2);
  salt.set(ephemeral);
  salt.set(device, POINT);
  return hkdf(sha256, shared, salt, INFO, 32);
}

export interface DeviceSealer {
  sealBytes(plain: Uint8Array): Uint8Array;
}

/** Seals to `publicKey`; it cannot open anything. */
export function deviceSealer(publicKey: Uint8Array): DeviceSealer {
  const device = Uint8Array.from(publicKey);
  const secret = x25519.utils.randomSecretKey();
  const ephemeral = x25519.getPublicKey(secret);
  const key = keyFor(x25519.getSharedSecret(secret, device), ephemeral, device);
  secret.fill(0);
  return {
    sealBytes(plain) {
      const nonce = crypto.getRandomValues(new Uint8Array(NONCE));
      const sealed = gcm(key, nonce, ephemeral).encrypt(plain);
      const out = new Uint8Array(POINT + NONCE + sealed.length);
      out.set(ephemeral);
      out.set(nonce, POINT);
      out.set(sealed, POINT + NONCE);
      return out;
    },
  };
}

/** Opens what deviceSealer sealed, with the device's private key; throws on any change. */
export function openDeviceSealed(privateKey: Uint8Array, sealed: Uint8Array): Uint8Array {
  const ephemeral = sealed.subarray(0, POINT);
  const device = x25519.getPublicKey(privateKey);
  const key = keyFor(x25519.getSharedSecret(privateKey, ephemeral), ephemeral, device);
  return gcm(key, sealed.subarray(POINT, POINT + NONCE), ephemeral).decrypt(sealed.subarray(POINT + NONCE));
}
