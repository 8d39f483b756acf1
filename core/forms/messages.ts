// Validation messages, one per issue code, in both languages. Page and server use the same text.
import type { LocalText } from '../local-text.ts';

export const ISSUE_MESSAGES = {
  required: { id: 'Wajib diisi.', en: 'This field is required.' },
  too_short: { id: 'Terlalu pendek: paling sedikit {min} karakter.', en: 'Too short: at least {min} characters.' },
  too_long: { id: 'Terlalu panjang: paling banyak {max} karakter.', en: 'Too long: at most {max} characters.' },
  not_text: { id: 'Isian harus berupa teks.', en: 'The value must be text.' },
  not_object: { id: 'Isian formulir tidak terbaca.', en: 'The form answers could not be read.' },
  unknown_field: { id: 'Isian ini tidak ada pada formulir.', en: 'This field is not on the form.' },
  not_applicable: { id: 'Isian ini tidak berlaku untuk pilihan Anda.', en: 'This field does not apply to your choices.' },
  bad_choice: { id: 'Pilih salah satu pilihan yang tersedia.', en: 'Choose one of the options given.' },
  bad_date: { id: 'Tanggal tidak valid.', en: 'Not a valid date.' },
  email_format: { id: 'Alamat email tidak valid, contoh: nama@contoh.id.', en: 'Not a valid email address, e.g. name@example.id.' },
  phone_format: {
    id: 'Nomor HP tidak valid: awali dengan 08 atau +628, 10–13 angka.',
    en: 'Not a valid mobile number: start with 08 or +628, 10–13 digits.',
  },
  nik_format: { id: 'NIK harus 16 angka.', en: 'The NIK must be 16 digits.' },
  nik_province: { id: 'Dua angka pertama NIK bukan kode provinsi.', en: 'The first two digits of the NIK are not a province code.' },
  nik_region: { id: 'Kode kabupaten/kota atau kecamatan pada NIK tidak valid.', en: 'The regency or district code in the NIK is not valid.' },
  nik_date: { id: 'Tanggal lahir di dalam NIK (angka 7–12) tidak valid.', en: 'The birth date inside the NIK (digits 7–12) is not valid.' },
  nik_serial: { id: 'Empat angka terakhir NIK tidak boleh 0000.', en: 'The last four digits of the NIK cannot be 0000.' },
  nik_birthdate_mismatch: {
    id: 'Tanggal lahir di NIK berbeda dengan yang diisi. Periksa kembali; data tetap dapat dikirim.',
    en: 'The birth date in the NIK differs from the one given. Please check; you can still send.',
  },
  nik_sex_mismatch: {
    id: 'Jenis kelamin di NIK berbeda dengan yang diisi. Periksa kembali; data tetap dapat dikirim.',
    en: 'The sex in the NIK differs from the one given. Please check; you can still send.',
  },
} as const satisfies Record<string, LocalText>;

export type IssueCode = keyof typeof ISSUE_MESSAGES;
