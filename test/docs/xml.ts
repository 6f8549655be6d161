// A strict little XML reader for the docs' SVGs: well-formedness (nesting, quoting, entities) and the element tree.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** the text directly inside, entities decoded */
  text: string;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Parses a document; throws an Error naming the line of the first problem. */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  const lineAt = (p: number) => source.slice(0, p).split("\n").length;
  const fail = (message: string): never => {
    throw new Error(`line ${lineAt(pos)}: ${message}`);
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;\s]*);?/g, (m, ref: string) => {
      if (!m.endsWith(";")) fail(`"&" not part of an entity: ${m}`);
      if (ref in ENTITIES) return ENTITIES[ref]!;
      const num = /^#(x[0-9a-fA-F]+|\d+)$/.exec(ref);
      if (!num) fail(`unknown entity &${ref};`);
      return String.fromCodePoint(parseInt(num![1]!.startsWith("x") ? num![1]!.slice(1) : num![1]!, num![1]!.startsWith("x") ? 16 : 10));
    });

  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (pos < source.length) {
    if (source.startsWith("<?", pos)) {
      const end = source.indexOf("?>", pos);
      if (end < 0) fail("unclosed <?");
      pos = end + 2;
    } else if (source.startsWith("<!--", pos)) {
      const end = source.indexOf("-->", pos);
      if (end < 0) fail("unclosed comment");
      if (source.slice(pos + 4, end).includes("--")) fail('"--" inside a comment');
      pos = end + 3;
    } else if (source.startsWith("<![CDATA[", pos)) {
      const end = source.indexOf("]]>", pos);
      if (end < 0 || stack.length === 0) fail("bad CDATA");
      stack[stack.length - 1]!.text += source.slice(pos + 9, end);
      pos = end + 3;
    } else if (source.startsWith("<!DOCTYPE", pos)) {
      const end = source.indexOf(">", pos);
      pos = end + 1;
    } else if (source.startsWith("</", pos)) {
      const m = NAME.exec(source.slice(pos + 2));
      if (!m) fail("bad end tag");
      const open = stack.pop();
      if (!open || open.name !== m![0]) fail(`</${m![0]}> closes <${open?.name ?? "nothing"}>`);
      pos += 2 + m![0].length;
      while (/\s/.test(source[pos] ?? "")) pos++;
      if (source[pos] !== ">") fail(`junk in </${m![0]}>`);
      pos++;
    } else if (source[pos] === "<") {
      const m = NAME.exec(source.slice(pos + 1));
      if (!m) fail("bad start tag");
      const el: XmlElement = { name: m![0], attrs: {}, children: [], text: "" };
      pos += 1 + m![0].length;
      for (;;) {
        const space = /^\s*/.exec(source.slice(pos))![0].length;
        pos += space;
        if (source.startsWith("/>", pos) || source[pos] === ">") break;
        if (space === 0) fail(`attributes of <${el.name}> need spaces between them`);
        const a = /^([A-Za-z_:][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(pos));
        if (!a) fail(`bad attribute in <${el.name}>`);
        if (a![1]! in el.attrs) fail(`attribute ${a![1]} twice in <${el.name}>`);
        el.attrs[a![1]!] = decode(a![3] ?? a![4] ?? "");
        pos += a![0].length;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) fail("a second root element");
      else root = el;
      if (source.startsWith("/>", pos)) pos += 2;
      else {
        pos++;
        stack.push(el);
      }
    } else {
      const next = source.indexOf("<", pos);
      const raw = source.slice(pos, next < 0 ? undefined : next);
      if (stack.length === 0 && raw.trim() !== "") fail("text outside the root element");
      if (raw.includes("]]>")) fail('"]]>" in text');
      if (stack.length > 0) stack[stack.length - 1]!.text += decode(raw);
      pos = next < 0 ? source.length : next;
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) fail("no root element");
  return root!;
}

/** Every element of a tree, depth first. */
export function elements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(elements)];
}

/** All text of <text> (and <title>, <desc>) elements, one string per element. */
export function texts(root: XmlElement, withTitle = true): string[] {
  return elements(root)
    .filter((e) => e.name === "text" || e.name === "tspan" || (withTitle && (e.name === "title" || e.name === "desc")))
    .map((e) => e.text.trim())
    .filter(Boolean);
}
