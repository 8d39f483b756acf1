// The keyed blind index of NIKs: HMAC-SHA256 of the normalised NIK under a key kept outside the
// database. A NIK has little entropy (region, birth date, a serial), so a plain hash would be
// reversed by trying them all; without the key the index says nothing. The key is a random secret
// kept wrapped by the key-encryption key in the data-key store (DataKeys.secretKey), so a KEK
// rotation keeps every index value.
import { createHmac } from 'node:crypto';
import { nameTokens } from '../../core/duplicates/names.ts';
import { normaliseNik } from '../../core/privacy/subject-request.ts';

export interface SubjectIndex {
  /** The index of a NIK, or undefined when it is no NIK (16 digits). */
  of(nik: string): string | undefined;
  /**
   * The index of each word of a name (core/duplicates/names.ts nameTokens): HMACs under the same
   * key with a `name:` prefix, so a name word never equals a NIK's index. Empty for no name.
   */
  nameWords(name: string): string[];
}

/** An index keyed by `key` (32 bytes or more). */
export function subjectIndexFromKey(key: Buffer): SubjectIndex {
  if (key.length < 32) throw new Error('The subject index key must be at least 32 bytes');
  return {
    of(raw) {
      const nik = normaliseNik(raw);
      return nik === undefined ? undefined : createHmac('sha256', key).update(nik).digest('hex');
    },
    nameWords(raw) {
      return nameTokens(raw).map((word) => createHmac('sha256', key).update(`name:${word}`).digest('hex'));
    },
  };
}
