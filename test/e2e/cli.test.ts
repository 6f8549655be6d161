// The binary's own surface: --version, --help, validate.
import { describe, expect, test } from "bun:test";
import { runIndus, writePlan } from "../helpers.ts";

describe("indus binary", () => {
  test("--version prints version, commit and target", async () => {
    const r = await runIndus(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^indus \d+\.\d+\.\d+ \(commit \S+, \w+-\w+/);
  });

  test("--help lists the commands; run --help its flags", async () => {
    const r = await runIndus(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["run", "validate", "mock-server"]) expect(r.stdout).toContain(c);
    const run = await runIndus(["run", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--workers");
  });

  test("validate prints the schedule chart of every example and exits 0", async () => {
    for (const ex of ["basic", "ramp-stress", "step-load", "multi-scenario-spike", "lb-test", "login-flow"]) {
      const r = await runIndus(["validate", `examples/${ex}.yaml`]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("is valid");
    }
  });

  test("validate of a bad plan lists every problem and exits 2", async () => {
    const file = writePlan(`name: x
scenarios:
  a:
    duration: soon
    profile: { type: ramp_up, vus: 3 }
    steps: []
`);
    const r = await runIndus(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("scenarios.a.duration");
    expect(r.stderr).toContain("scenarios.a.profile");
    expect(r.stderr.split("\n").filter((l) => l.includes(file)).length).toBeGreaterThanOrEqual(3);
  });
});
