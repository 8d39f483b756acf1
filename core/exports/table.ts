// Submissions as spreadsheet tables: the columns of a service (over one or several form versions),
// one row per submission, and one sheet per repeat group whose rows carry the submission id they
// belong to. Headers are the forms' own Indonesian labels after a fixed set of columns every export
// has (receipt, id, received, region, review status). Pure, so the server's XLSX and CSV writers
// and the tests read one rule.
import { answerText, type PlaceNames } from '../forms/answer-rows.ts';
import type { FieldDef, FormDef } from '../forms/definition.ts';
import { isRecord } from '../forms/validate.ts';
import { formatReceipt } from '../ids.ts';

export type Cell = string | number | null;

/** The facts every exported row carries beside the answers. */
export interface ExportMeta {
  id: string;
  formId: string;
  formVersion: number;
  receivedAt: string;
  status: string;
  statusAt: string;
  regionCode: string;
  dueOn: string | null;
  answer: string | null;
}

/** The review statuses as staff read them; a status this table does not know yet shows as it is. */
export const STATUS_WORDS: Readonly<Record<string, string>> = {
  diterima: 'Diterima',
  diproses: 'Diproses',
  selesai: 'Selesai',
  ditolak: 'Ditolak',
  perlu_dilengkapi: 'Perlu dilengkapi',
};

export function statusWord(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/** An instant as WIB wall time, 'YYYY-MM-DD HH:mm' (what a spreadsheet sorts and reads). */
export function wibDateTime(instantIso: string): string {
  const ms = Date.parse(instantIso);
  if (Number.isNaN(ms)) return instantIso;
  return new Date(ms + WIB_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** A repeat group of a service: its name, label and the union of its entries' fields. */
export interface GroupColumns {
  name: string;
  label: string;
  fields: FieldDef[];
}

/** The answer columns of a service over the versions given (newest label wins; older-only fields after). */
export interface ColumnSet {
  formId: string;
  fields: FieldDef[];
  groups: GroupColumns[];
}

function unionFields(lists: readonly (readonly FieldDef[])[]): FieldDef[] {
  const seen = new Map<string, FieldDef>();
  for (const list of lists) for (const f of list) if (f.type !== 'section' && !seen.has(f.name)) seen.set(f.name, f);
  return [...seen.values()];
}

/** The columns of `forms` (versions of one service, any order). */
export function columnSet(forms: readonly FormDef[]): ColumnSet {
  if (forms.length === 0) throw new RangeError('columnSet needs at least one form version');
  const newestFirst = [...forms].sort((a, b) => b.version - a.version);
  const all = unionFields(newestFirst.map((f) => f.fields));
  const groups = all
    .filter((f) => f.type === 'repeat')
    .map((g) => ({
      name: g.name,
      label: g.label.id,
      fields: unionFields(newestFirst.map((f) => f.fields.find((x) => x.name === g.name)?.fields ?? [])),
    }));
  return { formId: newestFirst[0]!.formId, fields: all.filter((f) => f.type !== 'repeat'), groups };
}

export const BASE_HEADERS = [
  'Nomor tanda terima',
  'ID pengajuan',
  'Versi formulir',
  'Diterima (WIB)',
  'Kode wilayah',
  'Wilayah',
  'Status tinjauan',
  'Status sejak (WIB)',
  'Jatuh tempo',
  'Jawaban petugas',
] as const;

export function mainHeaders(set: ColumnSet): string[] {
  return [...BASE_HEADERS, ...set.fields.map((f) => f.label.id)];
}

export const GROUP_BASE_HEADERS = ['ID pengajuan', 'Nomor tanda terima', 'Entri ke-'] as const;

export function groupHeaders(group: GroupColumns): string[] {
  return [...GROUP_BASE_HEADERS, ...group.fields.map((f) => f.label.id)];
}

function cellOf(form: FormDef, field: FieldDef, value: unknown, names: PlaceNames): Cell {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return answerText(form, field, value, 'id', names, 'iso');
}

/** One submission's row under mainHeaders(set); `form` is the submission's own version. */
export function mainRow(set: ColumnSet, form: FormDef, meta: ExportMeta, data: Readonly<Record<string, unknown>>, names: PlaceNames = {}): Cell[] {
  return [
    formatReceipt(meta.id),
    meta.id,
    meta.formVersion,
    wibDateTime(meta.receivedAt),
    meta.regionCode,
    names.region?.(meta.regionCode) ?? meta.regionCode,
    statusWord(meta.status),
    wibDateTime(meta.statusAt),
    meta.dueOn,
    meta.answer,
    ...set.fields.map((f) => cellOf(form, form.fields.find((x) => x.name === f.name) ?? f, data[f.name], names)),
  ];
}

/** The rows of one repeat group of a submission, each linked to it by its id. */
export function groupRows(group: GroupColumns, form: FormDef, meta: Pick<ExportMeta, 'id'>, data: Readonly<Record<string, unknown>>, names: PlaceNames = {}): Cell[][] {
  const entries = data[group.name];
  if (!Array.isArray(entries)) return [];
  const own = form.fields.find((x) => x.name === group.name)?.fields ?? [];
  return entries.filter(isRecord).map((entry, i) => [
    meta.id,
    formatReceipt(meta.id),
    i + 1,
    ...group.fields.map((f) => cellOf(form, own.find((x) => x.name === f.name) ?? f, entry[f.name], names)),
  ]);
}

const SHEET_MAX = 31;
const SHEET_FORBIDDEN = /[[\]:*?/\\]/g;

/**
 * Sheet names as spreadsheets allow them (31 characters, none of []:*?/\), unique within one
 * workbook: a clash or a cut name gets a number.
 */
export function sheetNamer(): (wanted: string) => string {
  const used = new Set<string>();
  return (wanted) => {
    const clean = wanted.replace(SHEET_FORBIDDEN, ' ').trim() || 'Lembar';
    let name = clean.slice(0, SHEET_MAX);
    for (let n = 2; used.has(name.toLowerCase()); n++) {
      const tail = ` (${n})`;
      name = clean.slice(0, SHEET_MAX - tail.length) + tail;
    }
    used.add(name.toLowerCase());
    return name;
  };
}

/** The name wanted for a form version's sheet and for its repeat groups' sheets. */
export function versionSheet(formId: string, version: number): string {
  return `${formId} v${version}`;
}

export function groupSheet(formId: string, version: number, group: string): string {
  return `${formId} v${version} ${group}`;
}
