// A throwaway server key pair for tests of the sealed channels.
import { keyIdOf, type SealingKey, type UnsealingKey } from '../../../core/sealed/seal.ts';

export async function makeServerKey(): Promise<SealingKey & UnsealingKey> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { kid: await keyIdOf(raw), raw, privateKey: pair.privateKey };
}
