// The PPID registers: the requests of a period and region with the columns the regulation asks
// for (decision, date answered, reason for refusal, the keberatan that followed) and the register
// of keberatan, on screen (JSON), as XLSX and as CSV; the region scope enforced on the server and
// every read or download audited.
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { localDate } from '../../core/calendar/working-days.ts';
import { formatReceipt } from '../../core/ids.ts';
import { periodOf } from '../../core/kpi/periods.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { KEBERATAN_COLUMNS, PERMOHONAN_COLUMNS } from '../../core/registers/ppid.ts';
import { spreadsheetCells } from '../support/spreadsheet-cells.ts';
import { bearer, formEnvelope, officer, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pushOk, validPpidData, type TestApp } from './helpers.ts';
import { refusalGround } from '../../core/office/refusal-grounds.ts';

const PERIOD = periodOf(new Date().toISOString(), 'month');
const REFUSAL = 'Membuka informasi ini menghambat proses penegakan hukum yang sedang berjalan.';
/** The register's reason for refusal: the ground staff chose, then the reasons they wrote. */
const REASON = `${refusalGround('pasal-17-c')!.label.id} — ${REFUSAL}`;

interface RegisterPage {
  columns: { key: string; label: string }[];
  rows: Record<string, string | number | null>[];
  more: boolean;
}

function get(t: TestApp, who: TestOfficer, kind: string, query = '') {
  return t.app.inject({ url: `/api/v1/registers/${kind}?period=${PERIOD}${query}`, headers: bearer(who.token) });
}

describeEachDialect(
  'PPID registers',
  (ctx) => {
    let regency: TestOfficer;
    let granted: SubmissionEnvelope;
    let refused: SubmissionEnvelope;
    let keberatan: SubmissionEnvelope;
    let elsewhere: SubmissionEnvelope;

    beforeAll(async () => {
      const t = ctx();
      regency = await officer(t, 'operator', REGION.regency);
      granted = envelope({ data: validPpidData({ ditujukanKepada: REGION.regency, nama: 'Rahmat Hidayat', telepon: '081211112222', caraMenerima: 'email', email: 'rahmat@example.id' }) });
      refused = envelope({ data: validPpidData({ ditujukanKepada: REGION.regency, nama: 'Siti Aminah' }) });
      elsewhere = envelope({ data: validPpidData({ ditujukanKepada: REGION.otherRegency, nama: 'Orang Lain' }) });
      await pushOk(t.app, newDevice(), [granted, refused, elsewhere]);
      const move = async (id: string, status: string, answer?: string, ground?: string) => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/v1/inbox/${id}/status`,
          headers: bearer(regency.token),
          payload: { status, ...(answer ? { answer } : {}), ...(ground ? { ground } : {}) },
        });
        expect(res.statusCode).toBe(200);
      };
      await move(granted.id, 'selesai', 'Salinan terlampir.');
      await move(refused.id, 'ditolak', REFUSAL, 'pasal-17-c');
      // Written as a person copies it: lower case, spaces for dashes.
      const typed = formatReceipt(refused.id).toLowerCase().replaceAll('-', ' ');
      keberatan = formEnvelope('keberatan-informasi', { ditujukanKepada: REGION.regency, nomorPermohonan: typed, alasan: 'a' });
      await pushOk(t.app, newDevice(), [keberatan]);
    });

    it('the request register: every column the regulation asks for; decision, date answered, reason for refusal and the keberatan filed', async () => {
      const t = ctx();
      const res = await get(t, regency, 'permohonan');
      expect(res.statusCode).toBe(200);
      const page = res.json<RegisterPage>();
      expect(page.columns.map((c) => c.label)).toEqual(PERMOHONAN_COLUMNS.map((c) => c.label));
      for (const wanted of ['No.', 'Tanggal permohonan', 'Nama pemohon', 'Nomor HP / email', 'Informasi yang diminta', 'Tujuan penggunaan informasi', 'Cara memperoleh informasi', 'Keputusan', 'Tanggal dijawab', 'Alasan penolakan', 'Keberatan']) {
        expect(page.columns.map((c) => c.label)).toContain(wanted);
      }
      // Two requests of one push share a receipt instant: their order is the ids', which are random within a millisecond.
      expect(page.rows.map((r) => r.nomor).sort()).toEqual([formatReceipt(granted.id), formatReceipt(refused.id)].sort());
      expect(page.rows.map((r) => r.no)).toEqual([1, 2]);
      const byNumber = (id: string) => page.rows.find((r) => r.nomor === formatReceipt(id));
      const today = localDate(new Date().toISOString());
      expect(byNumber(granted.id)).toMatchObject({
        nama: 'Rahmat Hidayat',
        kontak: '081211112222 / rahmat@example.id',
        cara: 'Salinan lewat email',
        keputusan: 'Dipenuhi',
        tanggalJawab: today,
        alasanPenolakan: null,
        keberatan: 'Tidak ada',
      });
      expect(byNumber(refused.id)).toMatchObject({ nama: 'Siti Aminah', keputusan: 'Ditolak', alasanPenolakan: REASON, keberatan: formatReceipt(keberatan.id) });
      expect(page.more).toBe(false);
      const paged = (await get(t, regency, 'permohonan', '&limit=1&offset=1')).json<RegisterPage>();
      expect(paged.rows.map((r) => r.no)).toEqual([2]);
      expect(paged.rows[0]!.nomor).toBe(page.rows[1]!.nomor);
    });

    it('the keberatan register names the request it objects to and the grounds', async () => {
      const t = ctx();
      const page = (await get(t, regency, 'keberatan')).json<RegisterPage>();
      expect(page.columns.map((c) => c.label)).toEqual(KEBERATAN_COLUMNS.map((c) => c.label));
      expect(page.rows).toHaveLength(1);
      expect(page.rows[0]).toMatchObject({ no: 1, nomor: formatReceipt(keberatan.id), keputusan: 'Belum diputus (dalam proses)' });
      expect(String(page.rows[0]!.alasan)).toMatch(/^a\. Permohonan ditolak/);
    });

    it('XLSX and CSV hold the same rows under the same headers', async () => {
      const t = ctx();
      const xlsx = await get(t, regency, 'permohonan', '&format=xlsx');
      expect(xlsx.statusCode).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = book.worksheets[0]!;
      expect(sheet.name).toBe('Register permohonan');
      const rows: unknown[][] = [];
      sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      expect(rows[0]).toEqual(PERMOHONAN_COLUMNS.map((c) => c.label));
      expect(rows).toHaveLength(3);
      const refusedRow = rows.find((r) => r[PERMOHONAN_COLUMNS.findIndex((c) => c.key === 'nomor')] === formatReceipt(refused.id));
      expect(refusedRow?.[PERMOHONAN_COLUMNS.findIndex((c) => c.key === 'alasanPenolakan')]).toBe(REASON);

      const csv = await get(t, regency, 'keberatan', '&format=csv&sep=semicolon');
      expect(csv.statusCode).toBe(200);
      const cells = spreadsheetCells(csv.body.slice(1), ';');
      expect(cells[0]).toEqual(KEBERATAN_COLUMNS.map((c) => c.label));
      expect(cells).toHaveLength(2);
    });

    it('scope: another regency and a village see none of it; roles without the right are refused; reads are audited', async () => {
      const t = ctx();
      const other = await officer(t, 'operator', REGION.otherRegency);
      const theirs = (await get(t, other, 'permohonan')).json<RegisterPage>();
      expect(theirs.rows.map((r) => r.nomor)).toEqual([formatReceipt(elsewhere.id)]);
      expect((await get(t, other, 'permohonan', `&region=${REGION.regency}`)).statusCode).toBe(403);
      const pps = await officer(t, 'pps', REGION.village);
      expect((await get(t, pps, 'permohonan')).json<RegisterPage>().rows).toEqual([]);
      expect((await get(t, pps, 'permohonan', '&format=xlsx')).statusCode).toBe(403);
      const observer = await officer(t, 'pengamat', REGION.regency);
      expect((await get(t, observer, 'permohonan')).statusCode).toBe(403);
      expect((await t.app.inject({ url: '/api/v1/registers/lainnya' , headers: bearer(regency.token) })).statusCode).toBe(400);

      const audit = await t.db.selectFrom('audit_log').selectAll().where('actor_id', '=', regency.id).execute();
      expect(audit.some((a) => a.action === 'register.read')).toBe(true);
      expect(audit.some((a) => a.action === 'submission.export' && a.detail_json.includes('register-permohonan'))).toBe(true);
      expect(audit.every((a) => !a.detail_json.includes('Siti'))).toBe(true);
    });
  },
  { auth: TEST_AUTH },
);
