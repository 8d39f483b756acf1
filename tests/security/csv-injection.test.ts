// Finding 11 of #12: a text cell of an exported CSV must never open as a formula, whether the
// spreadsheet splits on commas or, as Excel does under Indonesian settings, on semicolons.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestForms, PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import { encodeHeld } from '../../core/forms/held-versions.ts';
import { HELD_VERSIONS_HEADER } from '../../core/protocol.ts';
import { toCsv } from '../../server/http/csv.ts';
import { publishForm } from '../../server/repositories/forms.ts';
import { bearer, login, officer, PASSWORD, REGION, TEST_AUTH } from '../server/auth-fixtures.ts';
import { describeEachDialect } from '../server/helpers.ts';
import { spreadsheetCells } from '../support/spreadsheet-cells.ts';

/** OWASP's list: a cell starting with one of these is run as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * Where quotes are read only at a field's start, the CSV's own line ends and quotes can land at a
 * cell's start; what must never follow them there is a formula character.
 */
const FORMULA_AFTER_BLANKS = /^[\t\r\n]*[=+\-@]/;

const risky = fc.string({
  unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ';', ',', '"', "'", ' ', 'a', 'H', '1', '(', ')', '|', '!'),
  maxLength: 24,
});

describe('CSV cells never open as formulas (finding 11)', () => {
  it('splitting on commas, every text cell reads back as written (apostrophes aside) and none starts a formula', () => {
    fc.assert(
      fc.property(fc.array(risky, { minLength: 1, maxLength: 5 }), fc.array(fc.array(risky, { minLength: 1, maxLength: 5 }), { maxLength: 4 }), (header, rawRows) => {
        const rows = rawRows.map((r) => header.map((_, k) => r[k % r.length] ?? ''));
        const parsed = spreadsheetCells(toCsv(header, rows), ',');
        expect(parsed).toHaveLength(rows.length + 1);
        for (const [r, written] of [header, ...rows].entries()) {
          expect(parsed[r]).toHaveLength(written.length);
          for (const [k, cell] of (parsed[r] ?? []).entries()) {
            expect(FORMULA_START.test(cell)).toBe(false);
            // The only change is an apostrophe before a character that would start a formula.
            expect(cell.replaceAll("'", '')).toBe((written[k] ?? '').replaceAll("'", ''));
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('splitting on semicolons (Excel with Indonesian settings), no cell the text breaks into starts a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.array(risky, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }), (rows) => {
        const parsed = spreadsheetCells(toCsv(rows[0]!, rows.slice(1)), ';');
        expect(parsed.flat().filter((c) => FORMULA_AFTER_BLANKS.test(c))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves numbers, including negative ones, as numbers', () => {
    expect(toCsv(['a', 'b'], [[-1.5, 'x']])).toBe('a,b\r\n-1.5,x\r\n');
  });
});

describeEachDialect(
  'a device label exported to a KPI CSV (finding 11)',
  (ctx) => {
    it('a label like hp;=HYPERLINK(…) opens as no formula in a semicolon spreadsheet', async () => {
      const t = ctx();
      const province = await officer(t, 'admin_provinsi', REGION.province);
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const label = 'hp;=HYPERLINK(A2)';
      const relogin = await login(t.app, pantarlih.username, PASSWORD, label);
      expect(relogin.statusCode).toBe(200);
      const token = relogin.json<{ token: string }>().token;
      await publishForm(t.db, { ...ppidPermohonanV1, version: 2, effectiveDate: '2026-12-01' }, new Date().toISOString());
      const held = encodeHeld(latestForms(PUBLISHED_FORMS).map((f) => ({ item: f.formId, version: f.version })));
      expect((await t.app.inject({ url: '/api/v1/changes?since=0', headers: { ...bearer(token), [HELD_VERSIONS_HEADER]: held } })).statusCode).toBe(200);

      const csv = await t.app.inject({ url: '/api/v1/kpi/form-versions?format=csv', headers: bearer(province.token) });
      expect(csv.statusCode).toBe(200);
      expect(csv.body).toContain('HYPERLINK');
      const cells = spreadsheetCells(csv.body, ';').flat();
      expect(cells.filter((c) => FORMULA_AFTER_BLANKS.test(c))).toEqual([]);
    });
  },
  { auth: TEST_AUTH },
);
