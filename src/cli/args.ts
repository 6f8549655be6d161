// Flag checks citty does not do: unknown flags are errors, numbers are numbers.
import type { ArgsDef } from "citty";
import { IndusError } from "../core/errors.ts";
import { parseDuration } from "../core/duration.ts";

/** citty accepts any flag silently; we refuse the ones the command does not define. */
export function rejectUnknownFlags(command: string, rawArgs: string[], def: ArgsDef): void {
  const known = new Set<string>();
  for (const [name, arg] of Object.entries(def)) {
    if (arg.type === "positional") continue;
    known.add(name);
    known.add(kebab(name));
    const aliases = "alias" in arg && arg.alias ? (Array.isArray(arg.alias) ? arg.alias : [arg.alias]) : [];
    for (const a of aliases) known.add(a);
    if (arg.type === "boolean") {
      known.add(`no-${name}`);
      known.add(`no-${kebab(name)}`);
    }
  }
  known.add("help");
  known.add("h");
  for (const raw of rawArgs) {
    if (raw === "--") break;
    if (!raw.startsWith("-") || raw === "-") continue;
    const name = raw.replace(/^--?/, "").split("=")[0]!;
    if (!known.has(name)) {
      const flags = [...known].filter((k) => k.length > 1 && !k.startsWith("no-")).map((k) => `--${k}`);
      throw new IndusError("bad_flag", `unknown flag ${raw.split("=")[0]} for 'indus ${command}'`, {
        hint: `known flags: ${[...new Set(flags)].join(", ")}`,
      });
    }
  }
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
}

export function intFlag(name: string, value: unknown, min = 0): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new IndusError("bad_flag", `--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
}

/** More worker threads than this is a typo (each is a whole JS runtime): 100000 hung the machine starting them. */
export const MAX_WORKERS = 256;

export function workersFlag(value: unknown): number | undefined {
  const n = intFlag("workers", value, 1);
  if (n !== undefined && n > MAX_WORKERS) {
    throw new IndusError("bad_flag", `--workers must be at most ${MAX_WORKERS}, got "${value}"`, { hint: "leave it out for one worker thread per core" });
  }
  return n;
}

export function durationFlag(name: string, value: unknown): number | undefined {
  if (value === undefined || value === "") return undefined;
  const ms = parseDuration(String(value));
  if (ms === undefined) throw new IndusError("bad_flag", `--${name} must be a duration like 500ms, 2s or 1m, got "${value}"`);
  return ms;
}

export function enumFlag<T extends string>(name: string, value: unknown, options: readonly T[]): T | undefined {
  if (value === undefined || value === "") return undefined;
  if (!options.includes(value as T)) throw new IndusError("bad_flag", `--${name} must be one of ${options.join(", ")}, got "${value}"`);
  return value as T;
}

/** Repeated flags (--report a --report b) as a list; citty keeps only the last, so read rawArgs. */
export function repeatedFlag(rawArgs: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i]!;
    if (a === `--${name}` && rawArgs[i + 1] !== undefined) out.push(rawArgs[++i]!);
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  }
  return out;
}
