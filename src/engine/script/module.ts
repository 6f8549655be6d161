// A script bundle loaded from memory (never written to disk) and its exports checked: default, setup, teardown.
import { nodeCrypto } from "../../core/builtins.ts";
import type { ScriptRef } from "../../plan/types.ts";

export interface ScriptModule {
  run: (vu: unknown, shared: unknown) => unknown;
  setup?: (ctx: unknown) => unknown;
  teardown?: (ctx: unknown, shared: unknown) => unknown;
}

/** A script that cannot run: its message names the file (and line, when known). */
export class ScriptLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScriptLoadError";
  }
}

export function sha256Hex(code: string | Uint8Array): string {
  return nodeCrypto().createHash("sha256").update(code).digest("hex");
}

/**
 * Imports a bundle from memory (a Blob URL: nothing on disk, nothing another user can swap) after checking
 * it is the one the controller hashed: the same bundle on every agent and worker, before the first VU.
 */
export async function importBundle(ref: ScriptRef): Promise<ScriptModule> {
  const code = ref.code;
  if (code === undefined) throw new ScriptLoadError(`${ref.file}: the script's bundle was not sent with the plan`);
  if (ref.sha256 !== undefined) {
    const got = sha256Hex(code);
    if (got !== ref.sha256) throw new ScriptLoadError(`${ref.file}: the bundle received hashes to sha256 ${got.slice(0, 12)}…, not the ${ref.sha256.slice(0, 12)}… the controller sent`);
  }
  const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  let exports: Record<string, unknown>;
  try {
    exports = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new ScriptLoadError(`${ref.file}: loading the script failed: ${describeError(e)}`);
  } finally {
    URL.revokeObjectURL(url);
  }
  return checkExports(exports, ref.file);
}

/** The module's exports as a ScriptModule, or a ScriptLoadError listing what is wrong with them. */
export function checkExports(exports: Record<string, unknown>, file: string): ScriptModule {
  const problems: string[] = [];
  const run = exports.default;
  if (typeof run !== "function") {
    problems.push(run === undefined ? "it has no default export: export default async function (vu, shared) { … }" : `its default export is a ${typeof run}, not a function`);
  }
  for (const name of ["setup", "teardown"] as const) {
    const v = exports[name];
    if (v !== undefined && typeof v !== "function") problems.push(`its export "${name}" is a ${typeof v}, not a function`);
  }
  if (problems.length > 0) throw new ScriptLoadError(`${file}: ${problems.join("; ")}`);
  return {
    run: run as ScriptModule["run"],
    ...(typeof exports.setup === "function" ? { setup: exports.setup as ScriptModule["setup"] } : {}),
    ...(typeof exports.teardown === "function" ? { teardown: exports.teardown as ScriptModule["teardown"] } : {}),
  };
}

/** An error's message with the first frame in the user's code ("at flows/x.ts:12:7"), when there is one. */
export function describeError(e: unknown): string {
  const message = errorMessage(e);
  const frame = userFrame(e);
  return frame === undefined ? message : `${message} (at ${frame})`;
}

/** "TypeError: x is undefined", or "boom" for a plain Error; a thrown non-error as text. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e);
}

/**
 * The first stack frame that is the user's code: the bundle's inline source map turns frames into the
 * script's own files; frames of indus itself ($bunfs, src/engine) and of node_modules are skipped.
 */
export function userFrame(e: unknown): string | undefined {
  const stack = e instanceof Error ? e.stack : undefined;
  if (stack === undefined) return undefined;
  for (const line of stack.split("\n")) {
    const m = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (m === null) continue;
    const file = m[1]!;
    if (file.includes("$bunfs") || file.includes("/src/engine/") || file.includes("node_modules") || file.startsWith("blob:") || file.startsWith("native") || file === "<anonymous>") continue;
    return `${file.replace(/^(\.\.\/)+/, "")}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
