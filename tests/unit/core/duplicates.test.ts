// Pemilih ganda: Indonesian name normalisation, name similarity and the duplicate rules, table-
// driven and as properties (core/duplicates/).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalSpelling, jaroWinkler, nameKey, nameSimilarity, normaliseName, withinOneEdit } from '../../../core/duplicates/names.ts';
import { findPairsInMemory, judgePair, matchKeys, NEAR_NAME, type MatchRecord } from '../../../core/duplicates/rules.ts';
import { newVoterNikIssue, sameNikOnList } from '../../../core/duplicates/new-voter.ts';

const PARTS = ['siti', 'aminah', 'ahmad', 'budi', 'santoso', 'dewi', 'lestari', 'rahman', 'yusuf', 'hasan', 'wati', 'agus', 'rina', 'fauzi', 'kurniawan', 'putri', 'andi', 'safitri', 'bambang', 'indra'];
const TITLES_BEFORE = ['H.', 'Hj.', 'Drs.', 'Dra.', 'Dr.', 'Ir.', 'Prof.', 'KH.', 'H', 'Hj', 'HJ.', 'Haji', 'H.M.'.slice(0, 2)];
const DEGREES_AFTER = [', S.Pd.', ' S.Pd', ', S.Pd.I', ', M.Pd.', ' S.E.', ', SE', ' S.H.', ', S.Kom', ' S.Sos', ', S.Ag.', ' A.Md.', ', S.T.', ' ST', ', M.M.', ' S.Kep.'];

const namePart = fc.constantFrom(...PARTS);
/** A plain name (1–4 parts) written in some case. */
const plainName = fc.array(namePart, { minLength: 1, maxLength: 4 }).map((p) => p.join(' '));
const anyCase = (s: string) => fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }).map((up) => [...s].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));
const spaced = (s: string) => fc.tuple(fc.constantFrom('', ' ', '  ', '\t'), fc.constantFrom(' ', '  ', ' \t '), fc.constantFrom('', ' ', '   ')).map(([lead, mid, tail]) => `${lead}${s.split(' ').join(mid)}${tail}`);

describe('normaliseName', () => {
  it.each([
    ['H. Muhammad Yusuf, S.Pd.', 'muhamad yusuf'],
    ['MOCH. YOESOEF', 'muhamad yusuf'],
    ['Mohammad Yusuf', 'muhamad yusuf'],
    ['Muh. Yusuf', 'muhamad yusuf'],
    ['M. Yusuf', 'muhamad yusuf'],
    ['Moh.Yusuf', 'muhamad yusuf'],
    ['Hj. Siti Noor Aisyah', 'siti nur aisyah'],
    ['Drs. Abd. Rahman S.Sos', 'abdul rahman'],
    ['Achmad Djunaedi', 'ahmad junaedi'],
    ['Chairul Tanjung', 'hairul tanjung'],
    ['Soekarno', 'sukarno'],
    ['Tjitra Dewi', 'citra dewi'],
    ['Sjamsul Bahri', 'syamsul bahri'],
    ['Rizky Hendry', 'rizki hendri'],
    ['Hassan Abdullah', 'hasan abdulah'],
    ["Ma'ruf", 'maruf'],
    ['Ahmad bin Umar', 'ahmad umar'],
    ['St. Khadijah', 'siti hadijah'],
    ['Siti Aminah S.E.', 'siti aminah'],
    ['Tan Se', 'tan se'],
    ['Hj', 'hj'],
    ['José Ramírez', 'jose ramirez'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseName(raw)).toBe(expected);
  });

  it('is idempotent on any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (raw) => normaliseName(normaliseName(raw)) === normaliseName(raw)));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PARTS, 'h.', 'hj', 's.pd', ',', 'moh.', 'abd.', 'oe', 'dj', 'ch', 'tt', 'y', '-', "'", ' ', 'S.E.', 'st'), { maxLength: 10 }), (bits) => {
        const raw = bits.join('');
        return normaliseName(normaliseName(raw)) === normaliseName(raw);
      }),
    );
  });

  it('is the same whatever the case and spacing', () => {
    fc.assert(
      fc.property(
        plainName.chain((n) => fc.tuple(fc.constant(n), anyCase(n).chain(spaced))),
        ([n, written]) => normaliseName(written) === normaliseName(n),
      ),
    );
  });

  it('is the same with or without titles before and degrees after', () => {
    fc.assert(
      fc.property(plainName, fc.subarray(TITLES_BEFORE, { maxLength: 2 }), fc.subarray(DEGREES_AFTER, { maxLength: 2 }), (n, before, after) => {
        const written = `${before.join(' ')} ${n}${after.join('')}`;
        return normaliseName(written) === normaliseName(n);
      }),
    );
  });

  it('is the same for the spellings of Muhammad, Abdul and Nur', () => {
    const muhammad = fc.constantFrom('Muhammad', 'Muhamad', 'Mohammad', 'Mohamad', 'Moh.', 'Muh.', 'M.', 'Mochammad', 'Mukhammad', 'Mhd.', 'MUHAMMAD');
    const abdul = fc.constantFrom('Abdul', 'Abd.', 'Abdoel');
    const nur = fc.constantFrom('Nur', 'Noor', 'Nor', 'Nour');
    fc.assert(
      fc.property(muhammad, muhammad, abdul, abdul, nur, nur, plainName, (m1, m2, a1, a2, n1, n2, rest) =>
        normaliseName(`${m1} ${a1} ${n1} ${rest}`) === normaliseName(`${m2} ${a2} ${n2} ${rest}`),
      ),
    );
  });

  it('keeps old and new spelling together', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z]{1,12}$/), (w) => canonicalSpelling(canonicalSpelling(w)) === canonicalSpelling(w)));
    expect(nameKey('Nur Hayati')).toBe(nameKey('Nurhayati'));
    expect(nameKey('Djoko Soesilo')).toBe(nameKey('Joko Susilo'));
  });

  it('tells different names apart', () => {
    expect(nameKey('Siti Aminah')).not.toBe(nameKey('Siti Aisyah'));
    expect(nameKey('Budi Santoso')).not.toBe(nameKey('Budi Susanto'));
  });
});

describe('nameSimilarity', () => {
  it('is symmetric, within [0, 1], and 1 on the same name', () => {
    fc.assert(
      fc.property(fc.oneof(plainName, fc.string({ maxLength: 20 })), fc.oneof(plainName, fc.string({ maxLength: 20 })), (a, b) => {
        const s = nameSimilarity(a, b);
        return s === nameSimilarity(b, a) && s >= 0 && s <= 1 && (normaliseName(a) === '' || nameSimilarity(a, a) === 1);
      }),
    );
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => jaroWinkler(a, b) === jaroWinkler(b, a)));
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => withinOneEdit(a, b) === withinOneEdit(b, a)));
  });

  it('counts one edit and only one', () => {
    const word = fc.stringMatching(/^[a-z]{2,12}$/);
    fc.assert(
      fc.property(word, fc.nat(), fc.constantFrom('a', 'z'), (w, at, c) => {
        const i = at % w.length;
        expect(withinOneEdit(w, w.slice(0, i) + w.slice(i + 1))).toBe(true);
        expect(withinOneEdit(w, w.slice(0, i) + c + w.slice(i))).toBe(true);
        expect(withinOneEdit(w, w.slice(0, i) + c + w.slice(i + 1))).toBe(true);
        if (i + 1 < w.length) expect(withinOneEdit(w, w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2))).toBe(true);
      }),
    );
    expect(withinOneEdit('hasanbasri', 'husinbasri')).toBe(false);
    expect(withinOneEdit('abc', 'cab')).toBe(false);
    expect(withinOneEdit('ab', 'abcd')).toBe(false);
  });

  it('is 1 for the same name written with a title, another case or another spelling', () => {
    fc.assert(fc.property(plainName, fc.constantFrom(...TITLES_BEFORE), (n, t) => nameSimilarity(`${t} ${n.toUpperCase()}`, n) === 1));
  });

  it('scores a typo or a left-out middle name as near, and a different person as not', () => {
    expect(nameSimilarity('Dewi Kurniasih', 'Dewi Kurniasi')).toBeGreaterThanOrEqual(NEAR_NAME);
    expect(nameSimilarity('Budi Santoso', 'Budi Santosa')).toBeGreaterThanOrEqual(NEAR_NAME);
    expect(nameSimilarity('Agus Salim', 'Agus Saim')).toBeGreaterThanOrEqual(NEAR_NAME);
    expect(nameSimilarity('Yanti Bong', 'Yatni Bong')).toBeGreaterThanOrEqual(NEAR_NAME);
    // Twins' names rhyme: a first name changed in two letters is another person; one letter is a
    // slip or a twin, and staff decide (Rina Wati / Rini Wati is shown as a pair).
    expect(nameSimilarity('Hasan Basri', 'Husin Basri')).toBeLessThan(NEAR_NAME);
    expect(nameSimilarity('Rina Wati', 'Rini Wati')).toBeGreaterThanOrEqual(NEAR_NAME);
    expect(nameSimilarity('Sita', 'Siti')).toBeLessThan(NEAR_NAME);
    expect(nameSimilarity('Siti Nur Aminah', 'Siti Aminah')).toBeGreaterThanOrEqual(NEAR_NAME);
    expect(nameSimilarity('Aminah Siti', 'Siti Aminah')).toBe(1);
    expect(nameSimilarity('Kurniawan Putra', 'Kurniawann Putra')).toBe(1);
    expect(nameSimilarity('Dewi Lestari', 'Dewi Kartika')).toBeLessThan(NEAR_NAME);
    expect(nameSimilarity('Ahmad', 'Ahmad Fauzi')).toBeLessThan(NEAR_NAME);
    expect(nameSimilarity('Bambang', 'Agus')).toBeLessThan(0.6);
  });
});

const base: MatchRecord = { key: 'a', nik: '1901024501900001', nama: 'Siti Aminah', tanggalLahir: '1990-01-05', desa: '19.01.01.1001', kk: '1901020101900001' };

describe('judgePair', () => {
  it.each<[string, Partial<MatchRecord>, string | undefined]>([
    ['the same NIK anywhere, whatever the name', { key: 'b', nama: 'Budi', desa: '19.71.01.1001', tanggalLahir: '1970-02-02' }, 'nik'],
    ['the same name as written otherwise and the same birth date, another village', { key: 'b', nik: '1971014501900002', nama: 'Hj. SITI  AMINAH', desa: '19.71.01.1001', kk: '1971010101900009' }, 'nama-lahir'],
    ['a typo, the same birth date and village', { key: 'b', nik: '1901024501900002', nama: 'Siti Aminnah', kk: '1901020101900009' }, 'nama-lahir'],
    ['a typo, the same birth date and KK', { key: 'b', nik: '1901024501900002', nama: 'Siti Aminsh', desa: '19.01.01.1002' }, 'mirip'],
    ['a typo, the same birth date, another village and KK', { key: 'b', nik: '1901024501900002', nama: 'Siti Aminsh', desa: '19.01.01.1002', kk: '1901020101900009' }, undefined],
    ['the same name, another birth date', { key: 'b', nik: '1901024501900002', tanggalLahir: '1990-01-06' }, undefined],
    ['another name, the same birth date and KK (twins)', { key: 'b', nik: '1901020501900003', nama: 'Budi Santoso' }, undefined],
    ['the same record', { nama: 'Other' }, undefined],
  ])('%s', (_why, change, kind) => {
    const other = { ...base, ...change };
    expect(judgePair(base, other)?.kind).toBe(kind);
  });

  const record = fc.record({
    key: fc.constantFrom('a', 'b', 'c'),
    nik: fc.constantFrom('1901024501900001', '1901024501900002', '19.01.02 4501900001'),
    nama: fc.oneof(plainName, fc.constantFrom('Hj. Siti Aminah', 'Siti Aminnah', 'M. Yusuf', 'Muhammad Yusuf')),
    tanggalLahir: fc.constantFrom('1990-01-05', '1990-01-06'),
    desa: fc.constantFrom('19.01.01.1001', '19.01.01.1002'),
    kk: fc.constantFrom('1901020101900001', '1901020101900009'),
  });

  it('is symmetric, scores within its kind, and never pairs a record with itself', () => {
    fc.assert(
      fc.property(record, record, (a, b) => {
        const ab = judgePair(a, b);
        expect(judgePair(b, a)).toEqual(ab);
        if (a.key === b.key) expect(ab).toBeUndefined();
        if (ab?.kind === 'nik') expect(ab.score).toBe(100);
        if (ab?.kind === 'nama-lahir') expect(ab.score).toBeGreaterThanOrEqual(90);
        if (ab?.kind === 'mirip') expect(ab.score).toBeLessThan(90);
        // Every pair the rules find shares one of its grouping keys, so grouping blind keys misses none.
        if (ab) {
          const ka = matchKeys(a);
          const kb = matchKeys(b);
          expect(ka.nik === kb.nik || ka.nameBirth === kb.nameBirth || ka.birthVillage === kb.birthVillage || ka.birthKk === kb.birthKk).toBe(true);
        }
      }),
    );
  });

  it('finds in memory exactly the pairs judged one by one', () => {
    fc.assert(
      fc.property(fc.uniqueArray(record, { selector: (r) => r.key, maxLength: 3 }), (records) => {
        const found = findPairsInMemory(records);
        for (let i = 0; i < records.length; i++) {
          for (let j = i + 1; j < records.length; j++) {
            const v = judgePair(records[i]!, records[j]!);
            const [a, b] = [records[i]!.key, records[j]!.key].sort();
            expect(found.get(`${a}|${b}`)?.kind).toBe(v?.kind);
          }
        }
      }),
    );
  });
});

describe('sameNikOnList', () => {
  it('finds the listed voter with the NIK typed, not the record itself, not a partial NIK', () => {
    const list = [
      { key: 'x', nik: '1901024501900001' },
      { key: 'y', nik: '1901024501900002' },
    ];
    expect(sameNikOnList('1901 0245 0190 0001', list).map((r) => r.key)).toEqual(['x']);
    expect(sameNikOnList('1901024501900001', list, 'x')).toEqual([]);
    expect(sameNikOnList('190102450190000', list)).toEqual([]);
  });
});

describe('newVoterNikIssue', () => {
  const listed = [
    { nik: '1901024501900001', tps: '003' },
    { nik: '1901024501900002', tps: '004' },
  ];
  it('warns beside the NIK of a new voter already listed, with its TPS, and only then', () => {
    expect(newVoterNikIssue({ hasil: 'baru', nik: '1901024501900002' }, listed)).toEqual({ field: 'nik', code: 'nik_on_list', params: { tps: 4 } });
    expect(newVoterNikIssue({ hasil: 'sesuai', nik: '1901024501900002' }, listed)).toBeUndefined();
    expect(newVoterNikIssue({ hasil: 'baru', nik: '1901024501900003' }, listed)).toBeUndefined();
    expect(newVoterNikIssue({ hasil: 'baru', nik: '19010245019000' }, listed)).toBeUndefined();
    expect(newVoterNikIssue({ hasil: 'baru' }, listed)).toBeUndefined();
  });
});
