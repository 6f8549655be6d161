// indus compiled ahead of time (`bun build --compile --aot`): machine code from the first instruction, no JIT to warm up.
// scripts/build.ts builds this way on linux-x64 (glibc) when the compiler is installed; scripts/build-aot.ts calls it
// with extra compiler flags (--explain and the like).
//
// Why: a short run pays JSC's start-up, its compiles of the request path and their warm-up (issue #18, measured in the
// README's performance section: a 10 s run at a 50 ms target ×2.0 wrk's CPU with the JIT, ×1.3–1.6 compiled ahead of
// time; a 1 s run of one VU 55–99 → 30–52 ms). The compiler is in Bun's canary only, which npm carries as a prerelease of the platform package: package.json
// installs it as the optional dependency `bun-aot` (linux-x64 glibc only; npm skips it elsewhere). An AOT build targets
// the machine it is built on, so the other release targets stay JIT builds.
//
// What differs from the JIT build (scripts/build.ts):
// - A script scenario (`script:`) is bundled at run time and loaded from disk, which the executable refuses unless it
//   is built with --aot-allow-code-from-disk; that code runs in JSC's interpreter (as k6 interprets its scripts): a
//   script's own computation costs more than under the JIT, its requests and the engine do not.
// - The dashboard's browser script is a macro in the JIT build (src/report/live/client/bundle.ts); the AOT compiler
//   refuses macros, so the sources are copied and the macro's import replaced by its result, bundled here beforehand.
// - No restart for load (src/restart-first.ts, INDUS_AOT): there is no JIT tier to turn off, and starting again costs
//   more than mimalloc's setting saves.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AOT_MARK } from "../src/cli/version.ts";
import { hostTargetId, RELEASE_TARGETS } from "./targets.ts";

/** package.json's optional dependency: Bun's canary for linux-x64, the one with the AOT compiler. */
export const AOT_PACKAGE = "bun-aot";

/** This machine can build ahead of time: it is a release target released that way (linux-x64 glibc, the canary's platform). */
export function canBuildAot(): boolean {
  const host = hostTargetId();
  return RELEASE_TARGETS.some((t) => t.aot && t.id === host);
}

/** A built binary's `--version` line, or null when it does not start (the builds' smoke test). */
export function versionOf(binary: string): string | null {
  const r = Bun.spawnSync([binary, "--version"]);
  const out = r.stdout.toString();
  return r.exitCode === 0 && out.startsWith("indus ") ? out : null;
}

/** The binary says it was compiled ahead of time (its --version line). */
export function binaryIsAot(binary: string): boolean {
  return versionOf(binary)?.includes(AOT_MARK) ?? false;
}

/** The installed compiler's executable, or null (another platform, or npm skipped the optional dependency). */
export function aotCompiler(root: string): string | null {
  const bin = join(root, "node_modules", AOT_PACKAGE, "bin", "bun");
  return canBuildAot() && existsSync(bin) ? bin : null;
}

/**
 * One TypeScript file compiled ahead of time on its own (the benches' comparison clients and micro-benchmarks):
 * the executable's path; throws when this machine cannot (another platform, or the compiler is not installed).
 */
export function compileFileAheadOfTime(root: string, entry: string, outfile: string): string {
  const compiler = aotCompiler(root);
  if (!compiler) throw new Error(`${entry}: compiling ahead of time needs linux-x64 with glibc and the optional dependency ${AOT_PACKAGE} (npm install)`);
  const build = Bun.spawnSync([compiler, "build", "--compile", "--aot", "--minify", entry, "--outfile", outfile], { stdout: "ignore", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`${entry}: the AOT build failed: ${build.stderr.toString()}`);
  return outfile;
}

/**
 * A script (a micro-benchmark) as the command that runs it: compiled ahead of time into a temporary directory, or its
 * source run by this Bun. `remove()` deletes the build.
 */
export function scriptCommand(root: string, entry: string, aot: boolean): { command: string[]; remove(): void } {
  if (!aot) return { command: [process.execPath, entry], remove() {} };
  const dir = mkdtempSync(join(tmpdir(), "indus-aot-script-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    return { command: [compileFileAheadOfTime(root, entry, join(dir, "script"))], remove };
  } catch (error) {
    remove();
    throw error;
  }
}

export interface AotBuild {
  root: string;
  compiler: string;
  outfile: string;
  commit: string;
  /** more compiler flags: --explain=json, --aot-record-order, ... */
  extra?: readonly string[];
}

/** Builds `outfile`; returns the compiler's stderr when it fails (its warnings are expected and dropped otherwise). */
export async function buildAot(b: AotBuild): Promise<{ ok: true } | { ok: false; stderr: string }> {
  const work = mkdtempSync(join(tmpdir(), "indus-aot-"));
  try {
    cpSync(join(b.root, "src"), join(work, "src"), { recursive: true });
    for (const file of ["package.json", "tsconfig.json"]) cpSync(join(b.root, file), join(work, file));
    symlinkSync(join(b.root, "node_modules"), join(work, "node_modules"));
    const { dashboardScript } = await import("../src/report/live/client/bundle.ts");
    writeFileSync(join(work, "src/report/live/client/script-text.ts"), `export const SCRIPT_TEXT = ${JSON.stringify(dashboardScript())};\n`);
    const server = join(work, "src/report/live/server.ts");
    const macro = 'import { dashboardScript } from "./client/bundle.ts" with { type: "macro" };';
    const source = readFileSync(server, "utf8");
    if (!source.includes(macro)) throw new Error("scripts/aot.ts: the dashboard script's macro import has changed; update this script");
    writeFileSync(server, source.replace(macro, 'import { SCRIPT_TEXT } from "./client/script-text.ts";').replace("dashboardScript()", "SCRIPT_TEXT"));

    const args = [
      "build", "--compile", "--aot", "--aot-allow-code-from-disk", "--minify", "--format=esm",
      "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig",
      `--define=INDUS_COMMIT=${JSON.stringify(b.commit)}`,
      `--define=INDUS_TARGET=${JSON.stringify("linux-x64")}`,
      "--define=INDUS_AOT=true",
      ...(b.extra ?? []),
      "src/main.ts", "src/engine/workers/worker.ts", "--outfile", b.outfile,
    ];
    // stdout carries the compiler's reports (--explain); its warnings (regular expressions built at run time, the
    // Worker's entry) go to stderr and only matter when the build fails
    const build = Bun.spawnSync([b.compiler, ...args], { cwd: work, stdout: "inherit", stderr: "pipe" });
    return build.exitCode === 0 ? { ok: true } : { ok: false, stderr: build.stderr.toString() };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
