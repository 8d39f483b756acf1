// The XLSX writer keeps pace with its reader: while the officer's download has stopped reading, it
// stops reading rows too, instead of queuing the sheet's XML ahead of the zip (exceljs's zip runs
// on archiver's own copy of readable-stream, whose streams lack writableNeedDrain: a check of that
// getter alone never waited, and a year's XLSX held ~130 MB in memory). Once the reader resumes,
// the workbook is whole: every row, in order, with its values. And a page of rows is read as one
// index range (migration 066), not by sorting the period's every submission.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { pageQuery } from '../../server/repositories/exports.ts';
import { streamXlsx } from '../../server/services/exports.ts';
import { openPreparedDatabase } from '../../server/db/prepare.ts';

/** A download that reads nothing until release(), then everything. */
function stalledReader() {
  const chunks: Buffer[] = [];
  const held: (() => void)[] = [];
  let open = false;
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      if (open) done();
      else held.push(() => done());
    },
  });
  return {
    out,
    release() {
      open = true;
      for (const done of held.splice(0)) done();
    },
    body: () => Buffer.concat(chunks),
  };
}

/** Text that deflate cannot shrink much, so the zip's own buffers fill as a real sheet's would. */
function noisy(seed: number): string {
  let x = seed >>> 0 || 1;
  let s = '';
  for (let i = 0; i < 6; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    s += x.toString(36);
  }
  return s;
}

const PAGES = 300;
const ROWS = 100;

it('XLSX: a stalled reader stops the row reading; released, the workbook holds every row as written', async () => {
  let pulled = 0;
  async function* pages() {
    for (let p = 0; p < PAGES; p++) {
      pulled++;
      yield Array.from({ length: ROWS }, (_, i) => [`r${p * ROWS + i}`, noisy(p * ROWS + i), p * ROWS + i, i % 7 === 0 ? null : noisy(i)]);
    }
  }
  const reader = stalledReader();
  const done = streamXlsx(reader.out, [{ name: 'Uji', headers: ['Kode', 'Teks', 'Nomor', 'Lain'], pages }]);
  // Let the writer run as far as it will while nothing is read (the bound does not depend on this wait).
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(pulled).toBeGreaterThan(0);
  expect(pulled).toBeLessThan(PAGES / 4);
  reader.release();
  await done;
  expect(pulled).toBe(PAGES);

  const book = new ExcelJS.Workbook();
  await book.xlsx.load(reader.body() as unknown as ArrayBuffer);
  const sheet = book.getWorksheet('Uji')!;
  expect(sheet.rowCount).toBe(PAGES * ROWS + 1);
  expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['Kode', 'Teks', 'Nomor', 'Lain']);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: PAGES * ROWS - 1 }), (n) => {
      const values = (sheet.getRow(n + 2).values as unknown[]).slice(1);
      const i = n % ROWS;
      expect(values).toEqual(i % 7 === 0 ? [`r${n}`, noisy(n), n] : [`r${n}`, noisy(n), n, noisy(i)]);
    }),
  );
});

it('a page of an export is one index range in receipt order: no sort, no scan of other services (SQLite plan)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jangkau-export-plan-'));
  const t = await openPreparedDatabase({ dataDir });
  try {
    const w = { scope: '19.01', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
    for (const after of [undefined, { receivedAt: '2025-03-01T00:00:00Z', id: '01J0000000000000000000000' }]) {
      for (const formVersion of [undefined, 2]) {
        const q = pageQuery(t.db, w, { formId: 'skm', ...(formVersion ? { formVersion } : {}) }, after).compile();
        const plan = await t.db.executeQuery<{ detail: string }>({ ...q, sql: `explain query plan ${q.sql}` });
        const details = plan.rows.map((r) => r.detail).join(' | ');
        expect(details).toMatch(/USING (COVERING )?INDEX submissions_export_idx \(form_id=\? AND practice=\? AND received_at/);
        expect(details).not.toContain('TEMP B-TREE');
      }
    }
  } finally {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
