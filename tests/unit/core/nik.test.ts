// NIK structure rules: what is refused (errors) and what is only questioned (warnings).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkNik, parseNik, PROVINCE_CODES } from '../../../core/nik.ts';

describe('checkNik', () => {
  it.each([
    { nik: '1901024501900001', why: 'a woman born 05-01-(19)90 in Bangka', sex: 'P', day: 5, month: 1, year2: 90 },
    { nik: '1971010101850002', why: 'a man born 01-01-85 in Pangkalpinang', sex: 'L', day: 1, month: 1, year2: 85 },
    { nik: '1901024101000001', why: 'day 41 is a woman born on the 1st', sex: 'P', day: 1, month: 1, year2: 0 },
    { nik: '1901027112990001', why: 'day 71 is a woman born on the 31st', sex: 'P', day: 31, month: 12, year2: 99 },
    { nik: '1901022902000001', why: '29 Feb of (20)00, a leap year', sex: 'L', day: 29, month: 2, year2: 0 },
    { nik: '1901026902040001', why: '29 Feb of (20)04 for a woman', sex: 'P', day: 29, month: 2, year2: 4 },
    { nik: '9201023112999999', why: 'a new Papua province code', sex: 'L', day: 31, month: 12, year2: 99 },
  ])('accepts $nik: $why', ({ nik, sex, day, month, year2 }) => {
    const verdict = checkNik(nik);
    expect(verdict.errors).toEqual([]);
    expect(verdict.warnings).toEqual([]);
    expect(verdict.parts).toMatchObject({ sex, day, month, year2 });
  });

  it.each([
    { nik: '190102450190000', why: '15 digits', code: 'nik_format' },
    { nik: '19010245019000012', why: '17 digits', code: 'nik_format' },
    { nik: '19010245019000A1', why: 'a letter', code: 'nik_format' },
    { nik: '1901 0245 0190 0001', why: 'spaces', code: 'nik_format' },
    { nik: '', why: 'empty', code: 'nik_format' },
    { nik: '0001024501900001', why: "province '00'", code: 'nik_province' },
    { nik: '2001024501900001', why: "province '20', not in use", code: 'nik_province' },
    { nik: '1900024501900001', why: "regency '00'", code: 'nik_region' },
    { nik: '1901004501900001', why: "district '00'", code: 'nik_region' },
    { nik: '1901020001900001', why: 'day 00', code: 'nik_date' },
    { nik: '1901023201900001', why: 'day 32', code: 'nik_date' },
    { nik: '1901024001900001', why: 'day 40 (neither a man nor a woman)', code: 'nik_date' },
    { nik: '1901027201900001', why: 'day 72 (a woman born on the 32nd)', code: 'nik_date' },
    { nik: '1901020100900001', why: 'month 00', code: 'nik_date' },
    { nik: '1901020113900001', why: 'month 13', code: 'nik_date' },
    { nik: '1901023104900001', why: '31 April', code: 'nik_date' },
    { nik: '1901023002000001', why: '30 February', code: 'nik_date' },
    { nik: '1901022902010001', why: "29 Feb of '01: neither 1901 nor 2001 is a leap year", code: 'nik_date' },
    { nik: '1901026902010001', why: "29 Feb of '01 for a woman", code: 'nik_date' },
    { nik: '1901024501900000', why: 'serial 0000', code: 'nik_serial' },
  ])('refuses $nik: $why', ({ nik, code }) => {
    expect(checkNik(nik).errors).toContain(code);
  });

  it('reports every broken part at once', () => {
    expect(checkNik('0000007213000000').errors).toEqual(['nik_province', 'nik_region', 'nik_date', 'nik_serial']);
  });

  it.each([
    { context: { birthDate: '1990-01-05', sex: 'P' as const }, warnings: [] },
    // The two-digit year matches either century.
    { context: { birthDate: '2090-01-05' }, warnings: [] },
    { context: { birthDate: '1990-01-06' }, warnings: ['nik_birthdate_mismatch'] },
    { context: { birthDate: '1991-01-05' }, warnings: ['nik_birthdate_mismatch'] },
    { context: { sex: 'L' as const }, warnings: ['nik_sex_mismatch'] },
    { context: { birthDate: '1990-02-05', sex: 'L' as const }, warnings: ['nik_birthdate_mismatch', 'nik_sex_mismatch'] },
    // An unreadable stated date is the date field's problem, not the NIK's.
    { context: { birthDate: '05/01/1990' }, warnings: [] },
  ])('only warns when the stated $context differ from the NIK', ({ context, warnings }) => {
    const verdict = checkNik('1901024501900001', context);
    expect(verdict.errors).toEqual([]);
    expect(verdict.warnings).toEqual(warnings);
  });
});

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Any NIK the rules say is valid: a province in use, regions not 00, a real date, serial not 0000. */
const validNik = fc
  .record({
    province: fc.constantFrom(...PROVINCE_CODES),
    regency: fc.integer({ min: 1, max: 99 }),
    district: fc.integer({ min: 1, max: 99 }),
    born: fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }),
    woman: fc.boolean(),
    serial: fc.integer({ min: 1, max: 9999 }),
  })
  .map((p) => ({
    ...p,
    nik:
      p.province +
      pad(p.regency, 2) +
      pad(p.district, 2) +
      pad(p.born.getUTCDate() + (p.woman ? 40 : 0), 2) +
      pad(p.born.getUTCMonth() + 1, 2) +
      pad(p.born.getUTCFullYear() % 100, 2) +
      pad(p.serial, 4),
  }));

describe('NIK properties', () => {
  it('accepts every well-formed NIK and reads back its date and sex', () => {
    fc.assert(
      fc.property(validNik, ({ nik, born, woman }) => {
        const verdict = checkNik(nik, { birthDate: born.toISOString().slice(0, 10), sex: woman ? 'P' : 'L' });
        expect(verdict.errors).toEqual([]);
        expect(verdict.warnings).toEqual([]);
        expect(parseNik(nik)).toMatchObject({ day: born.getUTCDate(), month: born.getUTCMonth() + 1, sex: woman ? 'P' : 'L' });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses every 16-digit string whose serial is 0000', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{12}$/), (head) => {
        expect(checkNik(`${head}0000`).errors).toContain('nik_serial');
      }),
      { numRuns: 500 },
    );
  });

  it('refuses anything that is not exactly 16 digits as nik_format', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\d{16}$/.test(s)),
        (s) => {
          expect(checkNik(s)).toEqual({ errors: ['nik_format'], warnings: [] });
        },
      ),
    );
  });
});
