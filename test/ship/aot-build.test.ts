// On linux-x64 (glibc) `npm run build` compiles indus ahead of time (scripts/aot.ts), and the whole suite runs against
// that binary: so here the compiler must be installed and bin/indus must be the AOT build, or the suite would test a
// JIT binary that linux-x64 users do not get. Elsewhere bin/indus is the JIT build.
import { expect, test } from "bun:test";
import { aotCompiler, canBuildAot } from "../../scripts/aot.ts";
import { AOT_MARK } from "../../src/cli/version.ts";
import { BIN, ROOT } from "../helpers.ts";

test.skipIf(!!process.env.INDUS_TEST_SOURCE)("bin/indus is compiled ahead of time exactly where the compiler exists (linux-x64, glibc)", () => {
  const version = Bun.spawnSync([BIN, "--version"]).stdout.toString();
  expect(version).toStartWith("indus ");
  if (canBuildAot()) {
    expect(aotCompiler(ROOT)).not.toBeNull(); // npm install skipped the optional dependency bun-aot
    expect(version).toContain(AOT_MARK);
  } else {
    expect(version).not.toContain(AOT_MARK);
  }
});

test("scripts/build.ts refuses an INDUS_BUILD it does not know, naming it", () => {
  const r = Bun.spawnSync([process.execPath, "scripts/build.ts", "", "/nonexistent/indus"], { cwd: ROOT, env: { ...process.env, INDUS_BUILD: "fast" } });
  expect(r.exitCode).toBe(2);
  expect(r.stderr.toString()).toContain("INDUS_BUILD=fast: expected aot or jit");
});
