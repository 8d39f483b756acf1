// The generator's pure parts on small fixtures: CSV parsing, display names, coordinates, and the
// checks that stop a broken catalogue at build time.
import { describe, expect, it } from 'vitest';
import { buildCatalog, displayName, parseCoordinate, parseCsv } from '../../../core/regions/build-catalog.ts';

describe('parseCsv', () => {
  it.each([
    { why: 'plain rows', text: 'a,b\n1,2\n', rows: [['a', 'b'], ['1', '2']] },
    { why: 'no trailing newline', text: 'a,b\n1,2', rows: [['a', 'b'], ['1', '2']] },
    { why: 'CRLF line ends', text: 'a,b\r\n1,2\r\n', rows: [['a', 'b'], ['1', '2']] },
    { why: 'empty fields', text: 'a,,c\n', rows: [['a', '', 'c']] },
    { why: 'quoted comma', text: '"x, y",z\n', rows: [['x, y', 'z']] },
    { why: 'doubled quotes', text: `"02°57'20.99"" S",1\n`, rows: [[`02°57'20.99" S`, '1']] },
    { why: 'line break inside quotes', text: '"a\nb",c\n', rows: [['a\nb', 'c']] },
    { why: 'a trailing comma', text: 'a,\nb,', rows: [['a', ''], ['b', '']] },
  ])('$why', ({ text, rows }) => {
    expect(parseCsv(text)).toEqual(rows);
  });

  it.each(['"open,1\n', 'a"b,1\n', '"a"b,1\n'])('refuses the stray quote in %j', (text) => {
    expect(() => parseCsv(text)).toThrow(/CSV:/);
  });
});

describe('displayName', () => {
  it.each([
    ['KEPULAUAN PONGOK', 'Kepulauan Pongok'],
    ['KOTA PANGKAL PINANG', 'Kota Pangkal Pinang'],
    ['JELUTUNG II', 'Jelutung II'],
    ['TERENTANG III', 'Terentang III'],
    ['AIR  GEGAS ', 'Air Gegas'],
    ['KURAU (TIMUR)', 'Kurau (Timur)'],
    ['SUNGAI-LIAT', 'Sungai-Liat'],
    ["PULAU RU'", "Pulau Ru'"],
    ['DI', 'Di'],
    // Already mixed case: the source's spelling wins.
    ["Pulau Ru'", "Pulau Ru'"],
    ['Tanjungpandan', 'Tanjungpandan'],
    ['Kurau (Timur)', 'Kurau (Timur)'],
  ])('%s → %s', (raw, shown) => {
    expect(displayName(raw)).toBe(shown);
  });
});

describe('parseCoordinate', () => {
  it('turns degrees, minutes and seconds into signed decimal degrees', () => {
    expect(parseCoordinate(`02°57'20.99" S 106°48'37.00" E`)).toEqual({ lat: -2.955831, lng: 106.810278 });
    expect(parseCoordinate(`03°19'03.44" N 097°07'41.73" W`)).toEqual({ lat: 3.317622, lng: -97.128258 });
  });

  it.each(['', '-2.95, 106.81', `02°57' S 106°48' E`])('leaves %j undefined', (text) => {
    expect(parseCoordinate(text)).toBeUndefined();
  });
});

const FIXTURE = {
  regencies: 'code,province_code,name\n18.01,18,Kabupaten Lampung Selatan\n19.02,19,KABUPATEN BELITUNG\n19.01,19,Kabupaten Bangka\n',
  districts: 'code,regency_code,name\n18.01.01,18.01,Natar\n19.02.03,19.02,SELAT NASIK\n19.01.01,19.01,Sungailiat\n',
  villages: 'code,district_code,name\n19.02.03.2002,19.02.03,Petaling\n19.02.03.2001,19.02.03,Selat Nasik\n18.01.01.2001,18.01.01,Merak Batin\n',
  islands:
    'code,regency_code,coordinate,is_populated,is_outermost_small,name\n' +
    `19.02.40114,19.02,"02°52'41.59"" S 107°25'24.60"" E",1,0,Pulau Mendanau\n` +
    `19.02.40001,19.02,"02°50'00.00"" S 107°20'00.00"" E",0,0,Pulau Kosong\n` +
    `19.00.40002,,"02°51'22.00"" S 107°54'59.00"" E",1,0,Pulau Belitung\n` +
    `18.01.40001,18.01,"05°00'00.00"" S 105°00'00.00"" E",1,0,Pulau Lain\n`,
};

describe('buildCatalog', () => {
  it('keeps one province, sorted by code, with display names and parents', () => {
    const catalog = buildCatalog(FIXTURE, '19', 'fixture 1.0.0');
    expect(catalog).toEqual({
      source: 'fixture 1.0.0',
      licence: 'ODbL-1.0',
      regencies: [
        { code: '19.01', name: 'Kabupaten Bangka' },
        { code: '19.02', name: 'Kabupaten Belitung' },
      ],
      districts: [
        { code: '19.01.01', name: 'Sungailiat', parent: '19.01' },
        { code: '19.02.03', name: 'Selat Nasik', parent: '19.02' },
      ],
      villages: [
        { code: '19.02.03.2001', name: 'Selat Nasik', parent: '19.02.03' },
        { code: '19.02.03.2002', name: 'Petaling', parent: '19.02.03' },
      ],
      islands: [
        { code: '19.00.40002', name: 'Pulau Belitung', regencyCode: '19', lat: -2.856111, lng: 107.916389 },
        { code: '19.02.40114', name: 'Pulau Mendanau', regencyCode: '19.02', lat: -2.878219, lng: 107.4235 },
      ],
    });
  });

  it.each([
    {
      why: 'a village whose district is missing',
      patch: { villages: 'code,district_code,name\n19.02.09.2001,19.02.09,Hilang\n' },
      error: /village 19\.02\.09\.2001: parent/,
    },
    {
      why: 'a duplicate code',
      patch: { districts: 'code,regency_code,name\n19.01.01,19.01,A\n19.01.01,19.01,B\n' },
      error: /duplicate district code 19\.01\.01/,
    },
    {
      why: 'an undotted code',
      patch: { regencies: 'code,province_code,name\n1901,19,Kabupaten Bangka\n' },
      error: /malformed regency code '1901'/,
    },
    {
      why: 'a renamed column',
      patch: { islands: 'code,regency,coordinate,is_populated,name\n' },
      error: /islands\.csv: no column 'regency_code'/,
    },
  ])('refuses $why', ({ patch, error }) => {
    expect(() => buildCatalog({ ...FIXTURE, ...patch }, '19', 'fixture')).toThrow(error);
  });
});
