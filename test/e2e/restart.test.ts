// The compiled binary's `run` starts again with the load settings (src/cli/restart.ts says which and why): mimalloc
// says what it runs with, and JSC shows there is no FTL tier; a user's own value wins. JSC reports each compile on
// stderr (reportCompileTimes); a low FTL threshold makes a 1 s run reach FTL whenever FTL is on, so the control run
// shows the check can fail.
//
// The restart is the JIT build's: bin/indus compiled ahead of time (scripts/aot.ts) has no JIT and does not start
// again, so these tests build a JIT binary of their own when bin/indus is an AOT one, and the last test holds the AOT
// binary to running load in the process it started.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { readFileSync } from "node:fs";
import { binaryIsAot } from "../../scripts/aot.ts";
import { LOAD_PROCESS_ENV } from "../../src/cli/restart.ts";
import { BIN, buildJitBinary, oneStepPlan, readUntil, runIndus, spawnIndus, tempDir, writePlan } from "../helpers.ts";

const skipped = process.platform === "win32" || !!process.env.INDUS_TEST_SOURCE;

/** bin/indus is an AOT build (what `npm run build` makes on linux-x64 with the compiler installed) */
const binIsAot = !skipped && binaryIsAot(BIN);

let target: MockServer;
/** bin/indus when it is a JIT build, else one built here with INDUS_BUILD=jit */
let jitBin = BIN;
beforeAll(() => {
  target = createMockServer({ port: 0, latency: 0, quiet: true });
  if (!binIsAot) return;
  jitBin = buildJitBinary();
}, 120_000);
afterAll(async () => {
  await target.stop();
});

const SOON_FTL = { BUN_JSC_reportCompileTimes: "1", BUN_JSC_thresholdForFTLOptimizeAfterWarmUp: "1000" };

/** a 1 s run of `vus` VUs asking the mock target without a pause */
function oneSecondPlan(vus: number): string {
  return writePlan(oneStepPlan({ name: "one-second", url: `${target.url}/api/users`, vus }));
}

async function ftlCompiles(env: Record<string, string>): Promise<{ code: number; compiles: number; stdout: string }> {
  const file = oneSecondPlan(4);
  const r = await runIndus(["run", file, "--data-dir", tempDir()], { env: { ...SOON_FTL, ...env }, bin: jitBin });
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

/** what mimalloc says it runs with (MIMALLOC_VERBOSE prints every option as each process starts): the last process's value */
function mimallocOption(stderr: string, name: string): string | undefined {
  const values = [...stderr.matchAll(new RegExp(`option '${name}': (\\S+)`, "g"))].map((m) => m[1]);
  return values.at(-1);
}

test.skipIf(process.platform !== "linux" || !!process.env.INDUS_TEST_SOURCE)("mimalloc reads run's settings; a user's own value wins", async () => {
  const file = oneSecondPlan(1);
  const ours = await runIndus(["run", file, "--data-dir", tempDir()], { env: { MIMALLOC_VERBOSE: "1" }, bin: jitBin });
  expect(ours.code).toBe(0);
  // Bun's own default differs (100 ms in Bun 1.4.4), so this fails if the name or the restart is wrong
  expect(mimallocOption(ours.stderr, "purge_delay")).toBe(LOAD_PROCESS_ENV.MIMALLOC_PURGE_DELAY);
  const users = await runIndus(["run", file, "--data-dir", tempDir()], { env: { MIMALLOC_VERBOSE: "1", MIMALLOC_PURGE_DELAY: "250" }, bin: jitBin });
  expect(users.code).toBe(0);
  expect(mimallocOption(users.stderr, "purge_delay")).toBe("250");
});

test.skipIf(process.platform !== "linux" || !!process.env.INDUS_TEST_SOURCE)("the running process has every load setting in its environment, in the same pid", async () => {
  const file = writePlan(oneStepPlan({ name: "env", url: `${target.url}/api/users`, vus: 1, duration: "2s", thinkTime: "100ms" }));
  const proc = spawnIndus(["run", file, "--data-dir", tempDir()], {}, jitBin);
  const reader = proc.stdout.getReader();
  expect(await readUntil(reader, "Run started")).toContain("Run started");
  expectLoadSettings(proc.pid);
  while (!(await reader.read()).done);
  expect(await proc.exited).toBe(0);
});

test.skipIf(process.platform !== "linux" || !!process.env.INDUS_TEST_SOURCE)("an agent starts again with the settings too, in the same pid", async () => {
  const proc = spawnIndus(["agent", "--grpc-addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0", "--insecure"], {}, jitBin);
  try {
    expect(await readUntil(proc.stderr.getReader(), "agent gRPC server listening")).toContain("agent gRPC server listening");
    expectLoadSettings(proc.pid);
  } finally {
    proc.kill();
    await proc.exited;
  }
});

/** /proc/PID/environ is what the last execve gave this pid: every setting there means the restart happened in place. */
function expectLoadSettings(pid: number): void {
  const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  for (const [name, value] of Object.entries(LOAD_PROCESS_ENV)) expect(environ).toContain(`${name}=${value}`);
}

test.skipIf(process.platform !== "linux" || !binIsAot)("an AOT build runs load in the process it started: none of the settings appear", async () => {
  const file = writePlan(oneStepPlan({ name: "env", url: `${target.url}/api/users`, vus: 1, duration: "2s", thinkTime: "100ms" }));
  const proc = spawnIndus(["run", file, "--data-dir", tempDir()]);
  const reader = proc.stdout.getReader();
  expect(await readUntil(reader, "Run started")).toContain("Run started");
  const environ = readFileSync(`/proc/${proc.pid}/environ`, "utf8").split("\0");
  for (const name of Object.keys(LOAD_PROCESS_ENV)) expect(environ.some((e) => e.startsWith(`${name}=`))).toBe(false);
  while (!(await reader.read()).done);
  expect(await proc.exited).toBe(0);
});
