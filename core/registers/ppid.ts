// The PPID's two statutory registers, as rows: the register of information requests (buku register
// permohonan informasi publik) and the register of keberatan (buku register keberatan), with the
// columns the Komisi Informasi's service standard (Perki 1/2021, its register forms) asks a PPID to
// keep: number, date, requester and contact, information requested, purpose, how it is delivered,
// decision, date answered, reason for refusal, and the keberatan that followed. Pure: the server
// streams them to the screen, XLSX and CSV through one rule.
import { answerText, type PlaceNames } from '../forms/answer-rows.ts';
import type { FormDef } from '../forms/definition.ts';
import { formatReceipt } from '../ids.ts';
import { localDate } from '../calendar/working-days.ts';
import type { Cell, ExportMeta } from '../exports/table.ts';

export const REGISTER_KINDS = ['permohonan', 'keberatan'] as const;
export type RegisterKind = (typeof REGISTER_KINDS)[number];

/** The service each register lists. */
export const REGISTER_FORM: Readonly<Record<RegisterKind, string>> = {
  permohonan: 'ppid-permohonan',
  keberatan: 'keberatan-informasi',
};

export const REGISTER_TITLE: Readonly<Record<RegisterKind, string>> = {
  permohonan: 'Register Permohonan Informasi Publik',
  keberatan: 'Register Keberatan atas Permohonan Informasi Publik',
};

export interface RegisterColumn<K extends string> {
  key: K;
  label: string;
}

export const PERMOHONAN_COLUMNS = [
  { key: 'no', label: 'No.' },
  { key: 'tanggal', label: 'Tanggal permohonan' },
  { key: 'nomor', label: 'Nomor tanda terima' },
  { key: 'nama', label: 'Nama pemohon' },
  { key: 'nik', label: 'NIK' },
  { key: 'alamat', label: 'Alamat' },
  { key: 'pekerjaan', label: 'Pekerjaan' },
  { key: 'kontak', label: 'Nomor HP / email' },
  { key: 'informasi', label: 'Informasi yang diminta' },
  { key: 'tujuan', label: 'Tujuan penggunaan informasi' },
  { key: 'cara', label: 'Cara memperoleh informasi' },
  { key: 'ditujukan', label: 'Ditujukan kepada' },
  { key: 'keputusan', label: 'Keputusan' },
  { key: 'tanggalJawab', label: 'Tanggal dijawab' },
  { key: 'alasanPenolakan', label: 'Alasan penolakan' },
  { key: 'keberatan', label: 'Keberatan' },
] as const satisfies readonly RegisterColumn<string>[];

export const KEBERATAN_COLUMNS = [
  { key: 'no', label: 'No.' },
  { key: 'tanggal', label: 'Tanggal keberatan' },
  { key: 'nomor', label: 'Nomor tanda terima keberatan' },
  { key: 'nomorPermohonan', label: 'Nomor permohonan informasi' },
  { key: 'nama', label: 'Nama pemohon keberatan' },
  { key: 'nik', label: 'NIK' },
  { key: 'alamat', label: 'Alamat' },
  { key: 'kontak', label: 'Nomor HP / email' },
  { key: 'alasan', label: 'Alasan keberatan (Pasal 35 UU 14/2008)' },
  { key: 'uraian', label: 'Uraian keberatan' },
  { key: 'ditujukan', label: 'Ditujukan kepada' },
  { key: 'keputusan', label: 'Keputusan atasan PPID' },
  { key: 'tanggalJawab', label: 'Tanggal ditanggapi' },
  { key: 'tanggapan', label: 'Tanggapan atasan PPID' },
] as const satisfies readonly RegisterColumn<string>[];

export type PermohonanKey = (typeof PERMOHONAN_COLUMNS)[number]['key'];
export type KeberatanKey = (typeof KEBERATAN_COLUMNS)[number]['key'];
export type RegisterRow = Record<string, Cell>;

export function registerColumns(kind: RegisterKind): readonly RegisterColumn<string>[] {
  return kind === 'permohonan' ? PERMOHONAN_COLUMNS : KEBERATAN_COLUMNS;
}

const FINAL = new Set(['selesai', 'ditolak']);

/** The decision as the register records it; an open request is "not yet decided". */
export function decisionWord(status: string): string {
  switch (status) {
    case 'selesai':
      return 'Dipenuhi';
    case 'ditolak':
      return 'Ditolak';
    case 'perlu_dilengkapi':
      return 'Menunggu kelengkapan dari pemohon';
    default:
      return 'Belum diputus (dalam proses)';
  }
}

/** One stored submission as a register reads it. */
export interface RegisterSource {
  meta: ExportMeta;
  form: FormDef;
  data: Readonly<Record<string, unknown>>;
}

function text(src: RegisterSource, name: string, names: PlaceNames): Cell {
  const field = src.form.fields.find((f) => f.name === name);
  const value = src.data[name];
  if (value === undefined || value === null || value === '') return null;
  return field ? answerText(src.form, field, value, 'id', names, 'iso') : String(value);
}

function contact(src: RegisterSource): Cell {
  const parts = [src.data.telepon, src.data.email].filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return parts.length > 0 ? parts.join(' / ') : null;
}

function answered(meta: ExportMeta): Cell {
  return FINAL.has(meta.status) ? localDate(meta.statusAt) : null;
}

/**
 * A request's row. `refusal` is the stated ground (and text) of a refusal; `keberatan` the receipt
 * numbers of the keberatan filed against it.
 */
export function permohonanRow(no: number, src: RegisterSource, refusal: string | null, keberatan: readonly string[], names: PlaceNames = {}): RegisterRow {
  const row: Record<PermohonanKey, Cell> = {
    no,
    tanggal: localDate(src.meta.receivedAt),
    nomor: formatReceipt(src.meta.id),
    nama: text(src, 'nama', names),
    nik: text(src, 'nik', names),
    alamat: text(src, 'alamat', names),
    pekerjaan: text(src, 'pekerjaan', names),
    kontak: contact(src),
    informasi: text(src, 'rincianInformasi', names),
    tujuan: text(src, 'tujuanPenggunaan', names),
    cara: text(src, 'caraMenerima', names),
    ditujukan: text(src, 'ditujukanKepada', names),
    keputusan: decisionWord(src.meta.status),
    tanggalJawab: answered(src.meta),
    alasanPenolakan: src.meta.status === 'ditolak' ? refusal : null,
    keberatan: keberatan.length > 0 ? keberatan.join(', ') : 'Tidak ada',
  };
  return row;
}

export function keberatanRow(no: number, src: RegisterSource, names: PlaceNames = {}): RegisterRow {
  const row: Record<KeberatanKey, Cell> = {
    no,
    tanggal: localDate(src.meta.receivedAt),
    nomor: formatReceipt(src.meta.id),
    nomorPermohonan: text(src, 'nomorPermohonan', names),
    nama: text(src, 'nama', names),
    nik: text(src, 'nik', names),
    alamat: text(src, 'alamat', names),
    kontak: contact(src),
    alasan: text(src, 'alasan', names),
    uraian: text(src, 'uraianKeberatan', names),
    ditujukan: text(src, 'ditujukanKepada', names),
    keputusan: decisionWord(src.meta.status),
    tanggalJawab: answered(src.meta),
    tanggapan: FINAL.has(src.meta.status) ? src.meta.answer : null,
  };
  return row;
}

/** A row's cells in its register's column order, for XLSX and CSV. */
export function registerCells(kind: RegisterKind, row: RegisterRow): Cell[] {
  return registerColumns(kind).map((c) => row[c.key] ?? null);
}
