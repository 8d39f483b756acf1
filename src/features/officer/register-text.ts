// Words of the PPID register screen, Indonesian first, kept in the officer chunk.
import { chunkText } from '../../i18n/chunk-text.ts';

const id = {
  link: 'Register PPID',
  heading: 'Register PPID',
  intro: 'Buku register permohonan informasi publik dan register keberatan, per periode dan wilayah Anda. Perlu sinyal; setiap pembacaan dicatat di log audit.',
  kind: 'Register',
  permohonan: 'Permohonan informasi',
  keberatan: 'Keberatan',
  period: 'Bulan',
  show: 'Tampilkan',
  print: 'Cetak',
  xlsx: 'Unduh XLSX',
  csvSemicolon: 'Unduh CSV (;)',
  csvComma: 'Unduh CSV (,)',
  empty: 'Tidak ada catatan pada periode ini.',
  more: 'Berikutnya',
  loading: 'Memuat…',
  offline: 'Tidak tersambung. Register dibaca dari server; coba lagi saat ada sinyal.',
  forbidden: 'Akun Anda tidak boleh membuka atau mengunduh register ini.',
  unauthorized: 'Sesi berakhir. Masuk lagi.',
  failed: 'Register tidak dapat dibaca.',
};

export type RegisterKey = keyof typeof id;

const en: Record<RegisterKey, string> = {
  link: 'PPID registers',
  heading: 'PPID registers',
  intro: 'The register of public information requests and the register of objections, per period and your region. Needs signal; each read is written to the audit log.',
  kind: 'Register',
  permohonan: 'Information requests',
  keberatan: 'Objections',
  period: 'Month',
  show: 'Show',
  print: 'Print',
  xlsx: 'Download XLSX',
  csvSemicolon: 'Download CSV (;)',
  csvComma: 'Download CSV (,)',
  empty: 'Nothing recorded in this period.',
  more: 'Next',
  loading: 'Loading…',
  offline: 'Not connected. Registers are read from the server; try again with signal.',
  forbidden: 'Your account may not open or download this register.',
  unauthorized: 'Your session ended. Log in again.',
  failed: 'The register could not be read.',
};

export const useRegisterText = chunkText<RegisterKey>({ id, en });
