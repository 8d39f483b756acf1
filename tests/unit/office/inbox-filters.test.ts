// The inbox's search rule (core/office/inbox-search.ts, shared by the server and the screen) and the
// screen's filters in the page address (src/features/officer/inbox-filters.ts): every filter the
// screen offers survives the address, anything else in the address falls back to the default, and
// the search term (a NIK or a name) never reaches the address.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReceipt, ulid } from '../../../core/ids.ts';
import { searchKind } from '../../../core/office/inbox-search.ts';
import { SERVER_STATUSES } from '../../../core/protocol.ts';
import { REGENCIES } from '../../../core/regions.ts';
import {
  ASSIGNED_CHOICES,
  DEFAULT_FILTER,
  DUE_CHOICES,
  filterProblems,
  filterQuery,
  initialFilter,
  parseFilterQuery,
  regionChoices,
  rememberFilter,
  type FilterState,
} from '../../../src/features/officer/inbox-filters.ts';

const date = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const nik = fc.stringMatching(/^[0-9]{16}$/);

const state: fc.Arbitrary<FilterState> = fc.record({
  status: fc.constantFrom('' as const, ...SERVER_STATUSES),
  form: fc.constantFrom('', 'ppid-permohonan', 'keberatan', 'tanggapan-dps'),
  region: fc.constantFrom('', '19', '19.01', '19.01.01', '19.01.01.1001', ...REGENCIES.map((r) => r.code)),
  assigned: fc.constantFrom(...ASSIGNED_CHOICES),
  receivedFrom: fc.oneof(fc.constant(''), date),
  receivedTo: fc.oneof(fc.constant(''), date),
  due: fc.constantFrom(...DUE_CHOICES),
  sort: fc.constantFrom('received' as const, 'due' as const),
  q: fc.oneof(fc.constant(''), nik, fc.constantFrom('Siti Aminah', 'Budi')),
});

describe('the search rule', () => {
  it('a receipt number in any form, a NIK, a name; punctuation alone is none', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (ms) => {
        const id = ulid(ms);
        expect(searchKind(id)).toBe('receipt');
        expect(searchKind(formatReceipt(id).toLowerCase())).toBe('receipt');
      }),
    );
    fc.assert(
      fc.property(nik, (n) => {
        expect(searchKind(n)).toBe('nik');
      }),
    );
    expect(searchKind('Siti')).toBe('name');
    expect(searchKind('Hj. Siti Aminah, S.Pd.')).toBe('name');
    fc.assert(
      fc.property(fc.stringMatching(/^[ !?.,\-0-9]{0,20}$/), (s) => {
        expect(searchKind(s)).not.toBe('name');
      }),
    );
    expect(searchKind('a')).toBeUndefined();
    expect(searchKind('!!')).toBeUndefined();
  });
});

describe('the filters in the page address', () => {
  it('every filter the screen offers comes back from the address; the search term is never in it', () => {
    fc.assert(
      fc.property(state, (s) => {
        const query = filterQuery(s);
        expect(parseFilterQuery(query)).toEqual({ ...s, q: '' });
        if (s.q) expect(query).not.toContain(encodeURIComponent(s.q).slice(0, 6));
        expect(new URLSearchParams(query).has('q')).toBe(false);
      }),
    );
  });

  it('an address with anything else in it opens with the defaults for those filters, never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (junk) => {
        const s = parseFilterQuery(junk);
        expect(['', ...SERVER_STATUSES]).toContain(s.status);
        expect(ASSIGNED_CHOICES).toContain(s.assigned);
        expect(DUE_CHOICES).toContain(s.due);
        expect(s.q).toBe('');
      }),
    );
    expect(parseFilterQuery('status=hilang&sejak=2026-02-30&tugas=kamu&wilayah=19.0')).toEqual(DEFAULT_FILTER);
  });

  it('coming back to the list: the address first, else the last filters of the same account', () => {
    const used: FilterState = { ...DEFAULT_FILTER, status: 'diproses', q: 'Siti' };
    rememberFilter('akun-1', used);
    expect(initialFilter('#/petugas/kotak-masuk', 'akun-1')).toEqual(used);
    expect(initialFilter('#/petugas/kotak-masuk', 'akun-2')).toEqual(DEFAULT_FILTER);
    expect(initialFilter('#/petugas/kotak-masuk?tugas=me', 'akun-1')).toEqual({ ...DEFAULT_FILTER, assigned: 'me', q: 'Siti' });
  });

  it('a reversed date range and a term that names nothing are said beside their fields', () => {
    expect(filterProblems({ ...DEFAULT_FILTER, receivedFrom: '2026-12-07', receivedTo: '2026-12-01' })).toEqual({ receivedTo: 'rangeReversed' });
    expect(filterProblems({ ...DEFAULT_FILTER, q: '??' })).toEqual({ q: 'searchInvalid' });
    fc.assert(
      fc.property(state, (s) => {
        expect(Object.keys(filterProblems(s)).length > 0).toBe(s.receivedFrom !== '' && s.receivedTo !== '' && s.receivedTo < s.receivedFrom);
      }),
    );
  });

  it('regions to narrow to are one level below the scope and inside it', () => {
    expect(regionChoices('19').map((r) => r.code)).toEqual(REGENCIES.map((r) => r.code));
    const districts = regionChoices('19.01');
    expect(districts.length).toBeGreaterThan(0);
    expect(districts.every((r) => r.code.startsWith('19.01.'))).toBe(true);
    expect(regionChoices('19.01.01.1001')).toEqual([]);
  });
});
