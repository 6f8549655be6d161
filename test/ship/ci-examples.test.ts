// The CI examples parse and do what the README promises: install with the script, start a target, run, keep the reports.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT } from "../helpers.ts";

const RUN = "indus run examples/basic.yaml --report=report.html --report=report.json --report=junit.xml";
const repo = /INDUS_REPO="\$\{INDUS_REPO:-([^}]+)\}"/.exec(readFileSync(join(ROOT, "scripts", "install.sh"), "utf8"))?.[1];
const INSTALL = `curl -fsSL https://raw.githubusercontent.com/${repo}/main/scripts/install.sh | sh`;

function load(name: string): { text: string; doc: any } {
  const text = readFileSync(join(ROOT, "examples", "ci", name), "utf8");
  return { text, doc: parse(text) };
}

describe("examples/ci/github-actions.yml", () => {
  const { text, doc } = load("github-actions.yml");
  const steps = doc.jobs["load-test"].steps as Record<string, any>[];
  const step = (pred: (s: Record<string, any>) => boolean) => steps.find(pred);

  test("parses, opens with a role comment, runs on push and pull_request", () => {
    expect(text.startsWith("# ")).toBe(true);
    expect(doc.on).toEqual(["push", "pull_request"]);
    expect(doc.jobs["load-test"]["runs-on"]).toBe("ubuntu-latest");
  });

  test("installs with the install script, starts the mock server, runs the plan controller-less", () => {
    expect(repo).toBeTruthy();
    expect(step((s) => String(s.run ?? "").includes(INSTALL))).toBeDefined();
    expect(step((s) => /^indus mock-server .*&$/m.test(String(s.run ?? "")))).toBeDefined();
    const run = step((s) => String(s.run ?? "").trim() === RUN);
    expect(run).toBeDefined();
    expect(run!["continue-on-error"]).toBeUndefined(); // the exit code gates the job
    expect(existsSync(join(ROOT, "examples", "basic.yaml"))).toBe(true);
  });

  test("uploads the reports even when the run fails, and publishes the JUnit file", () => {
    const upload = step((s) => String(s.uses ?? "").startsWith("actions/upload-artifact@"))!;
    expect(upload.if).toBe("always()");
    expect(String(upload.with.path)).toContain("report.html");
    expect(String(upload.with.path)).toContain("junit.xml");
    const reporter = step((s) => String(s.uses ?? "").startsWith("dorny/test-reporter@"))!;
    expect(reporter.if).toBe("always()");
    expect(reporter.with).toMatchObject({ path: "junit.xml", reporter: "java-junit" });
    expect(doc.permissions.checks).toBe("write");
  });
});

describe("examples/ci/gitlab-ci.yml", () => {
  const { text, doc } = load("gitlab-ci.yml");
  const job = doc["load-test"];

  test("parses and opens with a role comment", () => {
    expect(text.startsWith("# ")).toBe(true);
    expect(job.stage).toBe("test");
  });

  test("installs with the install script, starts the mock server, runs the plan", () => {
    expect(job.before_script).toContain(INSTALL);
    expect((job.script as string[]).some((l) => /^indus mock-server .*&$/.test(l))).toBe(true);
    expect(job.script).toContain(RUN);
    expect(job.allow_failure).toBeUndefined();
  });

  test("keeps the reports always and feeds JUnit to GitLab", () => {
    expect(job.artifacts.when).toBe("always");
    expect(job.artifacts.paths).toEqual(expect.arrayContaining(["report.html", "report.json", "junit.xml"]));
    expect(job.artifacts.reports.junit).toBe("junit.xml");
  });
});
