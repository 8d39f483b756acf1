// What the safety-copy screens say about a passphrase or a refused file, and beside which field.
// Pure: the screens only render what these answer.
import type { CopyKey } from './copy-texts.ts';
import type { ImportFailure } from '../../lib/safety-copy.ts';
import { passphraseProblem } from '../../lib/safety-copy-format.ts';

/** The two passphrase fields of "Simpan cadangan": an error for each, or none when the pair may be used. */
export function newPassphraseErrors(first: string, second: string): { first?: CopyKey; second?: CopyKey } {
  if (passphraseProblem(first) === 'too_short') return { first: 'backupTooShort' };
  // Compared as the importer will read them: NFC, so one keyboard's "é" equals another's.
  if (first.normalize('NFC') !== second.normalize('NFC')) return { second: 'backupMismatch' };
  return {};
}

/** Where "Buka cadangan" shows a refusal: beside the file, beside the passphrase, or for the whole screen. */
export type RefusalPlace = 'file' | 'passphrase' | 'screen';

/** `quotaFull` is the app's own message (src/i18n), the rest are the safety copy's texts. */
export function refusalMessage(reason: ImportFailure): { place: RefusalPlace; key: CopyKey | 'quotaFull' } {
  switch (reason) {
    case 'wrong_passphrase':
      return { place: 'passphrase', key: 'backupWrongPassphrase' };
    case 'not_a_safety_copy':
      return { place: 'file', key: 'backupNotACopy' };
    case 'newer_format':
      return { place: 'file', key: 'backupNewerFormat' };
    case 'damaged':
      return { place: 'file', key: 'backupDamaged' };
    case 'quota':
      return { place: 'screen', key: 'quotaFull' };
  }
}
