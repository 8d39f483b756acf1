// Words of the "SOP & formulir" screen and the "Apa yang berubah" notice, Indonesian first, kept in
// the officer chunk.
import { chunkText } from '../../i18n/chunk-text.ts';

const id = {
  sopHeading: 'SOP & formulir',
  sopIntro: 'Versi yang berlaku dari KPU Provinsi. Tersimpan di perangkat ini, dapat dibaca tanpa sinyal.',
  sopSection: 'SOP',
  sopNone: 'Belum ada SOP dari KPU Provinsi di perangkat ini. SOP datang saat perangkat tersambung.',
  formsSection: 'Formulir',
  versionLine: 'Versi {version}',
  effective: 'berlaku sejak {date}',
  read: 'Baca SOP',
  changes: 'Perubahan',
  whatChanged: 'Apa yang berubah',
  whatChangedIntro: 'Perangkat ini menerima versi baru:',
  close: 'Tutup',
  link: 'SOP & formulir',
};

export type SopKey = keyof typeof id;

const en: Record<SopKey, string> = {
  sopHeading: 'SOPs & forms',
  sopIntro: 'The versions in force from KPU of the province. Kept on this device, readable without signal.',
  sopSection: 'SOPs',
  sopNone: 'No SOP from KPU of the province on this device yet. SOPs arrive when the device is connected.',
  formsSection: 'Forms',
  versionLine: 'Version {version}',
  effective: 'in force from {date}',
  read: 'Read the SOP',
  changes: 'Changes',
  whatChanged: 'What changed',
  whatChangedIntro: 'This device received new versions:',
  close: 'Close',
  link: 'SOPs & forms',
};

export const useSopText = chunkText<SopKey>({ id, en });

/** 'yyyy-mm-dd' as a date people read, in Indonesian: '1 Desember 2026'. */
export function readableDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? date : d.toLocaleDateString('id-ID', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
}
