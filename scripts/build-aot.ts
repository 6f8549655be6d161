// Builds bin/indus-aot: indus compiled ahead of time to machine code (`bun build --compile --aot`), with no JIT to warm up.
//   bun scripts/build-aot.ts [outfile]          (linux-x64 only: an AOT build targets the platform it is built on)
//
// Why a second build: a short run pays JSC's start-up, its compiles of the request path and their warm-up (issue #18:
// the 10 s run at a 50 ms target costs ~×2 wrk's CPU, ×1.4 once running). Bun's AOT compiler (documented as
// `bun compile`, experimental) removes the compiling and the warm-up, but no Bun release has it yet: it is in Bun's
// canary, which npm carries as a prerelease of the platform package. This script takes that package from npm into a
// scratch folder (never the project's node_modules) and builds with it; `bench/aot.ts` measures the result beside
// bin/indus and wrk. Not the shipped binary: see the README's performance section for what it still lacks.
//
// Two things differ from scripts/build.ts:
// - The dashboard's browser script is a macro there (src/report/live/client/bundle.ts); the AOT compiler refuses macros,
//   so the sources are copied and the macro's import replaced by its result, bundled here beforehand.
// - Script scenarios (`script:`) load their bundle at run time, which an AOT executable refuses unless it is built
//   with --aot-allow-code-from-disk; the bundle then runs in the interpreter.
import { $ } from "bun";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The Bun canary with the AOT compiler, as npm has it (`npm view @oven/bun-linux-x64 versions`). */
const CANARY = "@oven/bun-linux-x64@1.4.5-canary.20261202.1";
const CACHE = "/tmp/indus-bun-aot";

const ROOT = resolve(import.meta.dir, "..");
const outfile = resolve(process.argv[2] ?? join(ROOT, "bin", "indus-aot"));

if (process.platform !== "linux" || process.arch !== "x64") {
  console.error("build-aot: linux-x64 only (an AOT build targets the machine it is built on, and the canary fetched is linux-x64)");
  process.exit(2);
}

/** The canary's bun executable, fetched once with `npm pack` (a tarball from the registry, nothing installed). */
async function canaryBun(): Promise<string> {
  const bin = join(CACHE, "package", "bin", "bun");
  if (existsSync(bin)) return bin;
  mkdirSync(CACHE, { recursive: true });
  const packed = await $`npm pack ${CANARY} --silent`.cwd(CACHE).quiet();
  const tarball = packed.stdout.toString().trim().split("\n").pop()!;
  await $`tar xzf ${tarball}`.cwd(CACHE).quiet();
  return bin;
}

const bun = await canaryBun();
const commit = (await $`git rev-parse --short HEAD`.cwd(ROOT).nothrow().quiet()).stdout.toString().trim() || "unknown";

// the sources, with the dashboard script's macro replaced by the string it would have produced
const work = mkdtempSync(join(tmpdir(), "indus-aot-"));
try {
  cpSync(join(ROOT, "src"), join(work, "src"), { recursive: true });
  for (const file of ["package.json", "tsconfig.json"]) cpSync(join(ROOT, file), join(work, file));
  symlinkSync(join(ROOT, "node_modules"), join(work, "node_modules"));
  const { dashboardScript } = await import("../src/report/live/client/bundle.ts");
  writeFileSync(join(work, "src/report/live/client/script-text.ts"), `export const SCRIPT_TEXT = ${JSON.stringify(dashboardScript())};\n`);
  const server = join(work, "src/report/live/server.ts");
  const macro = 'import { dashboardScript } from "./client/bundle.ts" with { type: "macro" };';
  const source = readFileSync(server, "utf8");
  if (!source.includes(macro)) throw new Error("build-aot: the dashboard script's macro import has changed; update this script");
  writeFileSync(server, source.replace(macro, 'import { SCRIPT_TEXT } from "./client/script-text.ts";').replace("dashboardScript()", "SCRIPT_TEXT"));

  const args = [
    "build", "--compile", "--aot", "--aot-allow-code-from-disk", "--minify", "--format=esm",
    "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig",
    `--define=INDUS_COMMIT=${JSON.stringify(`${commit}-aot`)}`,
    `--define=INDUS_TARGET=${JSON.stringify("linux-x64")}`,
    // src/restart-first.ts: no restart (it exists to turn JSC's FTL tier off)
    "--define=INDUS_AOT=true",
    "src/main.ts", "src/engine/workers/worker.ts", "--outfile", outfile,
  ];
  const build = Bun.spawnSync([bun, ...args], { cwd: work, stdout: "inherit", stderr: "pipe" });
  // the compiler's warnings (regular expressions built at run time, the Worker's entry) are expected: errors fail
  if (build.exitCode !== 0) {
    process.stderr.write(build.stderr.toString());
    console.error("build-aot failed");
    process.exit(1);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const smoke = Bun.spawnSync([outfile, "--version"]);
if (smoke.exitCode !== 0 || !smoke.stdout.toString().startsWith("indus ")) {
  console.error(`smoke test failed: ${outfile} --version exited ${smoke.exitCode}`);
  process.exit(1);
}
process.stdout.write(`built ${outfile}: ${smoke.stdout}`);
