// The PPID registers of a period and region (core/registers/ppid.ts): the requests, each with the
// keberatan filed against it, and the keberatan. Rows come page by page from the sealed store, so a
// year's register streams to XLSX or CSV like any export; the screen reads one page of rows.
import { REGISTER_FORM, keberatanRow, permohonanRow, type RegisterKind, type RegisterRow, type RegisterSource } from '../../core/registers/ppid.ts';
import { formatReceipt, receiptKey } from '../../core/ids.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { versionsInWindow, type ExportWindow, type SealedExportRow } from '../repositories/exports.ts';
import { formKey } from '../repositories/forms.ts';
import { openedRows, PLACE_NAMES, type ExportDeps } from './exports.ts';
import { refusalGround } from '../../core/office/refusal-grounds.ts';
import { parseDetail } from '../../core/office/status-detail.ts';

/**
 * The ground and text of a refusal as the register shows it.
 *
 * For the lead: the reasoned refusal (a ground from the fixed list plus text) is built on branch
 * h1-lifecycle. Until it lands, a refused request's answer text is the only reason stored, and
 * this reads it; once the refusal ground is stored, read it here (ground label, then the text) and
 * every register, screen and file follows.
 */
export function refusalReason(row: Pick<SealedExportRow, 'status' | 'answer' | 'statusDetail'>): string | null {
  if (row.status !== 'ditolak') return null;
  // The ground staff chose (core/office/refusal-grounds.ts), then the reasons they wrote.
  const ground = refusalGround(parseDetail(row.statusDetail).ground)?.label.id;
  return [ground, row.answer].filter((part): part is string => typeof part === 'string' && part !== '').join(' — ') || null;
}

/**
 * The keberatan filed against each request, by the request's receipt key: read from the keberatan
 * form's "nomor permohonan" answer, in the region, received from the period's start on (a
 * keberatan follows its request).
 *
 * For the lead: the one-tap keberatan prefilled from a refused request is built on branch
 * h1-lifecycle; if it stores the link to the request in a column, read that column here instead of
 * opening the keberatan answers.
 */
export async function keberatanByRequest(deps: ExportDeps, w: ExportWindow): Promise<Map<string, string[]>> {
  const since: ExportWindow = { scope: w.scope, from: w.from, to: '9999-12-31T00:00:00.000Z' };
  const found = new Map<string, string[]>();
  for await (const page of openedRows(deps, since, REGISTER_FORM.keberatan)) {
    for (const { row, data } of page) {
      const asked = typeof data.nomorPermohonan === 'string' ? receiptKey(data.nomorPermohonan) : '';
      if (!asked) continue;
      found.set(asked, [...(found.get(asked) ?? []), formatReceipt(row.id)]);
    }
  }
  return found;
}

/** The register's rows in receipt order, numbered from 1, page by page. */
export async function* registerPages(deps: ExportDeps, w: ExportWindow, kind: RegisterKind): AsyncGenerator<RegisterRow[]> {
  const formId = REGISTER_FORM[kind];
  const versions = await versionsInWindow(deps.db, w, formId);
  const defs: Map<string, FormDef> = await deps.forms.findMany(versions.map((v) => ({ formId, version: v.formVersion })));
  const keberatan = kind === 'permohonan' ? await keberatanByRequest(deps, w) : new Map<string, string[]>();
  let no = 0;
  for await (const page of openedRows(deps, w, formId)) {
    const rows: RegisterRow[] = [];
    for (const { row, data } of page) {
      const form = defs.get(formKey(row.formId, row.formVersion));
      if (!form) continue;
      const src: RegisterSource = { meta: row, form, data };
      no += 1;
      rows.push(
        kind === 'permohonan'
          ? permohonanRow(no, src, refusalReason(row), keberatan.get(receiptKey(formatReceipt(row.id))) ?? [], PLACE_NAMES)
          : keberatanRow(no, src, PLACE_NAMES),
      );
    }
    yield rows;
  }
}

/** One screen's page of the register: rows [offset, offset + limit), and whether more follow. */
export async function registerPage(deps: ExportDeps, w: ExportWindow, kind: RegisterKind, offset: number, limit: number): Promise<{ rows: RegisterRow[]; more: boolean }> {
  const rows: RegisterRow[] = [];
  let seen = 0;
  for await (const page of registerPages(deps, w, kind)) {
    for (const row of page) {
      if (seen >= offset && rows.length < limit) rows.push(row);
      seen += 1;
      if (rows.length === limit && seen > offset + limit) return { rows, more: true };
    }
  }
  return { rows, more: false };
}
