// A small JSON path: dotted keys and [index] steps, e.g. `data.items[0].id`; parsed once, read per response.

/** One step into a JSON value: a key of an object or an index of an array. */
export type JsonPathStep = string | number;

export type ParsedJsonPath = { ok: true; steps: JsonPathStep[] } | { ok: false; message: string };

/*
 * path  := step ( "." key | "[" index "]" )*
 * step  := key | "[" index "]"
 * key   := any characters but . [ ]
 * index := digits
 * e.g. token · data.items[0].id · [2].name · users[0]
 */
export function parseJsonPath(text: string): ParsedJsonPath {
  if (text === "") return { ok: false, message: "an empty JSON path: write e.g. data.items[0].id" };
  const steps: JsonPathStep[] = [];
  let pos = 0;
  let expectKey = true;
  while (pos < text.length) {
    const c = text[pos];
    if (c === "[") {
      const close = text.indexOf("]", pos);
      const digits = close < 0 ? "" : text.slice(pos + 1, close);
      if (!/^\d+$/.test(digits)) return { ok: false, message: `"${text}": [ must hold an index such as [0]` };
      steps.push(Number(digits));
      pos = close + 1;
      expectKey = false;
    } else if (c === ".") {
      if (expectKey) return { ok: false, message: `"${text}": a key is missing before "." at character ${pos + 1}` };
      pos++;
      expectKey = true;
      if (pos === text.length) return { ok: false, message: `"${text}" ends with "."` };
    } else {
      if (!expectKey) return { ok: false, message: `"${text}": expected "." or "[" at character ${pos + 1}` };
      let end = pos;
      while (end < text.length && text[end] !== "." && text[end] !== "[" && text[end] !== "]") end++;
      if (end === pos) return { ok: false, message: `"${text}": unexpected "]" at character ${pos + 1}` };
      steps.push(text.slice(pos, end));
      pos = end;
      expectKey = false;
    }
  }
  return { ok: true, steps };
}

/** The value at a path, or undefined when the path leads nowhere. */
export function readJsonPath(value: unknown, steps: readonly JsonPathStep[]): unknown {
  let node = value;
  for (const step of steps) {
    if (node === null || typeof node !== "object") return undefined;
    if (typeof step === "number") {
      if (!Array.isArray(node)) return undefined;
      node = node[step];
    } else {
      if (Array.isArray(node) || !Object.hasOwn(node, step)) return undefined;
      node = (node as Record<string, unknown>)[step];
    }
  }
  return node;
}
