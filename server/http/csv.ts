// CSV for exported tables (RFC 4180: comma separated, CRLF line ends). Officers open these in
// Excel, which under Indonesian settings splits on ';' rather than ',' and honours quotes only at
// the start of a field: so quoting alone cannot keep 'hp;=HYPERLINK(…)' in one cell. OWASP's
// CSV-injection rule, applied to every text cell: one that starts with = + - @ tab or CR gets a
// leading apostrophe, and so does every such character that follows a separator (',' or ';'), a
// quote or a line break inside it, since a spreadsheet may start a new cell there. A cell holding a
// separator, a quote, a tab or a line break is quoted. Numbers are written with a dot, unchanged.
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const FORMULA_AFTER_BREAK = /([,;"\t\r\n])(?=[=+\-@\t\r])/g;
const NEEDS_QUOTES = /[,;"\t\r\n]/;

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  text = text.replace(FORMULA_AFTER_BREAK, "$1'");
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The field separator: ',' (RFC 4180) or ';' (what Excel splits on under Indonesian settings). */
export type CsvSeparator = ',' | ';';

/** One line with its CRLF, for writers that stream rows. Quoting is the same for both separators. */
export function csvLine(cells: readonly CsvCell[], separator: CsvSeparator = ','): string {
  return cells.map(cell).join(separator) + '\r\n';
}

/**
 * Excel reads a CSV as the machine's ANSI code page unless it starts with a UTF-8 byte-order mark:
 * names with accents or non-Latin letters would come out garbled. Exports of people's answers
 * start with it.
 */
export const UTF8_BOM = '\uFEFF';

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[], separator: CsvSeparator = ','): string {
  return [header, ...rows].map((r) => csvLine(r, separator)).join('');
}
