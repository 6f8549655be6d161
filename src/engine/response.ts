// A kept response for checks and extraction: headers, text and JSON decoded on first use, once.
import type { CapturedResponse } from "./types.ts";

const utf8 = new TextDecoder();
const NOT_PARSED = Symbol("not parsed");

/** A response whose headers come as a lookup (the fetch engine's Headers). */
export class LookupResponse implements CapturedResponse {
  private body: string | undefined;
  private parsed: unknown = NOT_PARSED;

  constructor(
    readonly status: number,
    private readonly lookup: (name: string) => string | undefined,
    private readonly bytes: Uint8Array,
  ) {}

  header(name: string): string | undefined {
    return this.lookup(name);
  }

  text(): string {
    return (this.body ??= utf8.decode(this.bytes));
  }

  json(): unknown {
    if (this.parsed === NOT_PARSED) {
      try {
        this.parsed = JSON.parse(this.text());
      } catch {
        this.parsed = undefined;
      }
    }
    return this.parsed;
  }
}

/** A response from raw head bytes (the socket engine): header lines are split when first asked for. */
export function rawResponse(status: number, head: Uint8Array, body: Uint8Array): CapturedResponse {
  let headers: Map<string, string> | undefined;
  const lookup = (name: string) => (headers ??= headerMap(utf8.decode(head))).get(name.toLowerCase());
  return new LookupResponse(status, lookup, body);
}

/** Header lines by lower-case name; the first value of a name wins. */
function headerMap(head: string): Map<string, string> {
  const map = new Map<string, string>();
  const lines = head.split(/\r?\n/);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(colon + 1).trim());
  }
  return map;
}
