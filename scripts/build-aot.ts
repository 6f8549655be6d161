// An ahead-of-time build with more compiler flags, for the compiler's reports and experiments (scripts/aot.ts builds):
//   bun scripts/build-aot.ts <outfile> [compiler flags...]
//   bun scripts/build-aot.ts /tmp/indus-x --explain=json > explain.jsonl   (what compiled to a slow path, and why)
//   bun scripts/build-aot.ts /tmp/indus-x --aot-record-order               (then BUN_AOT_ORDER_OUT=order.txt /tmp/indus-x run ...)
// `npm run build` makes the AOT build itself where it can (scripts/build.ts).
import { $ } from "bun";
import { resolve } from "node:path";
import { aotCompiler, buildAot, versionOf } from "./aot.ts";

const ROOT = resolve(import.meta.dir, "..");
const [outArg, ...extra] = process.argv.slice(2);
if (!outArg) {
  console.error("usage: bun scripts/build-aot.ts <outfile> [compiler flags...]");
  process.exit(2);
}
const compiler = aotCompiler(ROOT);
if (!compiler) {
  console.error("build-aot: needs linux-x64 with glibc and the optional dependency bun-aot (npm install)");
  process.exit(1);
}
const outfile = resolve(outArg);
const commit = (await $`git rev-parse --short HEAD`.cwd(ROOT).nothrow().quiet()).stdout.toString().trim() || "unknown";
const built = await buildAot({ root: ROOT, compiler, outfile, commit, extra });
if (!built.ok) {
  process.stderr.write(built.stderr);
  console.error("build-aot failed");
  process.exit(1);
}
const line = versionOf(outfile);
if (line === null) {
  console.error(`smoke test failed: ${outfile} --version did not print its version`);
  process.exit(1);
}
process.stderr.write(`built ${outfile}: ${line}`);
