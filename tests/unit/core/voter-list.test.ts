// The voter list upload's parser: header by name, each line checked with the coklit rules, every
// problem reported with its line and column in Indonesian, and the whole list refused on any.
import { describe, expect, it } from 'vitest';
import { coklitPrefill, groupByTps, MAX_LIST_VOTERS, MAX_REPORTED_PROBLEMS, normalizeBirthDate, parseVoterList } from '../../../core/assignments/voter-list.ts';
import { REGION_CATALOG } from '../../../core/regions/catalog.generated.ts';

const HEADER = 'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt,rw';
const VILLAGE = '19.01.01.1001';
const options = { catalog: REGION_CATALOG, scope: '19.01', today: '2026-11-28' };
const line = (over: Partial<Record<string, string>> = {}) => {
  const v = {
    desa: VILLAGE,
    tps: '003',
    nik: '1901024501900001',
    kk: '1901020101200001',
    nama: 'Siti Aminah',
    jenisKelamin: 'P',
    tempatLahir: 'Mentok',
    tanggalLahir: '1990-01-05',
    alamat: 'Jl. Pelabuhan No. 4',
    rt: '002',
    rw: '001',
    ...over,
  };
  return [v.desa, v.tps, v.nik, v.kk, v.nama, v.jenisKelamin, v.tempatLahir, v.tanggalLahir, v.alamat, v.rt, v.rw].join(',');
};

describe('parseVoterList', () => {
  it('reads voters in any column order and case, with quoted commas, a BOM and CRLF line ends', () => {
    const text =
      '\uFEFFNIK,Nama,DESA,TPS,kk,jeniskelamin,tempatlahir,tanggallahir,alamat,rt\r\n' +
      `1901024501900001,"Aminah, Siti",${VILLAGE},3,1901020101200001,perempuan,Mentok,05/01/1990,"Jl. Pelabuhan, Gg. 2",2\r\n`;
    const result = parseVoterList(text, options);
    expect(result).toEqual({
      ok: true,
      voters: [
        {
          desa: VILLAGE,
          tps: '003',
          nik: '1901024501900001',
          kk: '1901020101200001',
          nama: 'Aminah, Siti',
          jenisKelamin: 'P',
          tempatLahir: 'Mentok',
          tanggalLahir: '1990-01-05',
          alamat: 'Jl. Pelabuhan, Gg. 2',
          rt: '2',
        },
      ],
    });
  });

  it.each([
    { over: { nik: '19010245019000' }, column: 'nik', message: 'NIK harus 16 angka.' },
    { over: { kk: '1900000101200001' }, column: 'kk', message: 'Kode kabupaten/kota atau kecamatan pada nomor KK tidak valid.' },
    { over: { desa: '19.01.01.9999' }, column: 'desa', message: 'Kode desa/kelurahan tidak dikenal (contoh: 19.01.01.1001).' },
    { over: { desa: '19.02.01.2003' }, column: 'desa', message: 'Desa/kelurahan ini di luar wilayah akun Anda.' },
    { over: { tps: '0' }, column: 'tps', message: 'Nomor TPS harus 1–3 angka, contoh 003.' },
    { over: { jenisKelamin: 'X' }, column: 'jenisKelamin', message: 'Jenis kelamin harus L atau P.' },
    { over: { tanggalLahir: '1990-02-30' }, column: 'tanggalLahir', message: 'Tanggal lahir tidak valid: tulis 1990-08-17 atau 17-08-1990.' },
    { over: { tanggalLahir: '2030-01-01' }, column: 'tanggalLahir', message: 'Tanggal lahir di luar rentang (1900 sampai hari ini).' },
    { over: { nama: 'A' }, column: 'nama', message: 'Nama wajib diisi (paling sedikit 2 karakter).' },
    { over: { alamat: '' }, column: 'alamat', message: 'Alamat wajib diisi.' },
    { over: { rt: 'dua' }, column: 'rt', message: 'RT berupa 1–3 angka, contoh 003.' },
    { over: { rw: '1234' }, column: 'rw', message: 'RW berupa 1–3 angka, contoh 001 (boleh kosong).' },
  ])('refuses the list for a bad $column, naming line and column', ({ over, column, message }) => {
    const result = parseVoterList([HEADER, line({ nik: '1971010101850002' }), line(over)].join('\n'), options);
    expect(result).toEqual({ ok: false, problems: [{ line: 3, column, message }], problemCount: 1 });
  });

  it('reports a repeated NIK, an unreadable line and a missing header column', () => {
    const dup = parseVoterList([HEADER, line(), line()].join('\n'), options);
    expect(dup).toMatchObject({ ok: false, problems: [{ line: 3, column: 'nik', message: 'NIK yang sama sudah ada di baris 2.' }] });
    const quote = parseVoterList([HEADER, `${VILLAGE},003,"unclosed`].join('\n'), options);
    expect(quote).toMatchObject({ ok: false, problems: [{ line: 2, message: 'Baris tidak terbaca: periksa tanda petik (").' }] });
    expect(parseVoterList(`"\n${line()}`, options)).toMatchObject({ ok: false, problems: [{ line: 1, message: 'Baris tidak terbaca: periksa tanda petik (").' }] });
    const header = parseVoterList(['desa,tps,nik,nama', line()].join('\n'), options);
    expect(header).toMatchObject({ ok: false, problems: [{ line: 1 }] });
    expect(header.ok === false && header.problems[0]?.message).toContain('kk, jenisKelamin, tempatLahir, tanggalLahir, alamat, rt');
  });

  it('refuses an empty file, a header alone, semicolons and too many lines', () => {
    expect(parseVoterList('', options)).toMatchObject({ ok: false, problems: [{ line: 1 }] });
    expect(parseVoterList(`${HEADER}\n\n`, options)).toMatchObject({ ok: false, problems: [{ line: 2 }] });
    expect(parseVoterList(HEADER.replaceAll(',', ';'), options)).toMatchObject({
      ok: false,
      problems: [{ message: 'Gunakan koma (,) sebagai pemisah kolom, bukan titik koma (;).' }],
    });
    const many = [HEADER, ...Array.from({ length: MAX_LIST_VOTERS + 1 }, () => line())].join('\n');
    expect(parseVoterList(many, options)).toMatchObject({ ok: false, problemCount: 1 });
  });

  it('lists at most MAX_REPORTED_PROBLEMS problems and counts them all', () => {
    const bad = [HEADER, ...Array.from({ length: MAX_REPORTED_PROBLEMS + 20 }, () => line({ rt: 'x' }))].join('\n');
    const result = parseVoterList(bad, options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(MAX_REPORTED_PROBLEMS);
    expect(result.problemCount).toBe(MAX_REPORTED_PROBLEMS + 20);
  });
});

describe('normalizeBirthDate', () => {
  it.each([
    ['1990-01-05', '1990-01-05'],
    ['5-1-1990', '1990-01-05'],
    ['05/01/1990', '1990-01-05'],
    ['29-02-2000', '2000-02-29'],
    ['29-02-2001', undefined],
    ['1990/01/05', undefined],
    ['', undefined],
  ])('%s → %s', (raw, iso) => {
    expect(normalizeBirthDate(raw)).toBe(iso);
  });
});

describe('groupByTps and coklitPrefill', () => {
  it('groups by village and TPS in file order and prefills the coklit fields', () => {
    const result = parseVoterList([HEADER, line({ tps: '1' }), line({ nik: '1971010101850002', rw: '' }), line({ nik: '1901022902000001', tps: '001' })].join('\n'), options);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const groups = groupByTps(result.voters);
    expect([...groups.keys()]).toEqual([`${VILLAGE}/001`, `${VILLAGE}/003`]);
    expect(groups.get(`${VILLAGE}/001`)?.map((v) => v.nik)).toEqual(['1901024501900001', '1901022902000001']);
    expect(coklitPrefill(groups.get(`${VILLAGE}/003`)![0]!)).toEqual({
      desa: VILLAGE,
      tps: '003',
      alamat: 'Jl. Pelabuhan No. 4',
      rt: '002',
      kk: '1901020101200001',
      nik: '1971010101850002',
      nama: 'Siti Aminah',
      tempatLahir: 'Mentok',
      tanggalLahir: '1990-01-05',
      jenisKelamin: 'P',
    });
  });
});
