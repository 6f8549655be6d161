// The JSON report: validates against its schema, nulls for "no value", a second per line, the same from a stored run.
import { describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildJsonReport, renderJsonReport, reportJsonSchema, reportSchema } from "../../src/report/json/index.ts";
import { reportInputFromResult, reportInputFromStored } from "../../src/report/model.ts";
import { openRunStore } from "../../src/store/index.ts";
import { ROOT, tempDir } from "../helpers.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";

const SCHEMA_FILE = join(ROOT, "schema", "report.schema.json");

describe("JSON report", () => {
  const run = syntheticRun({ seconds: 40, scenarios: 3, steps: 2, loseAgentAt: 25 });
  const input = reportInputFromResult(run.result, run.plan, { planYaml: run.planYaml, planFile: "plans/shop.yaml" });

  test("validates against the report schema", () => {
    const parsed = reportSchema.safeParse(JSON.parse(renderJsonReport(input)));
    if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues.slice(0, 5), null, 2));
  });

  test("carries run metadata, summaries, thresholds, timeline and plan", () => {
    const report = JSON.parse(renderJsonReport(input));
    expect(report.schema_version).toBe(1);
    expect(report.run).toMatchObject({
      id: "5eed0001",
      plan_name: "synthetic-<shop> & co",
      plan_file: "plans/shop.yaml",
      state: run.result.state,
      reason: null,
      started_at: "2026-03-01T10:00:00.000Z",
      ended_at: "2026-03-01T10:00:40.000Z",
      duration_s: 40,
    });
    expect(report.run.agents).toEqual([
      { id: "agent-1", address: "10.0.0.1:50052", state: "finished", lost_at_s: null },
      { id: "agent-2", address: "10.0.0.2:50052", state: "lost", lost_at_s: 25.35 },
    ]);
    const g = run.result.summary.global;
    expect(report.summary.global).toMatchObject({ requests: g.requests, errors: g.errors, p95: Math.round(g.p95 * 1000) / 1000, errors_by_class: g.errorsByClass });
    expect(report.summary.scenarios.map((s: any) => [s.name, s.steps.map((st: any) => st.name)])).toEqual([
      ["browse", ["list", "get-item"]],
      ["checkout", ["list", "get-item"]],
      ["search", ["list", "get-item"]],
    ]);
    expect(report.summary.agents.map((a: any) => a.requests).reduce((x: number, y: number) => x + y)).toBe(g.requests);
    expect(report.thresholds[1]).toMatchObject({
      label: "p99 < 250 [checkout]",
      metric: "p99",
      condition: "<",
      value: 250,
      scope: { scenario: "checkout", step: null },
      passed: false,
      first_failed_at_s: 16,
    });
    expect(report.timeline).toHaveLength(40);
    expect(Object.keys(report.timeline[0].scenarios)).toEqual(["browse", "checkout", "search"]);
    expect(report.timeline.reduce((n: number, s: any) => n + s.requests, 0)).toBe(g.requests);
    expect(report.plan.name).toBe(run.plan.name);
    expect(report.plan_yaml).toBe(run.planYaml);
    expect(report.baseline).toBeUndefined();
  });

  test("each timeline second sits on one line; the rest is indented", () => {
    const text = renderJsonReport(input);
    const lines = text.split("\n");
    expect(lines.filter((l) => l.startsWith('    {"t":')).length).toBe(40);
    expect(lines[1]).toBe('  "schema_version": 1,');
    expect(text.endsWith("}\n")).toBe(true);
  });

  test("no value is null, never NaN", () => {
    const quiet = structuredClone(run.result);
    Object.assign(quiet.summary.global, { requests: 0, p50: NaN, p90: NaN, p95: NaN, p99: NaN, min: NaN, max: NaN, mean: NaN });
    quiet.thresholds[0]!.actual = NaN;
    quiet.timeline = [];
    const text = renderJsonReport(reportInputFromResult(quiet, run.plan));
    expect(text).not.toContain("NaN");
    const report = JSON.parse(text);
    expect(report.summary.global.p95).toBeNull();
    expect(report.thresholds[0].actual).toBeNull();
    expect(report.plan_yaml).toBeNull();
    expect(report.timeline).toEqual([]);
    expect(reportSchema.safeParse(report).success).toBe(true);
  });

  test("a stored run gives the same report as the run it stored", () => {
    const dir = tempDir("indus-json-");
    const store = openRunStore(dir);
    store.createRun({ id: run.result.runId, planName: run.plan.name, planYaml: run.planYaml, planFile: "plans/shop.yaml", plan: run.plan, startedAt: run.result.startedAt, origin: "local", agents: [] });
    store.finishRun(run.result.runId, run.result);
    const stored = reportInputFromStored(store.getRun(run.result.runId)!);
    store.close();
    rmSync(dir, { recursive: true, force: true });
    expect(buildJsonReport(stored)).toEqual(buildJsonReport(input));
  });

  test("schema/report.schema.json is the one generated from the zod schema (INDUS_UPDATE_SCHEMA=1 rewrites it)", async () => {
    const generated = JSON.stringify(reportJsonSchema(), null, 2) + "\n";
    if (process.env.INDUS_UPDATE_SCHEMA === "1") await Bun.write(SCHEMA_FILE, generated);
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    expect(committed).toBe(generated);
  });

  test("the JSON Schema is draft 2020-12 and says what the fields are", () => {
    const schema = reportJsonSchema() as any;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.required).toContain("schema_version");
    expect(schema.properties.schema_version.const).toBe(1);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.summary.properties.global.properties.p95.description).toMatch(/milliseconds/);
  });
});
