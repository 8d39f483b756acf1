// How a spreadsheet reads a CSV text, for tests of exported CSVs: split on one separator, quotes
// honoured at a cell's start.
/** What a spreadsheet makes of a CSV text: rows of cells, split on `sep`, honouring quotes. */
export function spreadsheetCells(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) break;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      // Anything after a closing quote up to the separator belongs to the cell too.
      while (i < text.length && text[i] !== sep && text[i] !== '\r' && text[i] !== '\n') value += text[i++];
    } else {
      while (i < text.length && text[i] !== sep && text[i] !== '\r' && text[i] !== '\n') value += text[i++];
    }
    row.push(value);
    if (text[i] === sep) {
      i++;
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    rows.push(row);
    row = [];
  }
  return rows;
}
