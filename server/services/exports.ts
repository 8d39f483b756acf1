// Exports of submissions for staff: XLSX (one sheet per form version, each repeat group on a sheet
// of its own linked by the submission id) and CSV (one service, or one of its repeat groups), both
// written as a stream. Answers are opened from their sealed form page by page while writing, so
// plaintext exists only for the rows in flight, and the writer waits for the reader (the officer's
// download) before it reads the next page: memory stays bounded however many rows a period holds.
//
// The XLSX writer is exceljs's streaming WorkbookWriter: rows are committed as they are added, and
// each sheet is committed before the next begins (the zip takes its entries one after another, so
// a sheet written alongside another would wait in memory). A repeat group's sheet is therefore
// written in its own pass over the period's submissions.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import {
  columnSet,
  groupHeaders,
  groupRows,
  groupSheet,
  mainHeaders,
  mainRow,
  sheetNamer,
  versionSheet,
  type Cell,
  type ColumnSet,
} from '../../core/exports/table.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { REGIONS } from '../../core/forms/full-context.ts';
import type { PlaceNames } from '../../core/forms/answer-rows.ts';
import type { DataKeys } from '../crypto/data-keys.ts';
import type { Database } from '../db/schema.ts';
import { csvLine, UTF8_BOM, type CsvSeparator } from '../http/csv.ts';
import { submissionPages, type ExportWindow, type SealedExportRow, type VersionCount } from '../repositories/exports.ts';
import { formKey, type FormCatalog } from '../repositories/forms.ts';
import { openPayload } from '../repositories/submission-fields.ts';

export interface ExportDeps {
  db: Kysely<Database>;
  forms: FormCatalog;
  keys: DataKeys;
  /** Rows read and written per step; PAGE_SIZE (server/repositories/exports.ts) by default. */
  pageSize?: number;
}

export const PLACE_NAMES: PlaceNames = { region: (code) => REGIONS.nameOf(code), island: (code) => REGIONS.nameOf(code) };

/**
 * Whether a writable holds more than its mark and waits for 'drain'. Node's own streams say so in
 * writableNeedDrain; the readable-stream 2 copies inside archiver (exceljs's zip) predate that
 * getter, so their state is read instead: without it the writer never waited for the zip, and a
 * year's XLSX queued ~130 MB of sheet XML ahead of the compressor (bench:export).
 */
export function mustWait(w: Writable): boolean {
  if (typeof w.writableNeedDrain === 'boolean') return w.writableNeedDrain;
  return (w as unknown as { _writableState?: { needDrain?: unknown } })._writableState?.needDrain === true;
}

/** Waits while the reader is behind: `out`'s buffer full, or (XLSX) the zip still compressing queued rows. */
async function keepPace(out: Writable, backlog: () => Writable[] = () => []): Promise<void> {
  for (const w of backlog()) if (mustWait(w)) await once(w, 'drain');
  if (mustWait(out)) await once(out, 'drain');
}

/** The answers of a row, or undefined when they cannot be opened (a shredded key): the row is still listed. */
async function answersOf(keys: DataKeys, row: SealedExportRow): Promise<Record<string, unknown>> {
  try {
    return await openPayload(keys, row.id, row.payload);
  } catch {
    return {};
  }
}

export async function* openedRows(deps: ExportDeps, w: ExportWindow, formId: string, formVersion?: number) {
  for await (const page of submissionPages(deps.db, w, { formId, ...(formVersion !== undefined ? { formVersion } : {}), ...(deps.pageSize ? { pageSize: deps.pageSize } : {}) })) {
    const opened: { row: SealedExportRow; data: Record<string, unknown> }[] = [];
    for (const row of page) opened.push({ row, data: await answersOf(deps.keys, row) });
    yield opened;
  }
}

async function definitionsOf(forms: FormCatalog, versions: readonly VersionCount[]): Promise<Map<string, FormDef>> {
  return forms.findMany(versions.map((v) => ({ formId: v.formId, version: v.formVersion })));
}

/**
 * The streams a worksheet's rows wait in before the zip has compressed them (exceljs's StreamBuf
 * hands them on without waiting). Read from the writer's internals (exceljs 4.4); if a later
 * version moves them this finds none and only `out` paces the writer: bench:export's peak RSS
 * shows it.
 */
export function sheetBacklog(sheet: ExcelJS.Worksheet): () => Writable[] {
  return () => {
    const stream = (sheet as unknown as { stream?: { pipes?: unknown } }).stream;
    const pipes = stream?.pipes;
    return Array.isArray(pipes) ? (pipes.filter((p) => p && typeof (p as Writable).once === 'function') as Writable[]) : [];
  };
}

function addRow(sheet: ExcelJS.Worksheet, cells: readonly Cell[]): void {
  sheet.addRow(cells.map((c) => (c === null ? undefined : c))).commit();
}

/** One sheet of a workbook: its rows come page by page, read only when the sheet's turn comes. */
export interface SheetSpec {
  name: string;
  headers: readonly string[];
  pages(): AsyncIterable<readonly Cell[][]>;
}

/**
 * Writes a workbook to `out`, one sheet after another (each committed before the next starts),
 * pacing itself to the reader after every page. No sheet at all: one sheet saying so.
 */
export async function streamXlsx(out: Writable, sheets: Iterable<SheetSpec>): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  book.creator = 'Jangkau';
  const name = sheetNamer();
  let any = false;
  for (const spec of sheets) {
    any = true;
    const sheet = book.addWorksheet(name(spec.name), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow([...spec.headers]).commit();
    for await (const page of spec.pages()) {
      for (const cells of page) addRow(sheet, cells);
      await keepPace(out, sheetBacklog(sheet));
    }
    sheet.commit();
  }
  if (!any) {
    const sheet = book.addWorksheet('Kosong');
    sheet.addRow(['Tidak ada pengajuan pada periode dan wilayah ini']).commit();
    sheet.commit();
  }
  await book.commit();
}

/** Writes a CSV (UTF-8 with a byte-order mark, CRLF) to `out`, page by page at the reader's pace. */
export async function streamCsv(out: Writable, headers: readonly string[], pages: AsyncIterable<readonly Cell[][]>, separator: CsvSeparator): Promise<void> {
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(UTF8_BOM + csvLine(headers, separator));
  for await (const page of pages) {
    let text = '';
    for (const cells of page) text += csvLine(cells, separator);
    await write(text);
  }
}

/** Writes an XLSX of `versions` (as found in the window) to `out`. */
export async function writeXlsx(deps: ExportDeps, w: ExportWindow, versions: readonly VersionCount[], out: Writable): Promise<void> {
  const defs = await definitionsOf(deps.forms, versions);
  function* sheets(): Generator<SheetSpec> {
    for (const v of versions) {
      const form = defs.get(formKey(v.formId, v.formVersion));
      if (!form) continue;
      const set = columnSet([form]);
      yield {
        name: versionSheet(v.formId, v.formVersion),
        headers: mainHeaders(set),
        pages: () => mapPages(openedRows(deps, w, v.formId, v.formVersion), ({ row, data }) => [mainRow(set, form, row, data, PLACE_NAMES)]),
      };
      // A repeat group's sheet is its own pass over the period: the zip takes one sheet at a time.
      for (const group of set.groups) {
        yield {
          name: groupSheet(v.formId, v.formVersion, group.name),
          headers: groupHeaders(group),
          pages: () => mapPages(openedRows(deps, w, v.formId, v.formVersion), ({ row, data }) => groupRows(group, form, row, data, PLACE_NAMES)),
        };
      }
    }
  }
  await streamXlsx(out, sheets());
}

/** Each page of `source` turned into rows of cells (an item may give none or several). */
export async function* mapPages<T>(source: AsyncIterable<readonly T[]>, rows: (item: T) => Cell[][]): AsyncGenerator<Cell[][]> {
  for await (const page of source) yield page.flatMap(rows);
}

export interface CsvPlan {
  formId: string;
  /** The versions of the service in the window; their columns are united. */
  versions: readonly VersionCount[];
  /** One version only. */
  formVersion?: number;
  /** A repeat group's rows instead of the submissions'. */
  group?: string;
  separator: CsvSeparator;
}

/** The columns a CSV plan writes, or undefined when the service or group is unknown. */
export async function csvColumns(forms: FormCatalog, plan: CsvPlan): Promise<{ set: ColumnSet; defs: Map<string, FormDef> } | undefined> {
  const chosen = plan.versions.filter((v) => v.formId === plan.formId && (plan.formVersion === undefined || v.formVersion === plan.formVersion));
  const defs = await definitionsOf(forms, chosen);
  if (defs.size === 0) return undefined;
  const set = columnSet([...defs.values()]);
  if (plan.group !== undefined && !set.groups.some((g) => g.name === plan.group)) return undefined;
  return { set, defs };
}

/** Writes one CSV of a service (or one of its repeat groups) to `out`. */
export async function writeCsv(deps: ExportDeps, w: ExportWindow, plan: CsvPlan, columns: { set: ColumnSet; defs: Map<string, FormDef> }, out: Writable): Promise<void> {
  const { set, defs } = columns;
  const group = plan.group === undefined ? undefined : set.groups.find((g) => g.name === plan.group);
  const rows = mapPages(openedRows(deps, w, plan.formId, plan.formVersion), ({ row, data }) => {
    const form = defs.get(formKey(row.formId, row.formVersion));
    if (!form) return [];
    return group ? groupRows(group, form, row, data, PLACE_NAMES) : [mainRow(set, form, row, data, PLACE_NAMES)];
  });
  await streamCsv(out, group ? groupHeaders(group) : mainHeaders(set), rows, plan.separator);
}
