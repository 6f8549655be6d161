// The compiled binary's `run` goes without JavaScriptCore's FTL tier (src/cli/jit-tiers.ts says why), and a user's
// own BUN_JSC_useFTLJIT wins. JSC reports each compile on stderr (reportCompileTimes); a low FTL threshold makes a
// 1 s run reach FTL whenever FTL is on, so the control run shows the check can fail.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { runIndus, tempDir, writePlan } from "../helpers.ts";

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, latency: 0, quiet: true });
});
afterAll(async () => {
  await target.stop();
});

const SOON_FTL = { BUN_JSC_reportCompileTimes: "1", BUN_JSC_thresholdForFTLOptimizeAfterWarmUp: "1000" };

async function ftlCompiles(env: Record<string, string>): Promise<{ code: number; compiles: number; stdout: string }> {
  const file = writePlan(`name: tiers
scenarios:
  s:
    duration: 1s
    profile: { type: constant, vus: 4 }
    steps:
      - { name: get, url: "${target.url}/api/users" }
`);
  const r = await runIndus(["run", file, "--data-dir", tempDir()], { env: { ...SOON_FTL, ...env } });
  return { code: r.code, compiles: r.stderr.split("\n").filter((l) => l.includes("using FTL")).length, stdout: r.stdout };
}

test.skipIf(process.platform === "win32" || !!process.env.INDUS_TEST_SOURCE)("run compiles nothing with FTL; with BUN_JSC_useFTLJIT=1 it does", async () => {
  const off = await ftlCompiles({});
  expect(off.code).toBe(0);
  expect(off.stdout).toContain("Run completed");
  expect(off.compiles).toBe(0);
  const on = await ftlCompiles({ BUN_JSC_useFTLJIT: "1" });
  expect(on.code).toBe(0);
  expect(on.compiles).toBeGreaterThan(0);
});
