// Blind keys for the duplicate search (pemilih ganda): HMAC-SHA256 of core's plaintext grouping
// keys (core/duplicates/rules.ts matchKeys) under a secret of its own, kept wrapped by the KEK in
// the data-key store like the subject index's (subject-index.ts). Equal inputs give equal keys, so
// SQL groups them; without the secret a key cannot be tested against a guessed NIK or name.
// Truncated to 128 bits: at national scale (2 × 10^8 records) an accidental collision stays
// below 10^-20, and the four indexes are half the size.
import { createHmac } from 'node:crypto';
import { matchKeys, type MatchKeys, type MatchRecord } from '../../core/duplicates/rules.ts';
import type { DataKeys } from './data-keys.ts';

export type BlindMatchKeys = MatchKeys;

export interface MatchKeyer {
  of(record: Omit<MatchRecord, 'key'>): BlindMatchKeys;
}

export function matchKeyerFromKey(key: Buffer): MatchKeyer {
  if (key.length < 32) throw new Error('The match key secret must be at least 32 bytes');
  const blind = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest().subarray(0, 16).toString('base64url');
  return {
    of(record) {
      const k = matchKeys(record);
      return { nik: blind(k.nik), nameBirth: blind(k.nameBirth), birthVillage: blind(k.birthVillage), birthKk: blind(k.birthKk) };
    },
  };
}

const keyers = new WeakMap<DataKeys, Promise<MatchKeyer>>();

/** The keyer of this server's secret (made on first use, then cached per DataKeys). */
export function matchKeyer(keys: DataKeys): Promise<MatchKeyer> {
  let keyer = keyers.get(keys);
  if (!keyer) {
    keyer = keys.secretKey('voter-match').then(matchKeyerFromKey);
    keyers.set(keys, keyer);
  }
  return keyer;
}
