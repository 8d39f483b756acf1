// Sealing bytes to the provincial server's public key, so a phone that carries a resident's
// submission (QR hand-off) or an SMS gateway cannot read it, and any change is detected.
// WebCrypto only (page, service worker, Node 20): ECDH P-256 with a fresh ephemeral key per
// message, HKDF-SHA-256, AES-256-GCM. Compact on purpose (54 bytes of overhead) for SMS.
//
// Format, version 1:
//   [0]      0x01, the format version
//   [1..4]   key id: the first 4 bytes of SHA-256 over the server's raw public key
//   [5..37]  the ephemeral public key, compressed
//   [38..]   AES-256-GCM ciphertext followed by its 16-byte tag
// Key and nonce both come from HKDF(ECDH secret, salt = bytes 0..37, info = "jangkau-seal-v1").
// The ephemeral key is new for every message, so the derived nonce is never reused; bytes 0..37
// are the associated data, so the version, the key id and the ephemeral key cannot be swapped.
import { sha256, toHex } from '../hash.ts';
import { COMPRESSED_POINT_BYTES, compressPoint, decompressPoint } from './p256-point.ts';

export const SEAL_VERSION = 1;
/** How the keys route names this scheme. */
export const SEAL_ALGORITHM = 'ECDH-P256+HKDF-SHA256+A256GCM' as const;
export const KEY_ID_BYTES = 4;
const HEADER_BYTES = 1 + KEY_ID_BYTES + COMPRESSED_POINT_BYTES;
const TAG_BYTES = 16;
/** Bytes a sealed message adds to its content. */
export const SEAL_OVERHEAD = HEADER_BYTES + TAG_BYTES;
const INFO = new TextEncoder().encode('jangkau-seal-v1');
const EC = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** The server's public key as the app keeps it: the raw uncompressed point and its id. */
export interface SealingKey {
  /** 8 hex characters: the first 4 bytes of SHA-256 over `raw`. */
  kid: string;
  /** 65 bytes, 0x04‖x‖y. */
  raw: Uint8Array;
}

/** A server private key with the id of its public half. */
export interface UnsealingKey {
  kid: string;
  privateKey: CryptoKey;
}

export type UnsealFailure = 'format' | 'unknown_key' | 'integrity';
export type UnsealResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: UnsealFailure };

export class SealError extends Error {
  constructor(readonly reason: UnsealFailure) {
    super(`sealed message refused: ${reason}`);
    this.name = 'SealError';
  }
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** A copy backed by a plain ArrayBuffer, as WebCrypto's typings want. */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

/** The key id of a raw public key. */
export async function keyIdOf(raw: Uint8Array): Promise<string> {
  return toHex((await sha256(raw)).subarray(0, KEY_ID_BYTES));
}

async function deriveKeyAndNonce(
  privateKey: CryptoKey,
  publicKey: CryptoKey,
  salt: Uint8Array,
): Promise<{ key: CryptoKey; nonce: Uint8Array<ArrayBuffer> }> {
  const shared = await subtle().deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const ikm = await subtle().importKey('raw', shared, 'HKDF', false, ['deriveBits']);
  const okm = new Uint8Array(
    await subtle().deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: own(salt), info: own(INFO) }, ikm, (32 + 12) * 8),
  );
  const key = await subtle().importKey('raw', okm.slice(0, 32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  return { key, nonce: okm.slice(32) };
}

/** Encrypts `bytes` so that only the holder of the server's private key can read them. */
export async function seal(publicKey: SealingKey, bytes: Uint8Array): Promise<Uint8Array> {
  if (!/^[0-9a-f]{8}$/.test(publicKey.kid)) throw new Error('key id must be 8 hex characters');
  const server = await subtle().importKey('raw', own(publicKey.raw), EC, false, []);
  const ephemeral = (await subtle().generateKey(EC, true, ['deriveBits'])) as CryptoKeyPair;
  const ephemeralRaw = new Uint8Array(await subtle().exportKey('raw', ephemeral.publicKey));

  const header = new Uint8Array(HEADER_BYTES);
  header[0] = SEAL_VERSION;
  for (let i = 0; i < KEY_ID_BYTES; i++) header[1 + i] = parseInt(publicKey.kid.slice(i * 2, i * 2 + 2), 16);
  header.set(compressPoint(ephemeralRaw), 1 + KEY_ID_BYTES);

  const { key, nonce } = await deriveKeyAndNonce(ephemeral.privateKey, server, header);
  const ciphertext = new Uint8Array(
    await subtle().encrypt({ name: 'AES-GCM', iv: nonce, additionalData: header, tagLength: 128 }, key, own(bytes)),
  );
  const out = new Uint8Array(HEADER_BYTES + ciphertext.length);
  out.set(header);
  out.set(ciphertext, HEADER_BYTES);
  return out;
}

/** The key id a sealed message names, or undefined when it is not a sealed message. */
export function sealedKeyId(sealed: Uint8Array): string | undefined {
  if (sealed.length < SEAL_OVERHEAD || sealed[0] !== SEAL_VERSION) return undefined;
  return toHex(sealed.subarray(1, 1 + KEY_ID_BYTES));
}

/** Opens a sealed message with whichever of `keys` it names; failures are values. */
export async function tryUnseal(keys: UnsealingKey | readonly UnsealingKey[], sealed: Uint8Array): Promise<UnsealResult> {
  const kid = sealedKeyId(sealed);
  if (kid === undefined) return { ok: false, reason: 'format' };
  const match = (Array.isArray(keys) ? keys : [keys as UnsealingKey]).find((k) => k.kid === kid);
  if (!match) return { ok: false, reason: 'unknown_key' };

  const header = sealed.slice(0, HEADER_BYTES);
  let ephemeral: CryptoKey;
  try {
    const point = decompressPoint(header.subarray(1 + KEY_ID_BYTES));
    ephemeral = await subtle().importKey('raw', own(point), EC, false, []);
  } catch {
    return { ok: false, reason: 'integrity' };
  }
  const { key, nonce } = await deriveKeyAndNonce(match.privateKey, ephemeral, header);
  try {
    const plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: nonce, additionalData: header, tagLength: 128 },
      key,
      own(sealed.subarray(HEADER_BYTES)),
    );
    return { ok: true, bytes: new Uint8Array(plain) };
  } catch {
    return { ok: false, reason: 'integrity' };
  }
}

/** Opens a sealed message; throws a SealError saying why it was refused. */
export async function unseal(keys: UnsealingKey | readonly UnsealingKey[], sealed: Uint8Array): Promise<Uint8Array> {
  const result = await tryUnseal(keys, sealed);
  if (!result.ok) throw new SealError(result.reason);
  return result.bytes;
}
