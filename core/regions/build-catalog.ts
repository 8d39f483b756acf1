// Turns idn-area-data's CSV files into the province's RegionCatalog. Pure (text in, catalogue
// out) so tests can feed it small fixtures; scripts/generate-regions.ts does the file I/O. Used
// at build time: the page and the server import the generated catalogue, not this module. Its
// parseCsv alone also runs at run time, reading uploaded voter lists (core/assignments/voter-list.ts).
import type { Island, Region, RegionCatalog } from './types.ts';

export interface CatalogSources {
  regencies: string;
  districts: string;
  villages: string;
  islands: string;
}

/**
 * Parses RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks (the islands
 * file quotes its coordinates because they contain `"` for seconds). Returns rows of fields.
 * Matches whole fields with one sticky regex rather than character by character: the national
 * villages file is 2.8 MB and the generator runs before every build and test.
 */
export function parseCsv(text: string): string[][] {
  const field = /"((?:[^"]|"")*)"|([^,\r\n"]*)/y;
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    field.lastIndex = i;
    const m = field.exec(text);
    if (!m) throw new Error(`CSV: stray quote at offset ${i}`);
    row.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? ''));
    i = field.lastIndex;
    const next = text[i];
    if (next === ',') {
      i += 1;
      // A trailing comma ends the line with one more, empty, field.
      if (i === n || text[i] === '\n' || text[i] === '\r') row.push('');
      else continue;
    }
    if (i < n && text[i] !== '\n' && text[i] !== '\r') throw new Error(`CSV: unexpected '${text[i] ?? ''}' at offset ${i}`);
    rows.push(row);
    row = [];
    if (text[i] === '\r' && text[i + 1] === '\n') i += 1;
    i += 1;
  }
  return rows;
}

/**
 * CSV rows as records keyed by the header line; checks the columns the catalogue needs. `keep`
 * sees the `code` column first, so rows of other provinces never become objects.
 */
export function csvRecords(
  text: string,
  required: readonly string[],
  file: string,
  keep: (code: string) => boolean = () => true,
): Record<string, string>[] {
  const [header, ...body] = parseCsv(text);
  if (!header) throw new Error(`${file}: empty file`);
  for (const column of required) {
    if (!header.includes(column)) throw new Error(`${file}: no column '${column}' (has ${header.join(', ')})`);
  }
  const codeAt = header.indexOf('code');
  return body
    .filter((fields) => !(fields.length === 1 && fields[0] === '') && keep(fields[codeAt] ?? ''))
    .map((fields) => Object.fromEntries(header.map((column, k) => [column, fields[k] ?? ''])));
}

// I–XXXIX: village names such as "Jelutung II" number their parts this way. Longer roman
// "words" (DI, MIX…) are real words far more often than numbers in place names.
const ROMAN = /^X{0,3}(IX|IV|V?I{0,3})$/;

/**
 * Display form of a name. Kemendagri's lists are often all capitals ("KEPULAUAN PONGOK"); those
 * become title case ("Kepulauan Pongok"), keeping roman numerals upper case. A name that already
 * has lower-case letters is kept as the source spells it, since that casing is deliberate
 * ("Pulau Ru'", "Kurau (Timur)").
 */
export function displayName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name !== name.toUpperCase()) return name;
  return name
    .split(' ')
    .map((word) => (word !== '' && ROMAN.test(word) ? word : titleWord(word)))
    .join(' ');
}

/** Lower case, then a capital after the start, a hyphen, a slash, a dot or an opening bracket. */
function titleWord(word: string): string {
  return word.toLowerCase().replace(/(^|[-/.(])(\p{L})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());
}

const DMS = /^(\d+)°(\d+)'([\d.]+)"\s*([NS])\s+(\d+)°(\d+)'([\d.]+)"\s*([EW])$/;

/**
 * The islands file writes coordinates as degrees, minutes and seconds
 * (`02°57'20.99" S 106°48'37.00" E`); maps want decimal degrees. Six decimals is ~0.1 m, far
 * finer than the source. Undefined when the text is missing or in another form.
 */
export function parseCoordinate(text: string): { lat: number; lng: number } | undefined {
  const m = DMS.exec(text.trim());
  if (!m) return undefined;
  const [, latD, latM, latS, ns, lngD, lngM, lngS, ew] = m;
  const decimal = (d = '0', mi = '0', s = '0') => Number(d) + Number(mi) / 60 + Number(s) / 3600;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const lat = round(decimal(latD, latM, latS) * (ns === 'S' ? -1 : 1));
  const lng = round(decimal(lngD, lngM, lngS) * (ew === 'W' ? -1 : 1));
  return { lat, lng };
}

const byCode = <T extends { code: string }>(a: T, b: T) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * Builds one province's catalogue. Throws on a malformed code, a duplicate, or a row whose parent
 * is missing: the generator runs at build time, and a broken catalogue must stop the build rather
 * than reach phones.
 */
export function buildCatalog(sources: CatalogSources, provinceCode: string, source: string): RegionCatalog {
  const p = provinceCode.replace(/\./g, '\\.');
  const patterns = {
    regency: new RegExp(`^${p}\\.\\d{2}$`),
    district: new RegExp(`^${p}\\.\\d{2}\\.\\d{2}$`),
    village: new RegExp(`^${p}\\.\\d{2}\\.\\d{2}\\.\\d{4}$`),
    island: new RegExp(`^${p}\\.\\d{2}\\.\\d{5}$`),
  };
  const inProvince = (code: string) => code.startsWith(`${provinceCode}.`);

  const regencies = csvRecords(sources.regencies, ['code', 'province_code', 'name'], 'regencies.csv')
    .filter((r) => r.province_code === provinceCode)
    .map((r): Region => ({ code: check(r.code, patterns.regency, 'regency'), name: displayName(r.name ?? '') }));

  const districts = csvRecords(sources.districts, ['code', 'regency_code', 'name'], 'districts.csv', inProvince)
    .map((r): Region => ({
      code: check(r.code, patterns.district, 'district'),
      name: displayName(r.name ?? ''),
      parent: r.regency_code ?? '',
    }));

  const villages = csvRecords(sources.villages, ['code', 'district_code', 'name'], 'villages.csv', inProvince)
    .map((r): Region => ({
      code: check(r.code, patterns.village, 'village'),
      name: displayName(r.name ?? ''),
      parent: r.district_code ?? '',
    }));

  const islands = csvRecords(sources.islands, ['code', 'regency_code', 'coordinate', 'is_populated', 'name'], 'islands.csv', inProvince)
    .filter((r) => r.is_populated === '1')
    .map((r): Island => {
      const point = parseCoordinate(r.coordinate ?? '');
      return {
        code: check(r.code, patterns.island, 'island'),
        name: displayName(r.name ?? ''),
        // Bangka and Belitung themselves span several regencies; the source leaves them blank.
        regencyCode: r.regency_code || provinceCode,
        ...(point ?? {}),
      };
    });

  for (const list of [regencies, districts, villages, islands]) list.sort(byCode);
  unique(regencies, 'regency');
  unique(districts, 'district');
  unique(villages, 'village');
  unique(islands, 'island');
  parentsExist(districts, regencies, 'district');
  parentsExist(villages, districts, 'village');
  const regencyCodes = new Set(regencies.map((r) => r.code));
  for (const island of islands) {
    if (island.regencyCode !== provinceCode && !regencyCodes.has(island.regencyCode)) {
      throw new Error(`island ${island.code}: unknown regency ${island.regencyCode}`);
    }
  }
  return { source, licence: 'ODbL-1.0', regencies, districts, villages, islands };
}

function check(code: string | undefined, pattern: RegExp, level: string): string {
  if (code === undefined || !pattern.test(code)) throw new Error(`malformed ${level} code '${code ?? ''}'`);
  return code;
}

function unique(list: readonly { code: string }[], level: string): void {
  for (let k = 1; k < list.length; k++) {
    if (list[k]?.code === list[k - 1]?.code) throw new Error(`duplicate ${level} code ${list[k]?.code ?? ''}`);
  }
}

function parentsExist(children: readonly Region[], parents: readonly Region[], level: string): void {
  const codes = new Set(parents.map((r) => r.code));
  for (const child of children) {
    if (!child.parent || !codes.has(child.parent) || !child.code.startsWith(`${child.parent}.`)) {
      throw new Error(`${level} ${child.code}: parent '${child.parent ?? ''}' is not in the catalogue`);
    }
  }
}
