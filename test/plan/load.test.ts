// loadPlanFile reads real files; a file it cannot read is a one-problem PlanError naming it.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PlanError } from "../../src/core/errors.ts";
import { loadPlanFile } from "../../src/plan/index.ts";

const dir = mkdtempSync(join(tmpdir(), "indus-plan-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function planErrorOf(promise: Promise<unknown>): Promise<PlanError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PlanError) return error;
    throw error;
  }
  throw new Error("expected a PlanError");
}

describe("loadPlanFile", () => {
  test("reads and parses a file", async () => {
    const file = join(dir, "ok.yaml");
    writeFileSync(file, "name: ok\nscenarios:\n  s:\n    duration: 5s\n    profile: {type: constant, vus: 2}\n    steps: [{name: a, url: 'http://h/'}]\n");
    const plan = await loadPlanFile(file);
    expect(plan.name).toBe("ok");
    expect(plan.scenarios[0]?.duration).toBe(5_000);
  });

  test("a missing file is one problem naming the file, at line 0", async () => {
    const file = join(dir, "nope.yaml");
    const error = await planErrorOf(loadPlanFile(file));
    expect(error.problems).toEqual([{ file, line: 0, column: 0, path: "", message: "cannot read the plan: no such file" }]);
    expect(error.message).toBe(`1 problem in plan:\n  ${file}: cannot read the plan: no such file`);
  });

  test("a directory is one problem too", async () => {
    const error = await planErrorOf(loadPlanFile(dir));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: dir, line: 0, message: "cannot read the plan: it is a directory" });
  });

  test("problems inside the file carry its path", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "name: bad\nscenarios:\n  s:\n    duration: 5s\n    profile: {type: constant, vus: 0}\n    steps: [{name: a, url: 'http://h/'}]\n");
    const error = await planErrorOf(loadPlanFile(file));
    expect(error.problems).toEqual([{ file, line: 5, column: 36, path: "scenarios.s.profile.vus", message: "0 must be a positive integer" }]);
  });
});
