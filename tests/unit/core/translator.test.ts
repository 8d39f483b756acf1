// The translator's dates, relative times and sizes, whose Intl formatters are made on first use
// (bench:slow-phone: building them at start cost a throttled cold start about 90 ms): the same
// text as formatters made up front, for any instant, in both languages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/use-i18n.ts';

const LOCALES = { id: 'id-ID', en: 'en-GB' } as const;
const instant = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2100-01-01T00:00:00Z') });

describe('translator', () => {
  it('formats dates, days and relative times as Intl does in Asia/Jakarta, in both languages', () => {
    fc.assert(
      fc.property(fc.constantFrom('id' as const, 'en' as const), instant, fc.integer({ min: -90 * 86_400_000, max: 90 * 86_400_000 }), (lang, at, delta) => {
        const tr = translator(lang);
        const date = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' }).format(at);
        const day = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeZone: 'Asia/Jakarta' }).format(at);
        expect(tr.dateTime(at)).toBe(`${date} WIB`);
        expect(tr.day(at)).toBe(day);
        const seconds = Math.round(delta / 1000);
        const rel = new Intl.RelativeTimeFormat(LOCALES[lang], { numeric: 'auto' });
        const abs = Math.abs(seconds);
        const want =
          abs < 60
            ? tr.t('justNow')
            : abs < 3600
              ? rel.format(Math.round(seconds / 60), 'minute')
              : abs < 86400
                ? rel.format(Math.round(seconds / 3600), 'hour')
                : rel.format(Math.round(seconds / 86400), 'day');
        expect(tr.relative(at + delta, at)).toBe(want);
      }),
      { numRuns: 200 },
    );
  });
});
