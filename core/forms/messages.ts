// Validation messages, one per issue code, in both languages. Page and server use the same text.
import { fill, type LocalText } from '../local-text.ts';

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
  nik_on_list: {
    id: 'NIK ini sudah ada di daftar pemilih TPS {tps} yang Anda unduh: mungkin pemilih ganda. Periksa kembali; bila orangnya sama, catat hasilnya pada pemilih di daftar itu. Data tetap dapat dikirim.',
    en: 'This NIK is already on the downloaded voter list of TPS {tps}: possibly a double listing. Please check; if it is the same person, record the outcome on that listed voter. You can still send.',
  },
  // format 2
  not_list: { id: 'Isian harus berupa daftar.', en: 'The value must be a list.' },
  not_entry: { id: 'Isian ini tidak terbaca.', en: 'This entry could not be read.' },
  constraint: { id: 'Isian tidak sesuai format yang diminta.', en: 'The value does not have the required format.' },
  number_format: { id: 'Isi dengan angka, contoh: 12 atau 3,5.', en: 'Enter a number, e.g. 12 or 3.5.' },
  number_integer: { id: 'Isi dengan bilangan bulat.', en: 'Enter a whole number.' },
  number_min: { id: 'Paling kecil {min}.', en: 'At least {min}.' },
  number_max: { id: 'Paling besar {max}.', en: 'At most {max}.' },
  date_too_early: { id: 'Tanggal terlalu awal.', en: 'The date is too early.' },
  date_too_late: { id: 'Tanggal terlalu akhir.', en: 'The date is too late.' },
  date_future: { id: 'Tanggal tidak boleh di masa depan.', en: 'The date cannot be in the future.' },
  out_of_scope: {
    id: 'Wilayah ini di luar wilayah tugas Anda. Pilih wilayah yang menjadi tugas Anda.',
    en: 'This region is outside your assigned area. Choose a region you are assigned to.',
  },
  officer_only: {
    id: 'Formulir ini hanya untuk petugas. Masuk sebagai petugas (menu Petugas) untuk mengirimnya.',
    en: 'This form is for officers only. Log in as an officer (Officer menu) to send it.',
  },
  duplicate_choice: { id: 'Pilihan yang sama dipilih dua kali.', en: 'The same option is chosen twice.' },
  choices_too_few: { id: 'Pilih paling sedikit {min}.', en: 'Choose at least {min}.' },
  choices_too_many: { id: 'Pilih paling banyak {max}.', en: 'Choose at most {max}.' },
  region_format: { id: 'Kode wilayah tidak valid.', en: 'Not a valid region code.' },
  region_outside: { id: 'Wilayah ini di luar cakupan formulir.', en: 'This region is outside the area of this form.' },
  region_unknown: { id: 'Wilayah tidak ditemukan dalam daftar wilayah.', en: 'This region is not in the list of regions.' },
  island_format: { id: 'Kode pulau tidak valid.', en: 'Not a valid island code.' },
  island_unknown: { id: 'Pulau tidak ditemukan dalam daftar pulau berpenghuni.', en: 'This island is not in the list of populated islands.' },
  kk_format: { id: 'Nomor KK harus 16 angka.', en: 'The family card number must be 16 digits.' },
  kk_province: { id: 'Dua angka pertama nomor KK bukan kode provinsi.', en: 'The first two digits of the family card number are not a province code.' },
  kk_region: {
    id: 'Kode kabupaten/kota atau kecamatan pada nomor KK tidak valid.',
    en: 'The regency or district code in the family card number is not valid.',
  },
  file_shape: { id: 'Lampiran tidak terbaca; pilih berkas lagi.', en: 'The attachment could not be read; choose the file again.' },
  file_type: { id: 'Jenis berkas ini tidak diterima.', en: 'This kind of file is not accepted.' },
  file_too_big: { id: 'Berkas terlalu besar: paling besar {maxMb} MB.', en: 'The file is too large: at most {maxMb} MB.' },
  gps_shape: { id: 'Lokasi tidak terbaca; ambil lokasi lagi.', en: 'The location could not be read; take it again.' },
  gps_range: { id: 'Koordinat di luar rentang: lintang −90…90, bujur −180…180.', en: 'Coordinates out of range: latitude −90…90, longitude −180…180.' },
  gps_outside_area: {
    id: 'Lokasi ini di luar Provinsi Kepulauan Bangka Belitung. Periksa kembali; data tetap dapat dikirim.',
    en: 'This location is outside the Bangka Belitung Islands. Please check; you can still send.',
  },
  repeat_too_few: { id: 'Tambahkan paling sedikit {min} isian.', en: 'Add at least {min} entries.' },
  repeat_too_many: { id: 'Paling banyak {max} isian.', en: 'At most {max} entries.' },
} as const satisfies Record<string, LocalText>;

export type IssueCode = keyof typeof ISSUE_MESSAGES;

/**
 * The text of one issue. A custom constraint carries the index of its rule in `params.index`, and
 * the definition's own message wins over the generic one; page and rejection notices both use this.
 */
export function issueText(
  issue: { code: string; params?: Record<string, number> },
  lang: 'id' | 'en',
  field?: { constraints?: readonly { message: LocalText }[] },
): string {
  if (issue.code === 'constraint' && field?.constraints) {
    const rule = field.constraints[issue.params?.index ?? -1];
    if (rule) return rule.message[lang];
  }
  const text = (ISSUE_MESSAGES as Record<string, LocalText | undefined>)[issue.code];
  return text ? fill(text[lang], issue.params) : issue.code;
}
