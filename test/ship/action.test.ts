// action.yml: its metadata passes action-validator (the published action schema), and its steps, run as a GitHub runner
// runs them (test/ship/action-runner.ts), install the released binary from a local release server with its checksum,
// run a plan against a local target, write indus's Markdown job summary and set the outputs. The upload-artifact step
// is another repository's action and cannot run here: a fake records what it was given and answers an artifact URL.
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { validateAction } from "@action-validator/core";
import { checksumsText, packArchive, sha256File } from "../../scripts/archive.ts";
import { archiveName, RELEASE_TARGETS } from "../../scripts/targets.ts";
import { createMockServer } from "../../src/mock/index.ts";
import pkg from "../../package.json" with { type: "json" };
import { ProcGroup } from "../distributed/harness.ts";
import { BIN, ROOT, tempDir } from "../helpers.ts";
import { ACTION_YML, readAction, runAction, type ActionRun } from "./action-runner.ts";
import { serveDir } from "./helpers.ts";

describe("action.yml", () => {
  test("passes action-validator (the GitHub Action metadata schema)", () => {
    const state = validateAction(readFileSync(ACTION_YML, "utf8"));
    expect(state.errors).toEqual([]);
    expect(state.actionType).toBe("action");
  });

  test("the validator has teeth: a composite action without steps' shell, or with an unknown key, is refused", () => {
    const broken = readFileSync(ACTION_YML, "utf8").replace("using: composite", "using: compost");
    expect(validateAction(broken).errors.length).toBeGreaterThan(0);
  });

  test("takes plan, version, controller, agents, args, report-dir; gives run-id, passed, report-html, report-json, junit", () => {
    const a = readAction();
    expect(a.runs.using).toBe("composite");
    for (const input of ["plan", "version", "controller", "agents", "args", "report-dir"]) expect(Object.keys(a.inputs)).toContain(input);
    expect(a.inputs.plan?.required).toBe(true);
    for (const output of ["run-id", "passed", "report-html", "report-json", "junit"]) expect(Object.keys(a.outputs)).toContain(output);
  });

  test("installs with scripts/install.sh, and passes inputs to scripts through env, never spliced into the script", () => {
    expect(readFileSync(join(ROOT, "scripts", "action", "install.sh"), "utf8")).toContain('sh "${INDUS_ACTION_PATH:?}/scripts/install.sh"');
    for (const step of readAction().runs.steps.filter((s) => s.run)) expect(step.run).not.toContain("${{");
  });
});

test.skipIf(!Bun.which("shellcheck"))("the action's scripts pass shellcheck (skipped where shellcheck is not installed)", () => {
  const scripts = ["install.sh", "run.sh", "finish.sh"].map((f) => join(ROOT, "scripts", "action", f));
  const p = Bun.spawnSync(["shellcheck", "-s", "bash", ...scripts], { stdout: "pipe" });
  expect(p.stdout.toString()).toBe("");
  expect(p.exitCode).toBe(0);
});

describe("action.yml's steps on a faked runner, against a local release and a local target", async () => {
  const linux = RELEASE_TARGETS.find((t) => t.id === "linux-x64")!;
  const releaseDir = tempDir("indus-action-release-");
  const stage = tempDir("indus-action-stage-");
  copyFileSync(BIN, join(stage, "indus"));
  for (const doc of ["LICENSE", "README.md"]) copyFileSync(join(ROOT, doc), join(stage, doc));
  const archive = archiveName(pkg.version, linux);
  await packArchive(join(releaseDir, archive), stage, ["indus", "LICENSE", "README.md"]);
  writeFileSync(join(releaseDir, "checksums.txt"), checksumsText([{ name: archive, sha256: await sha256File(join(releaseDir, archive)) }]));
  rmSync(stage, { recursive: true, force: true });
  const release = serveDir(releaseDir);
  const target = createMockServer({ port: 0, quiet: true });
  const group = new ProcGroup();
  const runs: ActionRun[] = [];
  afterAll(async () => {
    release.stop();
    await target.stop();
    await group.stop();
    for (const dir of [releaseDir, ...runs.flatMap((r) => [r.runnerTemp, r.workspace])]) rmSync(dir, { recursive: true, force: true });
  });

  const uploads: Record<string, string>[] = [];
  async function act(plan: string, inputs: Record<string, string> = {}) {
    const workspace = tempDir("indus-gh-workspace-");
    writeFileSync(join(workspace, "plan.yaml"), plan);
    const r = await runAction({
      workspace,
      inputs: { plan: "plan.yaml", version: pkg.version, ...inputs },
      env: { INDUS_DOWNLOAD_BASE: release.base },
      uses: (step) => {
        expect(step.uses).toBe("actions/upload-artifact@v4");
        uploads.push(step.with);
        return { "artifact-id": "1", "artifact-url": "https://github.com/indus-dev/indus-demo/actions/runs/4242/artifacts/1" };
      },
    });
    runs.push(r);
    return r;
  }
  const plan = (threshold: string) => `name: action-demo
scenarios:
  get-users:
    duration: 2s
    profile: { type: constant, vus: 2 }
    steps:
      - { name: list, url: "${target.url}/api/users" }
thresholds:
  - { metric: p95, condition: "<", value: ${threshold} }
  - { metric: error_ratio, condition: "<", value: 0.5 }
`;

  test("a passing run: installs the checksummed binary, runs, summarises, uploads, sets the outputs", async () => {
    const r = await act(plan("5000"));
    const [install, run, upload, finish] = r.steps;
    expect(install!.stdout).toContain(`(checksum verified: ${archive})`);
    expect(install!.code).toBe(0);
    expect(run!.code).toBe(0);
    expect(upload!.ran).toBe(true);
    expect(finish!.code).toBe(0);
    expect(r.success).toBe(true);

    expect(r.outputs["run-id"]).toMatch(/^\S{6,}$/);
    expect(run!.stdout).toContain(`Run started: ${r.outputs["run-id"]}`);
    expect(r.outputs.passed).toBe("true");
    expect(r.outputs["exit-code"]).toBe("0");
    expect(r.outputs["report-html"]).toBe("indus-report/report.html");
    expect(r.outputs["report-json"]).toBe("indus-report/report.json");
    expect(r.outputs.junit).toBe("indus-report/junit.xml");
    for (const f of ["report-html", "report-json", "junit"]) expect(existsSync(join(r.workspace, r.outputs[f]!))).toBe(true);
    expect(JSON.parse(readFileSync(join(r.workspace, r.outputs["report-json"]!), "utf8"))).toMatchObject({ run: { id: r.outputs["run-id"], passed: true } });
    expect(r.outputs["artifact-url"]).toContain("/artifacts/1");
    expect(uploads.at(-1)).toMatchObject({ name: `indus-report-${r.outputs["run-id"]}`, path: "indus-report" });

    expect(r.summary).toStartWith(`## ✅ indus: action-demo passed\n\nRun \`${r.outputs["run-id"]}\` completed in `);
    expect(r.summary).toContain("| ✅ | p95 < 5000 |");
    expect(r.summary).toContain("| ✅ | error_ratio < 0.5 |");
    expect(r.summary).toMatch(/\| get-users \| [\d,]+ \| [\d.]+ \| 0 \(0\.00%\) \|/);
    expect(r.summary).toContain("📄 [HTML report, JSON, JUnit and the run output](https://github.com/indus-dev/indus-demo/actions/runs/4242/artifacts/1)");
  }, 120_000);

  test("a failed threshold: the summary says which, the reports are still uploaded, then the step fails", async () => {
    const r = await act(plan("0.001"));
    const [, run, upload, finish] = r.steps;
    expect(run!.code).toBe(0); // the run step records; the last one decides
    expect(upload!.ran).toBe(true);
    expect(finish!.code).toBe(1);
    expect(finish!.stdout).toContain("::error title=indus::the run failed");
    expect(r.success).toBe(false);
    expect(r.outputs.passed).toBe("false");
    expect(r.outputs["exit-code"]).toBe("1");
    expect(r.summary).toStartWith("## ❌ indus: action-demo failed");
    expect(r.summary).toContain("| ❌ | p95 < 0.001 |");
    expect(r.summary).toContain("| ✅ | error_ratio < 0.5 |");
  }, 120_000);

  test("fail-on-threshold: false reports the failure and lets the job go on", async () => {
    const r = await act(plan("0.001"), { "fail-on-threshold": "false" });
    expect(r.success).toBe(true);
    expect(r.outputs.passed).toBe("false");
    expect(r.steps.at(-1)!.stdout).toContain("::warning title=indus::");
  }, 120_000);

  test("a bad plan: exit code 2, the summary shows indus's message, the step fails even with fail-on-threshold: false", async () => {
    const r = await act("name: broken\nscenarios: {}\n", { "fail-on-threshold": "false" });
    expect(r.outputs["exit-code"]).toBe("2");
    expect(r.summary).toStartWith("## ❌ indus: the plan did not run (exit code 2)");
    expect(r.summary).toContain("plan.yaml");
    expect(r.success).toBe(false);
  }, 120_000);

  test("agents: the action starts a controller on the runner for them and the run uses them", async () => {
    const agent = group.spawn("agent", ["agent", "--id=ci-agent", "--grpc-addr=127.0.0.1:0", "--metrics-addr=off"]);
    const line = await agent.waitFor(/agent gRPC server listening/, 15_000, "err");
    const port = JSON.parse(line).port as number;
    const r = await act(plan("5000"), { agents: `127.0.0.1:${port}`, args: "--quiet" });
    expect(r.steps[1]!.stderr + r.steps[1]!.stdout).not.toContain("did not start");
    expect(r.success).toBe(true);
    expect(r.summary).toContain("· 1 agent\n");
    const report = JSON.parse(readFileSync(join(r.workspace, r.outputs["report-json"]!), "utf8"));
    expect(JSON.stringify(report)).toContain("ci-agent");
  }, 120_000);

  test("controller: the run goes to that controller (and its agents), with the token input", async () => {
    const agent = group.spawn("agent", ["agent", "--id=remote-agent", "--grpc-addr=127.0.0.1:0", "--metrics-addr=off"], { env: { INDUS_TOKEN: "t0ken" } });
    const agentPort = JSON.parse(await agent.waitFor(/agent gRPC server listening/, 15_000, "err")).port as number;
    const controller = group.spawn("controller", ["controller", "--grpc-addr=127.0.0.1:0", "--metrics-addr=off", `--agents=127.0.0.1:${agentPort}`, `--data-dir=${group.dir()}`], { env: { INDUS_TOKEN: "t0ken" } });
    const line = await controller.waitFor((l) => l.includes('"controller gRPC server starting"'), 15_000, "err");
    const r = await act(plan("5000"), { controller: `127.0.0.1:${JSON.parse(line).port}`, token: "t0ken" });
    expect(r.success).toBe(true);
    expect(r.summary).toContain("· 1 agent\n");
    expect(readFileSync(join(r.workspace, r.outputs["report-json"]!), "utf8")).toContain("remote-agent");
    // without the token the controller refuses: bad input, exit 2, said in the summary
    const refused = await act(plan("5000"), { controller: `127.0.0.1:${JSON.parse(line).port}` });
    expect(refused.outputs["exit-code"]).toBe("2");
    expect(refused.summary).toStartWith("## ❌ indus: the plan did not run (exit code 2)");
  }, 120_000);
});
