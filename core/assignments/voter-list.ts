// The voter list of a TPS as the province hands it to its Pantarlih (the assignment for coklit):
// parsed from the CSV an admin uploads, checked line by line with the same NIK/KK rules as the
// coklit form, and shaped as the coklit form's own fields so a record can start prefilled. Pure:
// the server parses uploads with it, the page prefills from its rows.
import { checkNik, type Sex } from '../nik.ts';
import { checkKk } from '../forms/identity.ts';
import { ISSUE_MESSAGES } from '../forms/messages.ts';
import { covers } from '../auth/scope.ts';
import { parseCsv } from '../regions/build-catalog.ts';
import { findRegion } from '../regions/lookup.ts';
import type { RegionCatalog } from '../regions/types.ts';

/** One voter on the list, in the coklit form's field names (core/forms/catalog/coklit-pilkada.ts). */
export interface ListedVoter {
  desa: string;
  tps: string;
  nik: string;
  kk: string;
  nama: string;
  jenisKelamin: Sex;
  tempatLahir: string;
  /** ISO yyyy-mm-dd. */
  tanggalLahir: string;
  alamat: string;
  rt: string;
  rw?: string;
}

/** The CSV's columns: the header line names them (any order, any case); `rw` may be left out. */
export const VOTER_LIST_COLUMNS = ['desa', 'tps', 'nik', 'kk', 'nama', 'jenisKelamin', 'tempatLahir', 'tanggalLahir', 'alamat', 'rt', 'rw'] as const;
type Column = (typeof VOTER_LIST_COLUMNS)[number];
const OPTIONAL: ReadonlySet<Column> = new Set(['rw']);

/** At most this many voters in one upload: a village's TPS lists (a TPS has at most 600). */
export const MAX_LIST_VOTERS = 10_000;
/** At most this many bytes in one upload: a voter line is under 300 bytes, so room for MAX_LIST_VOTERS long ones. */
export const MAX_LIST_BYTES = 2 * 1024 * 1024;
/** At most this many line problems are reported; the count says how many there were. */
export const MAX_REPORTED_PROBLEMS = 100;

export interface LineProblem {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  /** The column at fault, when one is. */
  column?: string;
  /** Indonesian, for the admin who fixes the file. */
  message: string;
}

export type VoterListResult = { ok: true; voters: ListedVoter[] } | { ok: false; problems: LineProblem[]; problemCount: number };

export interface VoterListOptions {
  catalog: RegionCatalog;
  /** The uploader's scope: every village on the list must lie in it. */
  scope: string;
  /** WIB date 'YYYY-MM-DD': a birth date after it is refused. */
  today: string;
}

const TEXT_LIMITS: Readonly<Partial<Record<Column, { min: number; max: number; label: string }>>> = {
  nama: { min: 2, max: 100, label: 'Nama' },
  tempatLahir: { min: 1, max: 60, label: 'Tempat lahir' },
  alamat: { min: 1, max: 200, label: 'Alamat' },
};

/** A birth date as ISO: yyyy-mm-dd, or dd-mm-yyyy / dd/mm/yyyy as spreadsheets in Indonesia write it. */
export function normalizeBirthDate(raw: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const local = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(raw);
  const [y, m, d] = iso ? [iso[1]!, iso[2]!, iso[3]!] : local ? [local[3]!, local[2]!.padStart(2, '0'), local[1]!.padStart(2, '0')] : [];
  if (!y || !m || !d) return undefined;
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${m}-${d}`) return undefined;
  return `${y}-${m}-${d}`;
}

/** 'L'/'P', also written out. */
function normalizeSex(raw: string): Sex | undefined {
  const v = raw.trim().toUpperCase();
  if (v === 'L' || v === 'LAKI-LAKI') return 'L';
  if (v === 'P' || v === 'PEREMPUAN') return 'P';
  return undefined;
}

/** Three-digit TPS number: '3' and '03' become '003'. */
function normalizeTps(raw: string): string | undefined {
  return /^\d{1,3}$/.test(raw) && Number(raw) > 0 ? raw.padStart(3, '0') : undefined;
}

function headerColumns(fields: string[]): { at: Map<Column, number> } | { problem: LineProblem } {
  const byName = new Map(VOTER_LIST_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const at = new Map<Column, number>();
  fields.forEach((f, i) => {
    const column = byName.get(f.trim().toLowerCase());
    if (column && !at.has(column)) at.set(column, i);
  });
  const missing = VOTER_LIST_COLUMNS.filter((c) => !OPTIONAL.has(c) && !at.has(c));
  if (missing.length > 0) {
    return { problem: { line: 1, message: `Baris judul tidak memuat kolom: ${missing.join(', ')}. Kolom yang diminta: ${VOTER_LIST_COLUMNS.join(', ')}.` } };
  }
  return { at };
}

/** The problems of one line's cells and, when there are none, the voter they describe. */
function checkLine(cells: Record<Column, string>, line: number, o: VoterListOptions): { voter?: ListedVoter; problems: LineProblem[] } {
  const problems: LineProblem[] = [];
  const fault = (column: Column, message: string) => problems.push({ line, column, message });

  const desa = cells.desa;
  const village = findRegion(o.catalog, desa);
  if (!village || village.level !== 'village') fault('desa', 'Kode desa/kelurahan tidak dikenal (contoh: 19.01.01.1001).');
  else if (!covers(o.scope, desa)) fault('desa', 'Desa/kelurahan ini di luar wilayah akun Anda.');
  const tps = normalizeTps(cells.tps);
  if (!tps) fault('tps', 'Nomor TPS harus 1–3 angka, contoh 003.');
  const nik = checkNik(cells.nik);
  if (nik.errors[0]) fault('nik', ISSUE_MESSAGES[nik.errors[0]].id);
  const kk = checkKk(cells.kk);
  if (kk[0]) fault('kk', ISSUE_MESSAGES[kk[0]].id);
  for (const column of ['nama', 'tempatLahir', 'alamat'] as const) {
    const limit = TEXT_LIMITS[column]!;
    const length = [...cells[column]].length;
    if (length < limit.min) fault(column, `${limit.label} wajib diisi${limit.min > 1 ? ` (paling sedikit ${limit.min} karakter)` : ''}.`);
    else if (length > limit.max) fault(column, `${limit.label} terlalu panjang: paling banyak ${limit.max} karakter.`);
  }
  const sex = normalizeSex(cells.jenisKelamin);
  if (!sex) fault('jenisKelamin', 'Jenis kelamin harus L atau P.');
  const born = normalizeBirthDate(cells.tanggalLahir);
  if (!born) fault('tanggalLahir', 'Tanggal lahir tidak valid: tulis 1990-08-17 atau 17-08-1990.');
  else if (born < '1900-01-01' || born > o.today) fault('tanggalLahir', 'Tanggal lahir di luar rentang (1900 sampai hari ini).');
  if (!/^\d{1,3}$/.test(cells.rt)) fault('rt', 'RT berupa 1–3 angka, contoh 003.');
  if (cells.rw !== '' && !/^\d{1,3}$/.test(cells.rw)) fault('rw', 'RW berupa 1–3 angka, contoh 001 (boleh kosong).');

  if (problems.length > 0 || !tps || !sex || !born) return { problems };
  return {
    problems,
    voter: {
      desa,
      tps,
      nik: cells.nik,
      kk: cells.kk,
      nama: cells.nama,
      jenisKelamin: sex,
      tempatLahir: cells.tempatLahir,
      tanggalLahir: born,
      alamat: cells.alamat,
      rt: cells.rt,
      ...(cells.rw !== '' ? { rw: cells.rw } : {}),
    },
  };
}

const UNREADABLE = 'Baris tidak terbaca: periksa tanda petik (").';

/** One CSV line's fields; undefined when its quotes do not close (the parser refuses it). */
function readLine(line: string): string[] | undefined {
  try {
    return parseCsv(line)[0] ?? [];
  } catch {
    return undefined;
  }
}

/**
 * Parses a whole voter list. Every line is checked and every problem reported (up to
 * MAX_REPORTED_PROBLEMS), so one round of fixes settles the file; a list with any problem is
 * refused whole, since a half-stored TPS list would send Pantarlih to the wrong houses.
 */
export function parseVoterList(text: string, o: VoterListOptions): VoterListResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const problems: LineProblem[] = [];
  let problemCount = 0;
  const report = (p: LineProblem) => {
    problemCount += 1;
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(p);
  };
  const refuse = (p: LineProblem): VoterListResult => ({ ok: false, problems: [p], problemCount: 1 });

  const head = lines[0];
  if (head === undefined || head.trim() === '') return refuse({ line: 1, message: 'Berkas kosong: baris pertama harus berisi judul kolom.' });
  if (!head.includes(',') && head.includes(';')) return refuse({ line: 1, message: 'Gunakan koma (,) sebagai pemisah kolom, bukan titik koma (;).' });
  if (lines.length - 1 > MAX_LIST_VOTERS) return refuse({ line: MAX_LIST_VOTERS + 2, message: `Terlalu banyak baris: paling banyak ${MAX_LIST_VOTERS} pemilih per unggahan.` });
  const headFields = readLine(head);
  if (!headFields) return refuse({ line: 1, message: UNREADABLE });
  const header = headerColumns(headFields);
  if ('problem' in header) return refuse(header.problem);

  const voters: ListedVoter[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const fields = readLine(raw);
    if (!fields) {
      report({ line, message: UNREADABLE });
      continue;
    }
    const cells = Object.fromEntries(VOTER_LIST_COLUMNS.map((c) => [c, (fields[header.at.get(c) ?? -1] ?? '').trim()])) as Record<Column, string>;
    const checked = checkLine(cells, line, o);
    checked.problems.forEach(report);
    if (!checked.voter) continue;
    const first = seen.get(checked.voter.nik);
    if (first !== undefined) {
      report({ line, column: 'nik', message: `NIK yang sama sudah ada di baris ${first}.` });
      continue;
    }
    seen.set(checked.voter.nik, line);
    voters.push(checked.voter);
  }
  if (problemCount > 0) return { ok: false, problems, problemCount };
  if (voters.length === 0) return refuse({ line: 2, message: 'Tidak ada pemilih dalam berkas: isi satu pemilih per baris di bawah judul kolom.' });
  return { ok: true, voters };
}

/** The voters grouped by TPS list: key `desa/tps`, in file order. */
export function groupByTps(voters: readonly ListedVoter[]): Map<string, ListedVoter[]> {
  const out = new Map<string, ListedVoter[]>();
  for (const v of voters) {
    const key = `${v.desa}/${v.tps}`;
    const list = out.get(key);
    if (list) list.push(v);
    else out.set(key, [v]);
  }
  return out;
}

/** The coklit form's answers a record of this voter starts with; the officer checks and completes them. */
export function coklitPrefill(v: ListedVoter): Record<string, string> {
  return {
    desa: v.desa,
    tps: v.tps,
    alamat: v.alamat,
    rt: v.rt,
    ...(v.rw !== undefined ? { rw: v.rw } : {}),
    kk: v.kk,
    nik: v.nik,
    nama: v.nama,
    tempatLahir: v.tempatLahir,
    tanggalLahir: v.tanggalLahir,
    jenisKelamin: v.jenisKelamin,
  };
}
