// Marked regions of a Markdown file (<!-- name:begin --> … <!-- name:end -->) that a script owns and rewrites.

const begin = (name: string) => `<!-- ${name}:begin -->`;
const end = (name: string) => `<!-- ${name}:end -->`;

/** The text between a region's markers, or undefined when the file has no such region. */
export function readRegion(text: string, name: string): string | undefined {
  const from = text.indexOf(begin(name));
  const to = text.indexOf(end(name));
  if (from < 0 || to < from) return undefined;
  return text.slice(from + begin(name).length, to);
}

/** The file with the region's content replaced (blank lines around it); throws when the markers are missing. */
export function replaceRegion(text: string, name: string, content: string): string {
  const from = text.indexOf(begin(name));
  const to = text.indexOf(end(name));
  if (from < 0 || to < from) throw new Error(`no "${begin(name)}" … "${end(name)}" region`);
  return `${text.slice(0, from)}${begin(name)}\n\n${content.trim()}\n\n${text.slice(to)}`;
}
