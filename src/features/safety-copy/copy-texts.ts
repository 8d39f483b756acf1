// The safety copy's texts, Bahasa Indonesia first and English second, like src/i18n/id.ts and en.ts.
// They live with the lazily loaded screens instead of the first-load catalogue: only these screens
// use them, and in src/i18n they cost the first load 2.8 KB gzip (the budget is 130 KB).
import { chunkText } from '../../i18n/chunk-text.ts';

const id = {
  backupSave: 'Simpan cadangan',
  backupOpen: 'Buka cadangan',
  backupSaveIntro:
    'Simpan semua permohonan yang belum terkirim ke satu berkas. Berkas terkunci dengan kata sandi yang Anda pilih. Simpan berkas dan kata sandi di tempat aman.',
  backupOpenIntro:
    'Buka berkas cadangan dari ponsel ini atau ponsel lain. Permohonan di dalamnya masuk antrean dengan nomor tanda terima aslinya, sehingga KPU menerimanya satu kali saja.',
  backupWaiting: '{n} permohonan belum terkirim, sekitar {size}.',
  backupNothing: 'Tidak ada permohonan yang belum terkirim. Tidak ada yang perlu dicadangkan.',
  backupWarning:
    'Kata sandi tidak dapat dipulihkan. Tanpa kata sandi ini, berkas tidak dapat dibuka oleh siapa pun, termasuk KPU.',
  backupPassphrase: 'Kata sandi cadangan',
  backupPassphraseHelp: 'Minimal 8 karakter. Kalimat pendek yang mudah Anda ingat lebih aman daripada satu kata.',
  backupPassphraseAgain: 'Ulangi kata sandi',
  backupTooShort: 'Kata sandi minimal 8 karakter.',
  backupMismatch: 'Kata sandi tidak sama.',
  backupPassphraseMissing: 'Isi kata sandi cadangan.',
  backupSaveButton: 'Simpan',
  backupLocking: 'Mengunci berkas…',
  backupSaved:
    '{n} permohonan disimpan ke berkas {file} ({size}). Berkas ini bukan pengganti pengiriman: permohonan tetap dalam antrean di ponsel ini.',
  backupDownloadAgain: 'Unduh berkas lagi',
  backupSaveFailed: 'Cadangan gagal dibuat. Permohonan tetap aman di ponsel ini. Coba lagi.',
  backupFile: 'Berkas cadangan',
  backupFileHelp: 'Berkas berakhiran .jangkau, misalnya dari folder Unduhan.',
  backupFileMissing: 'Pilih berkas cadangan dulu.',
  backupOpenButton: 'Buka',
  backupOpening: 'Membuka berkas…',
  backupImported: '{n} permohonan dimasukkan ke antrean.',
  backupSkipped: '{n} sudah ada di ponsel ini.',
  backupWrongPassphrase: 'Kata sandi salah. Berkas tidak dibuka; coba lagi.',
  backupNotACopy: 'Berkas ini bukan cadangan Jangkau.',
  backupNewerFormat: 'Cadangan ini dibuat oleh versi Jangkau yang lebih baru. Perbarui aplikasi dulu.',
  backupDamaged: 'Berkas cadangan rusak atau tidak lengkap.',
  backupOpenFailed: 'Berkas tidak dapat dibaca. Coba lagi.',
} as const;

export type CopyKey = keyof typeof id;

// Same keys as `id`; the type makes a missing one a build error.
const en: Record<CopyKey, string> = {
  backupSave: 'Save a safety copy',
  backupOpen: 'Open a safety copy',
  backupSaveIntro:
    'Save every request not yet sent to one file. The file is locked with a passphrase you choose. Keep the file and the passphrase somewhere safe.',
  backupOpenIntro:
    'Open a safety copy file from this phone or another. Its requests join the queue under their original receipt numbers, so KPU receives each one only once.',
  backupWaiting: '{n} requests not yet sent, about {size}.',
  backupNothing: 'No request is waiting to be sent. There is nothing to save.',
  backupWarning: 'The passphrase cannot be recovered. Without it nobody can open the file, KPU included.',
  backupPassphrase: 'Safety copy passphrase',
  backupPassphraseHelp: 'At least 8 characters. A short sentence you remember easily is safer than one word.',
  backupPassphraseAgain: 'Repeat the passphrase',
  backupTooShort: 'The passphrase needs at least 8 characters.',
  backupMismatch: 'The passphrases do not match.',
  backupPassphraseMissing: 'Enter the safety copy passphrase.',
  backupSaveButton: 'Save',
  backupLocking: 'Locking the file…',
  backupSaved:
    '{n} requests saved to the file {file} ({size}). This file does not replace sending: the requests stay queued on this phone.',
  backupDownloadAgain: 'Download the file again',
  backupSaveFailed: 'The safety copy could not be made. Your requests are still safe on this phone. Try again.',
  backupFile: 'Safety copy file',
  backupFileHelp: 'A file ending in .jangkau, for example from the Downloads folder.',
  backupFileMissing: 'Choose the safety copy file first.',
  backupOpenButton: 'Open',
  backupOpening: 'Opening the file…',
  backupImported: '{n} requests added to the queue.',
  backupSkipped: '{n} were already on this phone.',
  backupWrongPassphrase: 'Wrong passphrase. The file was not opened; try again.',
  backupNotACopy: 'This file is not a Jangkau safety copy.',
  backupNewerFormat: 'This safety copy was made by a newer version of Jangkau. Update the app first.',
  backupDamaged: 'The safety copy file is damaged or incomplete.',
  backupOpenFailed: 'The file could not be read. Try again.',
};

/** The safety copy's texts in the language the person chose. */
export const useCopyText = chunkText<CopyKey>({ id, en });
