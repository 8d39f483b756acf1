// Pieces several forms share: named choice lists (data, copied into each form that uses them so
// every published definition stands alone) and the province's bounding box for GPS warnings.
import type { Choice, FieldDef, GeoBounds } from '../definition.ts';
import { PROVINCE_CODE, REGENCIES } from '../../regions.ts';

/** Kepulauan Bangka Belitung with a margin: Bangka's west coast to Belitung Timur's islets. */
export const PROVINCE_BOUNDS: GeoBounds = { south: -3.6, west: 104.9, north: -1.3, east: 109.0 };

/** The KPU offices of the province: the provincial KPU and the seven regency/city KPUs. */
export const KPU_OFFICES: readonly Choice[] = [
  { value: PROVINCE_CODE, label: { id: 'KPU Provinsi Kepulauan Bangka Belitung', en: 'KPU Bangka Belitung Islands Province' } },
  ...REGENCIES.map((r) => ({ value: r.code, label: { id: `KPU ${r.name}`, en: `KPU ${r.name}` } })),
];

export const SEX: readonly Choice[] = [
  { value: 'L', label: { id: 'Laki-laki', en: 'Male' } },
  { value: 'P', label: { id: 'Perempuan', en: 'Female' } },
];

export const MARITAL_STATUS: readonly Choice[] = [
  { value: 'B', label: { id: 'Belum kawin', en: 'Never married' } },
  { value: 'S', label: { id: 'Sudah kawin', en: 'Married' } },
  { value: 'P', label: { id: 'Pernah kawin', en: 'Divorced or widowed' } },
];

/** Disability kinds as the voter list codes them, 1–6. */
export const DISABILITY: readonly Choice[] = [
  { value: '1', label: { id: '1 Fisik', en: '1 Physical' } },
  { value: '2', label: { id: '2 Intelektual', en: '2 Intellectual' } },
  { value: '3', label: { id: '3 Mental', en: '3 Mental' } },
  { value: '4', label: { id: '4 Sensorik wicara', en: '4 Speech' } },
  { value: '5', label: { id: '5 Sensorik rungu', en: '5 Hearing' } },
  { value: '6', label: { id: '6 Sensorik netra', en: '6 Visual' } },
];

const TMS_COMMON: readonly Choice[] = [
  { value: '1', label: { id: '1 Meninggal dunia', en: '1 Dead' } },
  { value: '2', label: { id: '2 Ganda', en: '2 Listed twice' } },
  { value: '3', label: { id: '3 Di bawah umur (belum 17 tahun dan belum pernah kawin)', en: '3 Under age (under 17 and never married)' } },
  { value: '4', label: { id: '4 Pindah domisili', en: '4 Moved away' } },
  { value: '5', label: { id: '5 Tidak dikenal', en: '5 Not known at the address' } },
  { value: '6', label: { id: '6 Anggota TNI', en: '6 Member of the armed forces (TNI)' } },
  { value: '7', label: { id: '7 Anggota Polri', en: '7 Member of the police (Polri)' } },
  { value: '8', label: { id: '8 Gangguan jiwa permanen (dengan surat dokter)', en: "8 Permanent mental impairment (with a doctor's letter)" } },
  { value: '9', label: { id: '9 Hak pilih dicabut putusan pengadilan', en: '9 Right to vote revoked by a court' } },
];

/**
 * Reasons a listed voter is not eligible (TMS). The codes differ between elections and are set by
 * each election's KPU rules, so they are data: check them against the current rules before a
 * stage and publish a new form version when they change.
 */
export const COKLIT_TMS_PEMILU: readonly Choice[] = TMS_COMMON;

/** A regional election also strikes voters who are not residents of the region holding it. */
export const COKLIT_TMS_PILKADA: readonly Choice[] = [
  ...TMS_COMMON,
  { value: '10', label: { id: '10 Bukan penduduk daerah pemilihan', en: '10 Not a resident of the electoral region' } },
];

/** The reporter of a public form: the NIK, name and phone KPU needs to answer. */
export function reporterFields(prefix = ''): FieldDef[] {
  const name = (n: string) => (prefix ? prefix + n[0]!.toUpperCase() + n.slice(1) : n);
  return [
    {
      name: name('nik'),
      type: 'nik',
      label: { id: 'NIK', en: 'NIK (national identity number)' },
      help: { id: '16 angka pada KTP-el atau KK.', en: 'The 16 digits on your e-KTP or family card.' },
      required: true,
    },
    { name: name('nama'), type: 'text', label: { id: 'Nama lengkap', en: 'Full name' }, required: true, minLength: 2, maxLength: 100, autocomplete: 'name' },
    {
      name: name('telepon'),
      type: 'phone',
      label: { id: 'Nomor HP', en: 'Mobile number' },
      help: { id: 'Contoh: 0812 3456 7890.', en: 'For example: 0812 3456 7890.' },
      required: true,
      autocomplete: 'tel',
    },
  ];
}
