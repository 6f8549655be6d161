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
