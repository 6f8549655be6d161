// The YAML side of a plan: parse with line numbers, and find the line and column of a path's key or value.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { PathSegment } from "./finding.ts";

export interface Position {
  line: number;
  column: number;
}

export interface YamlSource {
  doc: Document;
  lines: LineCounter;
}

export interface YamlSyntaxError {
  position: Position;
  message: string;
}

/** Parses the text; syntax errors come back as data, each with where it is. */
export function readYaml(text: string): { source: YamlSource; syntaxErrors: YamlSyntaxError[] } {
  const lines = new LineCounter();
  // merge: `<<: *defaults` is how YAML users share headers between steps.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const syntaxErrors = doc.errors.map((error) => ({
    position: toPosition(lines, error.pos[0]),
    message: error.code === "DUPLICATE_KEY" ? duplicateKeyMessage(text, error.pos) : error.message,
  }));
  return { source: { doc, lines }, syntaxErrors };
}

function duplicateKeyMessage(text: string, [start]: [number, number]): string {
  const key = /^[^:\n]*/.exec(text.slice(start))?.[0].trim().replace(/^["']|["']$/g, "");
  return key ? `duplicate key "${key}"` : "duplicate key";
}

function toPosition(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

type Located = { range?: [number, number, number] | null } | null | undefined;

function startOf(node: unknown): number | undefined {
  return (node as Located)?.range?.[0];
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * Where the path's key (`at: "key"`) or value sits. When the path runs out of the document — a
 * required key that is missing — this is the deepest mapping or list that is there: the parent.
 */
export function positionOf({ doc, lines }: YamlSource, path: readonly PathSegment[], at: "key" | "value"): Position {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = path[i]!;
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(segment));
      if (!pair) break;
      if (i === path.length - 1 && at === "key") return toPosition(lines, startOf(pair.key) ?? offset);
      next = startOf(pair.value) === undefined ? pair.key : pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      next = node.items[segment];
      if (next === undefined) break;
    } else {
      break;
    }
    node = next;
    offset = startOf(node) ?? offset;
  }
  return toPosition(lines, offset);
}

/** The keys of the mapping at a path, in the order the file writes them. */
export function keysInOrder({ doc }: YamlSource, path: readonly PathSegment[]): string[] {
  const node = doc.getIn(path, true);
  return isMap(node) ? node.items.map((p) => keyText(p.key)) : [];
}
