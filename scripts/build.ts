// Compiles bin/indus and smoke-tests it (a broken bytecode build still exits 0).
//   bun scripts/build.ts [target] [outfile]
// For this machine (no target) on linux-x64 with the optional `bun-aot` package installed: compiled ahead of time
// (scripts/aot.ts says why and what differs). Otherwise, and with INDUS_BUILD=jit: `bun build --compile`, JIT.
// INDUS_BUILD=aot makes the AOT build a requirement (an error where it cannot be made).
import { $ } from "bun";
import { resolve } from "node:path";
import { aotCompiler, buildAot, canBuildAot, versionOf } from "./aot.ts";

const target = process.argv[2]; // e.g. bun-linux-arm64; default: this machine
const outfile = process.argv[3] ?? "bin/indus";
// INDUS_COMMIT first: a Docker build context has no .git (the Dockerfile passes it as a build argument)
const commit =
  process.env.INDUS_COMMIT?.trim() || (await $`git rev-parse --short HEAD`.nothrow().quiet()).stdout.toString().trim() || "unknown";
const targetName = target ? target.replace(/^bun-/, "") : `${process.platform}-${process.arch}`;

/** The --version line after the build, or exit 1 when the binary does not start. */
function smokeTest(): string {
  const line = versionOf(outfile);
  if (line === null) {
    console.error(`smoke test failed: ${outfile} --version did not print its version`);
    process.exit(1);
  }
  return line;
}

const kind = process.env.INDUS_BUILD ?? "";
if (!["", "aot", "jit"].includes(kind)) {
  console.error(`INDUS_BUILD=${kind}: expected aot or jit`);
  process.exit(2);
}
if (!target && kind !== "jit") {
  const root = resolve(import.meta.dir, "..");
  const compiler = aotCompiler(root);
  if (compiler) {
    const built = await buildAot({ root, compiler, outfile: resolve(outfile), commit });
    if (!built.ok) {
      process.stderr.write(built.stderr);
      console.error("build failed (ahead of time; INDUS_BUILD=jit builds with the JIT)");
      process.exit(1);
    }
    process.stdout.write(`built ${outfile} ahead of time: ${smokeTest()}`);
    process.exit(0);
  }
  if (kind === "aot") {
    console.error(
      canBuildAot()
        ? "INDUS_BUILD=aot: the compiler is not installed (npm install fetches the optional dependency bun-aot)"
        : `INDUS_BUILD=aot: an AOT build is made on linux-x64 with glibc only (this is ${process.platform}-${process.arch})`,
    );
    process.exit(1);
  }
  if (canBuildAot()) process.stdout.write("the AOT compiler (optional dependency bun-aot) is not installed: building with the JIT\n");
}

const args = [
  "build", "--compile", "--minify", "--bytecode", "--format=esm",
  // each dynamic import() a chunk of its own, loaded when first imported: a command loads only its own modules, and
  // a process that restart-first.ts replaces loads almost none (measured: a 1 s run 54.5 -> 46.8 ms of CPU)
  "--splitting",
  // self-contained: a .env or bunfig.toml in the directory indus runs in changes nothing (Bun reads both by default,
  // scanning that directory at each start: 5 ms of CPU in a directory of 5,300 entries, twice for `run`; a bunfig's preload
  // would even run its code in ours)
  "--no-compile-autoload-dotenv", "--no-compile-autoload-bunfig",
  // start-up code stays in the interpreter longer; a busy run restores the normal policy (src/engine/runner/executor.ts)
  "--compile-jit-policy=4",
  `--define=INDUS_COMMIT=${JSON.stringify(commit)}`,
  `--define=INDUS_TARGET=${JSON.stringify(targetName)}`,
  ...(target ? [`--target=${target}`] : []),
  // The worker pool's thread entry is a second entrypoint: Bun embeds it at its path relative to
  // src/ (/$bunfs/root/engine/workers/worker.js), where src/engine/workers/worker-url.ts looks.
  "src/main.ts", "src/engine/workers/worker.ts", "--outfile", outfile,
];
// INDUS_KEEP_NAMES=1: identifiers keep their names (whitespace and syntax still minified), for profilers that name
// functions (bench/perf-jit.ts)
if (process.env.INDUS_KEEP_NAMES === "1") args.splice(args.indexOf("--minify"), 1, "--minify-whitespace", "--minify-syntax");
const build = Bun.spawnSync([process.execPath, ...args], { stdout: "inherit", stderr: "pipe" });
const err = build.stderr.toString();
if (err) process.stderr.write(err);
if (build.exitCode !== 0 || /Failed to generate bytecode/.test(err)) {
  console.error("build failed");
  process.exit(1);
}
if (!target) process.stdout.write(`built ${outfile}: ${smokeTest()}`);
