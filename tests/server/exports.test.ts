// Exports of a period's submissions: the XLSX opened with a reader (sheets per form version, a
// repeat group's sheet linked by submission id, Indonesian headers, review status, row counts and
// a planted row's values), the CSV read as a spreadsheet reads it with ',' and with ';', the
// region scope enforced on the server, and every export in the audit log.
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { BASE_HEADERS, GROUP_BASE_HEADERS } from '../../core/exports/table.ts';
import { periodOf } from '../../core/kpi/periods.ts';
import { formatReceipt } from '../../core/ids.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { spreadsheetCells } from '../support/spreadsheet-cells.ts';
import { bearer, formEnvelope, officer, pushAs, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pushOk, validPpidData, type TestApp } from './helpers.ts';

const PLANTED_NAME = 'Siti; =Aminah, "Ibu" Ñoño';
const PERIOD = periodOf(new Date().toISOString(), 'month');

async function download(t: TestApp, who: TestOfficer, query: string) {
  return t.app.inject({ url: `/api/v1/exports/submissions?period=${PERIOD}&${query}`, headers: bearer(who.token) });
}

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  return book;
}

function values(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

function byHeader(rows: unknown[][], id: string): Record<string, unknown> {
  const [header, ...rest] = rows;
  const row = rest.find((r) => r[1] === id || r[0] === id);
  if (!header || !row) throw new Error(`no row ${id}`);
  return Object.fromEntries(header.map((h, i) => [String(h), row[i]]));
}

describeEachDialect(
  'exports of submissions',
  (ctx) => {
    let admin: TestOfficer;
    let regency: TestOfficer;
    let planted: SubmissionEnvelope;
    let other: SubmissionEnvelope;
    let plain: SubmissionEnvelope[];
    let accreditations: SubmissionEnvelope[];

    beforeAll(async () => {
      const t = ctx();
      admin = await officer(t, 'admin_provinsi', REGION.province);
      regency = await officer(t, 'operator', REGION.regency);
      planted = envelope({ data: validPpidData({ ditujukanKepada: REGION.regency, nama: PLANTED_NAME, caraMenerima: 'email', email: 'siti@example.id' }) });
      plain = [envelope({ data: validPpidData({ ditujukanKepada: REGION.regency }) })];
      other = envelope({ data: validPpidData({ ditujukanKepada: REGION.otherRegency }) });
      accreditations = [formEnvelope('akreditasi-pemantau'), formEnvelope('akreditasi-pemantau')];
      await pushOk(t.app, newDevice(), [planted, ...plain, other, ...accreditations]);
      const move = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${planted.id}/status`, headers: bearer(regency.token), payload: { status: 'diproses' } });
      expect(move.statusCode).toBe(200);
      // A practice submission never reaches an export.
      const pps = await officer(t, 'pps', REGION.village);
      const practice = await pushAs(t.app, bearer(pps.token), [{ ...formEnvelope('coklit-pilkada', { desa: REGION.village }), practice: true }]);
      expect(practice.statusCode).toBe(200);
    });

    it('XLSX: one sheet per form version, the repeat group on its own sheet, headers in Indonesian, the planted row as filed', async () => {
      const t = ctx();
      const res = await download(t, admin, 'format=xlsx');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const book = await workbook(res.rawPayload);
      const names = book.worksheets.map((s) => s.name);
      expect(names).toEqual(['akreditasi-pemantau v1', 'akreditasi-pemantau v1 anggota', 'ppid-permohonan v1']);

      const ppid = values(book.getWorksheet('ppid-permohonan v1')!);
      expect(ppid[0]).toEqual([...BASE_HEADERS, 'Ditujukan kepada', 'NIK', 'Nama lengkap', 'Alamat', 'Pekerjaan', 'Nomor HP', 'Rincian informasi yang dibutuhkan', 'Tujuan penggunaan informasi', 'Cara menerima informasi', 'Email']);
      expect(ppid.length - 1).toBe(3);
      const row = byHeader(ppid, planted.id);
      expect(row).toMatchObject({
        'Nomor tanda terima': formatReceipt(planted.id),
        'Status tinjauan': 'Diproses',
        'Nama lengkap': PLANTED_NAME,
        NIK: '1901024501900001',
        'Cara menerima informasi': 'Salinan lewat email',
        Email: 'siti@example.id',
        'Kode wilayah': REGION.regency,
        'Versi formulir': 1,
      });

      const members = accreditations.flatMap((a) => (a.data.anggota as unknown[]).map(() => a.id));
      expect(members.length).toBeGreaterThan(0);
      const anggota = values(book.getWorksheet('akreditasi-pemantau v1 anggota')!);
      expect(anggota[0]!.slice(0, GROUP_BASE_HEADERS.length)).toEqual([...GROUP_BASE_HEADERS]);
      expect(anggota[0]).toContain('Nama lengkap');
      expect(anggota.slice(1).map((r) => r[0]).sort()).toEqual(members.sort());
      const main = values(book.getWorksheet('akreditasi-pemantau v1')!);
      expect(main.length - 1).toBe(2);
      // The submission id links each member to its accreditation.
      for (const r of anggota.slice(1)) expect(main.some((m) => m[1] === r[0])).toBe(true);
    });

    it('a regency operator exports their regency only; another region or a role without the right is refused', async () => {
      const t = ctx();
      const res = await download(t, regency, 'form=ppid-permohonan');
      expect(res.statusCode).toBe(200);
      const ids = values((await workbook(res.rawPayload)).getWorksheet('ppid-permohonan v1')!).slice(1).map((r) => r[1]);
      expect(ids.sort()).toEqual([planted.id, plain[0]!.id].sort());
      expect(ids).not.toContain(other.id);

      expect((await download(t, regency, `region=${REGION.otherRegency}`)).statusCode).toBe(403);
      expect((await download(t, regency, `region=${REGION.province}`)).statusCode).toBe(403);
      for (const role of ['pps', 'ppk', 'pengamat'] as const) {
        const o = await officer(t, role, role === 'pengamat' ? REGION.regency : role === 'ppk' ? REGION.district : REGION.village);
        expect((await download(t, o, 'format=xlsx')).statusCode).toBe(403);
      }
      expect((await t.app.inject({ url: `/api/v1/exports/submissions?period=${PERIOD}` })).statusCode).toBe(401);
      expect((await download(t, regency, 'format=csv')).statusCode).toBe(400);
      expect((await download(t, regency, 'format=csv&form=tidak-ada')).statusCode).toBe(404);
      expect((await download(t, regency, 'period=2026-13')).statusCode).toBe(400);
    });

    for (const [sep, char] of [
      ['comma', ','],
      ['semicolon', ';'],
    ] as const) {
      it(`CSV with '${char}' opens as the same table in a spreadsheet splitting on '${char}'`, async () => {
        const t = ctx();
        const res = await download(t, admin, `format=csv&form=ppid-permohonan&sep=${sep}`);
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/csv');
        expect(res.body.startsWith('\uFEFF')).toBe(true);
        const rows = spreadsheetCells(res.body.slice(1), char);
        expect(rows[0]).toEqual([...BASE_HEADERS, 'Ditujukan kepada', 'NIK', 'Nama lengkap', 'Alamat', 'Pekerjaan', 'Nomor HP', 'Rincian informasi yang dibutuhkan', 'Tujuan penggunaan informasi', 'Cara menerima informasi', 'Email']);
        expect(rows.length - 1).toBe(3);
        for (const r of rows) expect(r.length).toBe(rows[0]!.length);
        const row = byHeader(rows, planted.id);
        expect(row['Nama lengkap']).toBe(PLANTED_NAME);
        expect(row['Status tinjauan']).toBe('Diproses');
      });
    }

    it('CSV of a repeat group: its entries, each with the submission id it belongs to', async () => {
      const t = ctx();
      const res = await download(t, admin, 'format=csv&form=akreditasi-pemantau&group=anggota');
      expect(res.statusCode).toBe(200);
      const rows = spreadsheetCells(res.body.slice(1), ',');
      expect(rows[0]!.slice(0, 3)).toEqual([...GROUP_BASE_HEADERS]);
      const members = accreditations.flatMap((a) => (a.data.anggota as unknown[]).map(() => a.id));
      expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(members.sort());
      expect((await download(t, admin, 'format=csv&form=akreditasi-pemantau&group=tidakAda')).statusCode).toBe(404);
    });

    it('every export is in the audit log: who, which region, period, format and how many', async () => {
      const t = ctx();
      await download(t, regency, 'format=csv&form=ppid-permohonan&sep=semicolon');
      const rows = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'submission.export').where('actor_id', '=', regency.id).execute();
      const last = rows.map((r) => JSON.parse(r.detail_json) as Record<string, unknown>).find((d) => d.format === 'csv');
      expect(last).toMatchObject({ kind: 'submissions', form: 'ppid-permohonan', period: PERIOD, count: 2 });
      expect(rows.every((r) => r.subject === REGION.regency && !r.detail_json.includes('Siti'))).toBe(true);
    });

    it('an empty period still opens: the XLSX says so, the CSV has its header', async () => {
      const t = ctx();
      const xlsx = await t.app.inject({ url: '/api/v1/exports/submissions?period=2020-01', headers: bearer(admin.token) });
      expect(xlsx.statusCode).toBe(200);
      expect((await workbook(xlsx.rawPayload)).worksheets.map((s) => s.name)).toEqual(['Kosong']);
      const csv = await t.app.inject({ url: '/api/v1/exports/submissions?period=2020-01&format=csv&form=ppid-permohonan', headers: bearer(admin.token) });
      expect(spreadsheetCells(csv.body.slice(1), ',')).toHaveLength(1);
    });
  },
  { auth: TEST_AUTH },
);
