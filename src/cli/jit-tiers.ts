// Whether this process should start again without JavaScriptCore's top JIT tier (FTL), and with what.

/** JavaScriptCore reads its options from BUN_JSC_* variables once, when the process starts; none can be set later. */
export const FTL_OPTION = "BUN_JSC_useFTLJIT";

/** The commands whose process generates load: their hot path is the same few dozen functions, request after request. */
const LOAD_COMMANDS = new Set(["run", "agent"]);

export interface Restart {
  args: string[];
  env: Record<string, string>;
}

export interface ProcessFacts {
  /** the arguments after the program */
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** the code runs from a `bun build --compile` binary (the same executable can be started again with these args) */
  compiled: boolean;
  /** process.execve exists here (not on Windows) */
  canExec: boolean;
}

/**
 * Why `run` and `agent` go without FTL: it compiles the request path's ~25 functions (the HTTP parser's loops, the
 * recorder, the histogram) in every thread that runs VUs, 45-50 ms of CPU per thread in the first seconds of a run,
 * and pays nothing back at the rates real tests run (measured, 64 VUs against a 50 ms target for 10 s: 297 -> 232 ms
 * of CPU for the whole run; 64 VUs on a static file: 9.40 vs 9.46 µs per request; one worker's ceiling: 7.22 vs
 * 7.33 µs, 1.5% slower). Starting again costs ~6 ms of CPU (a 1 s run: 42 -> 48 ms). The baseline and DFG tiers stay.
 *
 * The restart to make, or null: not a load command, not the compiled binary, or the option is already set (a user's
 * own BUN_JSC_useFTLJIT wins).
 */
export function restartWithoutFtl(p: ProcessFacts): Restart | null {
  if (!p.compiled || !p.canExec || p.env[FTL_OPTION] !== undefined) return null;
  const command = commandWord(p.args);
  if (command === undefined || !LOAD_COMMANDS.has(command)) return null;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(p.env)) if (value !== undefined) env[name] = value;
  env[FTL_OPTION] = "0";
  return { args: [...p.args], env };
}

/**
 * The subcommand among `args` without loading the CLI: the first word that is not a flag, skipping the value of
 * a global flag written before it as `--name value` (every global flag takes a value; see global-flags.ts).
 */
export function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") return undefined;
    if (!arg.startsWith("-")) return arg;
    if (arg.startsWith("--") && !arg.includes("=") && arg !== "--help" && arg !== "--version") i++;
  }
  return undefined;
}
