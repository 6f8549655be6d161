// The Markdown report (action.yml's job summary): written by `run --report summary.md` and, the same text, by
// `report ID --format=markdown` from the run store; table cells survive pipes in names.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createMockServer, type MockServer } from "../../src/mock/index.ts";
import { parseReportTarget } from "../../src/cli/reports.ts";
import { runIndus, tempDir, writePlan } from "../helpers.ts";

let target: MockServer;
beforeAll(() => {
  target = createMockServer({ port: 0, quiet: true });
});
afterAll(async () => {
  await target.stop();
});

describe("Markdown report", () => {
  test(".md and markdown: name the format", () => {
    expect(parseReportTarget("summary.md")).toEqual({ format: "markdown", file: "summary.md" });
    expect(parseReportTarget("markdown:out.txt")).toEqual({ format: "markdown", file: "out.txt" });
  });

  test("run --report summary.md and report --format=markdown write the same verdict, thresholds and scenarios", async () => {
    const dir = tempDir();
    const plan = writePlan(
      `name: "md | demo"
scenarios:
  browse:
    duration: 1s
    profile: { type: constant, vus: 1 }
    steps: [{ name: list, url: "${target.url}/api/users" }]
  buy:
    duration: 1s
    profile: { type: constant, vus: 1 }
    steps: [{ name: order, method: POST, url: "${target.url}/api/orders", body: "{}" }]
thresholds:
  - { metric: p95, condition: "<", value: 5000 }
  - { metric: requests, condition: ">", value: 100000000 }
`,
      dir,
    );
    const summary = join(dir, "summary.md");
    const run = await runIndus(["run", plan, "--quiet", "--workers=1", `--data-dir=${join(dir, "store")}`, `--report=${summary}`]);
    expect(run.code).toBe(1);
    const id = /Run started: (\S+)/.exec(run.stdout)![1]!;
    const md = readFileSync(summary, "utf8");
    expect(md).toStartWith(`## ❌ indus: md \\| demo failed\n\nRun \`${id}\` failed in `);
    expect(md).toContain("| | threshold | actual |\n|---|---|---|\n| ✅ | p95 < 5000 |");
    expect(md).toMatch(/\| ❌ \| requests > 100000000 \| \d+ \(first failed at [\d.]+ s\) \|/);
    expect(md).toContain("| scenario | requests | req/s | errors | p50 | p95 | p99 |");
    for (const row of ["browse", "buy", "**all**"]) expect(md).toMatch(new RegExp(`\\| ${row.replace(/\*/g, "\\*")} \\| [\\d,]+ \\| [\\d.]+ \\| \\d+ \\(`));

    const stored = await runIndus(["report", id, "--format=markdown", `--data-dir=${join(dir, "store")}`]);
    expect(stored.code).toBe(0);
    expect(stored.stdout).toBe(md);
  }, 60_000);
});

describe("Markdown report: script errors", () => {
  test("a table of them after the scenarios, pipes and newlines kept out of its cells; none without any", async () => {
    const { renderMarkdownReport } = await import("../../src/report/markdown/index.ts");
    const { reportInputFromResult } = await import("../../src/report/model.ts");
    const { syntheticRun } = await import("../store/fixtures/synthetic-run.ts");
    const r = syntheticRun({ seconds: 3, scenarios: 1, steps: 1 });
    const input = reportInputFromResult(r.result, r.plan);
    expect(renderMarkdownReport(input)).not.toContain("### Script errors");
    const md = renderMarkdownReport({ ...input, scriptErrors: [{ scenario: "s", step: "a|b", message: "boom\nat line 2", frame: "flows/x.ts:3:9", agent: "agent-1" }] });
    expect(md.endsWith("### Script errors\n\n| scenario / step | error | where | agent |\n|---|---|---|---|\n| s / a\\|b | boom at line 2 | flows/x.ts:3:9 | agent-1 |\n")).toBe(true);
  });
});
