// The JIT build is what every release target but linux-x64 ships (macOS, Windows, arm64, musl), while bin/indus on a
// linux-x64 machine is the AOT build: the two bundle the same source differently (a default import of a CommonJS
// module once worked in one and not the other). So the JIT build is built here and held to what the AOT build does,
// command by command: the same exit codes, the same report shape, worker threads and a TypeScript scenario included.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { binaryIsAot } from "../../scripts/aot.ts";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { BIN, buildJitBinary, runIndus, scriptedExamples, tempDir, writePlan } from "../helpers.ts";

const skipped = !!process.env.INDUS_TEST_SOURCE || process.platform === "win32";
/** the two builds when bin/indus is the AOT one; otherwise bin/indus is itself the JIT build, and alone */
const builds: Record<string, string> = {};

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, latency: 0, quiet: true });
  if (skipped) return;
  if (!binaryIsAot(BIN)) {
    builds.jit = BIN;
    return;
  }
  builds.aot = BIN;
  builds.jit = buildJitBinary();
}, 120_000);
afterAll(() => target.stop());

/** Every key path of a JSON value (array items under [], values dropped): its shape. */
function shape(value: unknown, at = ""): string[] {
  if (Array.isArray(value)) return [at + "[]", ...value.flatMap((v) => shape(v, at + "[]"))];
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => [at + "." + k, ...shape(v, at + "." + k)]);
  return [];
}
const sorted = (xs: string[]) => [...new Set(xs)].sort();

const planWithChecks = () =>
  writePlan(`name: jit-build
scenarios:
  s:
    duration: 1s
    think_time: 10ms
    profile: { type: constant, vus: 4 }
    steps:
      - name: users
        url: "${target.url}/api/users"
        check: { status: 200 }
thresholds:
  - { metric: p95, condition: "<", value: 5000 }
  - { metric: error_ratio, condition: "<", value: 0.01 }
`);

describe.skipIf(skipped)("the JIT build does what the AOT build does", () => {
  test("--version says which build it is", async () => {
    for (const [name, bin] of Object.entries(builds)) {
      const r = await runIndus(["--version"], { bin });
      expect(r.code).toBe(0);
      expect(`${name}: ${binaryIsAot(bin)}`).toBe(`${name}: ${name === "aot"}`);
    }
  });

  test("a local run on two worker threads: checks, thresholds, the JSON report and the stored run, alike", async () => {
    const shapes: Record<string, string[]> = {};
    for (const [name, bin] of Object.entries(builds)) {
      const dir = tempDir("indus-jit-run-");
      const report = join(dir, "report.json");
      const r = await runIndus(["run", planWithChecks(), "--workers", "2", "--report", report, "--data-dir", join(dir, "store")], { bin });
      expect(`${name}: ${r.code} ${r.stderr}`).toBe(`${name}: 0 `);
      expect(r.stdout).toContain("All thresholds passed. Exit code: 0");
      const json = JSON.parse(readFileSync(report, "utf8"));
      expect(JSON.stringify(json)).toContain('"name":"users"');
      shapes[name] = sorted(shape(json));
      const stored = await runIndus(["report", json.run.id, "--format", "json", "--data-dir", join(dir, "store")], { bin });
      expect(`${name}: ${stored.code}`).toBe(`${name}: 0`);
      expect(sorted(shape(JSON.parse(stored.stdout)))).toEqual(shapes[name]!);
    }
    if (shapes.aot) expect(shapes.jit).toEqual(shapes.aot);
  }, 60_000);

  test("a TypeScript scenario (bundled at run time) runs to its thresholds", async () => {
    for (const [name, bin] of Object.entries(builds)) {
      const dir = scriptedExamples("2s");
      const r = await runIndus(["run", join(dir, "login-browse.yaml"), "--data-dir", join(dir, "store")], { bin, env: { TARGET_URL: target.url } });
      expect(`${name}: ${r.code} ${r.stderr}`).toBe(`${name}: 0 `);
      expect(r.stdout).toContain("All thresholds passed. Exit code: 0");
    }
  }, 60_000);

  test("a bad plan: exit 2, one line naming file, line and path, no stack trace", async () => {
    const bad = writePlan(`name: bad
scenarios:
  s:
    duration: 1s
    profile: { type: constant, vus: -3 }
    steps:
      - { name: get, url: "${target.url}/" }
`);
    const outputs: Record<string, string> = {};
    for (const [name, bin] of Object.entries(builds)) {
      const r = await runIndus(["validate", bad], { bin });
      expect(`${name}: ${r.code}`).toBe(`${name}: 2`);
      const text = r.stdout + r.stderr;
      expect(text).toContain(`${bad}:5:`);
      expect(text).toContain("vus");
      expect(text).not.toMatch(/\n\s+at /);
      outputs[name] = text;
    }
    if (outputs.aot) expect(outputs.jit).toBe(outputs.aot);
  });
});
