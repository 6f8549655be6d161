// JSON data files: an array of objects, one row each; values become text ({{price}} of 9.5 is "9.5").
import { isSeq, LineCounter, parseDocument } from "yaml";
import type { ParsedRows } from "./csv.ts";
import { jsonErrorOffset } from "./json-offset.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseJsonRows(text: string): ParsedRows {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const { line, column } = lineOf(text, Math.max(0, jsonErrorOffset(text)));
    return { ok: false, line, column, message: `not valid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(value)) return { ok: false, line: 1, column: 1, message: "must be a JSON array of objects, one per row" };
  const columns: string[] = [];
  const index = new Map<string, number>();
  for (const [i, row] of value.entries()) {
    if (row === null || typeof row !== "object" || Array.isArray(row)) return locateProblem(text, `row ${i + 1} is not an object`, i);
    for (const key of Object.keys(row)) {
      if (index.has(key)) continue;
      if (!NAME.test(key)) return locateProblem(text, `row ${i + 1}: key ${JSON.stringify(key)} is no variable name (letters, digits, _)`, i);
      index.set(key, columns.length);
      columns.push(key);
    }
  }
  const rows = value.map((row: Record<string, unknown>) => columns.map((c) => asText(row[c])));
  return { ok: true, columns, rows };
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** Where row `row` starts (valid JSON, so the YAML parser reads it with positions). Only run when something is wrong. */
function locateProblem(text: string, message: string, row?: number): ParsedRows {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const node = row !== undefined && isSeq(doc.contents) ? doc.contents.items[row] : undefined;
  const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { ok: false, line, column: col, message };
}

function lineOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
