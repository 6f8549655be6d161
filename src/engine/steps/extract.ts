// A step's extractions compiled once: each reads one value from the final response into a VU variable.
import { parseJsonPath, readJsonPath } from "../../plan/json-path.ts";
import type { Extract } from "../../plan/types.ts";
import type { CapturedResponse, RequestResult } from "../types.ts";
import type { CookieJar } from "./cookies.ts";

export interface CompiledExtract {
  name: string;
  needsResponse: boolean;
  /** The value, or undefined when the response does not have it. */
  read(result: RequestResult, response: CapturedResponse | null, jar: CookieJar | null): string | undefined;
}

export function compileExtracts(extracts: readonly Extract[]): CompiledExtract[] {
  return extracts.map(compileExtract);
}

function compileExtract(e: Extract): CompiledExtract {
  const name = e.name;
  switch (e.from) {
    case "json": {
      const parsed = parseJsonPath(e.path);
      const steps = parsed.ok ? parsed.steps : [];
      return { name, needsResponse: true, read: (_, res) => (res === null ? undefined : asText(readJsonPath(res.json(), steps))) };
    }
    case "header": {
      const header = e.header;
      return { name, needsResponse: true, read: (_, res) => res?.header(header) };
    }
    case "regex": {
      const re = new RegExp(e.pattern);
      return {
        name,
        needsResponse: true,
        read: (_, res) => {
          if (res === null) return undefined;
          const m = re.exec(res.text());
          return m === null ? undefined : (m[1] ?? m[0]);
        },
      };
    }
    case "cookie": {
      const cookie = e.cookie;
      return { name, needsResponse: false, read: (result, _, jar) => fromSetCookie(result.setCookies, cookie) ?? jar?.get(cookie) };
    }
  }
}

/** A value read from JSON as template text: strings as they are, other scalars as JSON writes them. */
function asText(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}

/** A cookie set by this very response (it counts even with the jar off). */
function fromSetCookie(lines: readonly string[] | null | undefined, name: string): string | undefined {
  if (!lines) return undefined;
  for (const line of lines) {
    const pair = line.split(";", 1)[0]!;
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}
