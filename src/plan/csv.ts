// CSV data files: a header row of column names, then one row per line (RFC 4180 quoting, CRLF or LF).

export type ParsedRows =
  | { ok: true; columns: string[]; rows: string[][] }
  | { ok: false; line: number; column: number; message: string };

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** Parses CSV text; a problem comes back with its line and column (1-based). */
export function parseCsv(text: string): ParsedRows {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let column = 1;
  let i = 0;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    // a blank line is no record
    if (!(fields.length === 1 && fields[0] === "" && !fieldStarted)) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    fieldStarted = false;
  };
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === QUOTE && field === "" && !fieldStarted) {
      const start = { line, column };
      i++;
      column++;
      fieldStarted = true;
      for (;;) {
        if (i >= body.length) return { ok: false, ...start, message: "a quoted field is never closed" };
        const q = body.charCodeAt(i);
        if (q === QUOTE) {
          if (body.charCodeAt(i + 1) === QUOTE) {
            field += '"';
            i += 2;
            column += 2;
            continue;
          }
          i++;
          column++;
          break;
        }
        if (q === LF) {
          line++;
          column = 1;
        } else column++;
        field += body[i];
        i++;
      }
      const after = body.charCodeAt(i);
      if (i < body.length && after !== COMMA && after !== CR && after !== LF) {
        return { ok: false, line, column, message: 'text after a closing quote (write "" for a quote inside a quoted field)' };
      }
      continue;
    }
    if (c === COMMA) {
      fields.push(field);
      field = "";
      // the next field may open with a quote; the record is no blank line, having a comma
      fieldStarted = false;
      i++;
      column++;
      continue;
    }
    if (c === CR || c === LF) {
      endRecord();
      i += c === CR && body.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      column = 1;
      recordLine = line;
      continue;
    }
    field += body[i];
    fieldStarted = true;
    i++;
    column++;
  }
  if (field !== "" || fieldStarted || fields.length > 0) endRecord();

  const [header, ...rows] = records;
  if (header === undefined) return { ok: false, line: 1, column: 1, message: "the file is empty: it needs a header row of column names" };
  const columns = header.fields.map((name) => name.trim());
  const seen = new Set<string>();
  for (const [index, name] of columns.entries()) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return { ok: false, line: header.line, column: 1, message: `column ${index + 1} is named ${JSON.stringify(name)}: a column name is a variable name (letters, digits, _)` };
    }
    if (seen.has(name)) return { ok: false, line: header.line, column: 1, message: `column "${name}" appears twice` };
    seen.add(name);
  }
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      return { ok: false, line: row.line, column: 1, message: `the row has ${row.fields.length} field(s) but the header names ${columns.length}` };
    }
  }
  return { ok: true, columns, rows: rows.map((r) => r.fields) };
}
