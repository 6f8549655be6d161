// Whether this process should start again with the settings a load-generating process runs with, and with what.

/**
 * What `run` and `agent` run with. JavaScriptCore and mimalloc read these from the environment once, when the
 * process starts; none can be set later. A user's own value of any of them wins.
 *
 * - No FTL, JSC's top compiler tier: it compiled the request path's ~25 functions (the HTTP parser's loops, the
 *   socket client, the recorder, the histogram) in every thread that runs VUs, 45-50 ms of CPU per thread in the
 *   first seconds of a run, and pays nothing back at the rates real tests run (measured, 64 VUs against a 50 ms
 *   target for 10 s: 297 -> 232 ms of CPU for the whole run; 64 VUs on a static file: 9.40 vs 9.46 µs per request;
 *   one worker's ceiling: 7.22 vs 7.33 µs, 1.5%). The baseline and DFG tiers stay.
 * - mimalloc keeps freed pages 1 s before returning them (Bun 1.4.4's default is 100 ms, `MIMALLOC_VERBOSE=1` shows
 *   it): a waiting run freed and returned memory all the time (a 1-VU run of 13 s: 459 `madvise` and 929 `futex`
 *   calls, 7.5% of its CPU in mimalloc's scavenger thread); with 1 s, 64 VUs against the 50 ms target cost 243 -> 218
 *   ms for 10 s, and 50,000 VUs peaked at the same 136 MB.
 *
 * - Not taken: never returning freed memory (-1) saved more CPU (64 VUs against the 50 ms target, 10 s: 260.1 ->
 *   218.8 ms) but 50,000 thinking VUs peaked at 149-153 MB instead of 137 MB.
 * - Not taken: mimalloc's sweeps of a waiting thread's heaps for free blocks inside used pages 1 s apart instead of
 *   100 ms (MIMALLOC_PURGE_HOLES_MIN_INTERVAL=1000; Bun's mimalloc hands a thread about to wait in epoll to its
 *   scavenger thread, which sweeps it). The scavenger's share of a 64-VU run's CPU samples went 3.5% -> 1.0%, but the
 *   whole run's CPU did not move beyond the noise (10 s at the 50 ms target, 11 interleaved runs twice: 251.4 ->
 *   236.9 ms, then 223.2 -> 224.0 ms), and 50,000 thinking VUs peaked at 151-152 MiB in 2 of 6 runs (136-138 in the
 *   others; with 100 ms, 136-145 in 5 runs).
 *
 * Starting again costs ~2.5 ms of CPU (a 1 s run: 34.9 -> 37.4 ms, 15 interleaved runs).
 */
export const LOAD_PROCESS_ENV: Readonly<Record<string, string>> = {
  BUN_JSC_useFTLJIT: "0",
  MIMALLOC_PURGE_DELAY: "1000",
};

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
  /**
   * the binary is machine code (scripts/build-aot.ts): no JIT whose options the restart would set, and starting again
   * costs it more than mimalloc's purge delay saves (64 VUs × 50 ms, 10 s: 265.6 with against 240.7 ms without,
   * medians of 5 interleaved runs under `perf stat -e task-clock`)
   */
  aot?: boolean;
}

/**
 * The restart to make, or null: not a load command, not the compiled binary, or every setting is already in the
 * environment (the restarted process itself, or a user who set them all).
 */
export function restartForLoad(p: ProcessFacts): Restart | null {
  if (!p.compiled || !p.canExec || p.aot) return null;
  const missing = Object.keys(LOAD_PROCESS_ENV).filter((name) => p.env[name] === undefined);
  if (missing.length === 0) return null;
  const command = commandWord(p.args);
  if (command === undefined || !LOAD_COMMANDS.has(command)) return null;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(p.env)) if (value !== undefined) env[name] = value;
  for (const name of missing) env[name] = LOAD_PROCESS_ENV[name]!;
  return { args: [...p.args], env };
}

/**
 * The subcommand among `args` without loading the CLI: the first word that is not a flag, skipping the value of
 * a global flag written before it as `--name value` (every global flag takes a value; see global-flags.ts).
 * Not splitGlobalFlags: importing it evaluates the store and logger modules before the restart, in the process
 * that is about to be replaced (measured: a 1 s run 49.1 -> 52.3 ms of CPU, 15 interleaved runs).
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
