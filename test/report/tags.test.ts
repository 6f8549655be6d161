// Tags in the reports: the end-of-run summary's tables per tag key (--summary-by) and its note on folded values,
// the JSON report's summary.tags / tag_sets (valid against the report schema), the HTML report's table per key and
// per-tag charts drawn from the tagged requests.
import { describe, expect, test } from "bun:test";
import { summaryBy } from "../../src/cli/run.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { createLiveRun } from "../../src/report/live/live-run.ts";
import { forEachTagged } from "../../src/metrics/snapshot.ts";
import { renderHtmlReport } from "../../src/report/html/index.ts";
import { buildJsonReport, reportSchema } from "../../src/report/json/index.ts";
import { reportInputFromResult } from "../../src/report/model.ts";
import { tagSeries } from "../../src/report/tag-series.ts";
import { formatSummary } from "../../src/report/text/index.ts";
import { arbitraryRun } from "../run/arbitrary-run.ts";

// the first arbitrary runs with tags, one of them with values folded into "other"
const runs = Array.from({ length: 200 }, (_, i) => arbitraryRun(1 + i * 7919)).filter((r) => r.result.summary.tags !== undefined);
const folded = runs.find((r) => r.result.summary.tags!.some((t) => t.folded > 0))!;

describe("tags in the reports", () => {
  test("--summary-by tag:NAME prints a table per key asked for; a fold is said even unasked", () => {
    const { summary } = folded.result;
    const key = summary.tags!.find((t) => t.folded > 0)!;
    const unasked = formatSummary(summary);
    expect(unasked).not.toContain("BY TAG");
    expect(unasked).toContain(`tag ${key.folded} more values of ${key.key} were counted as "other" (max_tag_values: ${key.limit})`);
    const asked = formatSummary(summary, { byTags: [key.key] });
    expect(asked).toContain(`BY TAG ${key.key}:`);
    for (const v of key.values) expect(asked).toMatch(new RegExp(`\\n${v.value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s+${v.stats.requests}\\s`));
    expect(formatSummary(summary, { byTags: "all" }).match(/BY TAG /g)!.length).toBe(summary.tags!.length);
  });

  test("the --summary-by flag: tag:NAME (repeatable or comma-separated), or tags for all; anything else is exit 2", () => {
    expect(summaryBy(["--summary-by", "tag:a", "--summary-by=tag:b,tag:c"], {})).toEqual(["a", "b", "c"]);
    expect(summaryBy(["--summary-by", "tags"], {})).toBe("all");
    expect(summaryBy([], {})).toEqual([]);
    expect(() => summaryBy(["--summary-by", "scenario"], {})).toThrow(/not a breakdown/);
  });

  test("the JSON report has a table per tag key and one row per tag set, valid against its schema", () => {
    for (const run of runs.slice(0, 20)) {
      const report = buildJsonReport(reportInputFromResult(run.result, run.plan));
      expect(reportSchema.safeParse(report).success).toBe(true);
      for (const t of report.summary.tags!) {
        const source = run.result.summary.tags!.find((x) => x.key === t.key)!;
        expect(t.folded_values).toBe(source.folded);
        expect(t.values.map((v) => [v.value, v.requests])).toEqual(source.values.map((v) => [v.value, v.stats.requests]));
      }
      // tag sets partition the tagged requests: they add up to the tagged steps' requests
      let tagged = 0;
      for (const e of run.result.timeline) for (const sc of Object.values(e.snapshot.scenarios)) forEachTagged(sc, (_k, _s, d) => (tagged += d.requests));
      expect(report.summary.tag_sets!.reduce((n, s) => n + s.requests, 0)).toBe(tagged);
    }
  });

  test("the live page has the tag tables while the run goes, from the run loop's merge", () => {
    const live = createLiveRun({ id: "r", plan: folded.plan, planYaml: folded.planYaml, planFile: "p.yaml", startedAt: new Date(0), agents: [] });
    const merged = new SnapshotAccumulator();
    for (const entry of folded.result.timeline) {
      merged.add(entry.snapshot);
      live.second(entry, merged);
    }
    const { summary } = live.view().input;
    expect(summary.tags!.map((t) => t.key)).toEqual(folded.result.summary.tags!.map((t) => t.key));
    expect(summary.tagSets!.map((t) => t.stats.requests)).toEqual(folded.result.summary.tagSets!.map((t) => t.stats.requests));
  });

  test("the HTML report has a table per tag key and per-tag charts from the tagged requests", () => {
    const input = reportInputFromResult(folded.result, folded.plan);
    const page = renderHtmlReport(input);
    expect(page).toContain('id="tags"');
    for (const t of folded.result.summary.tags!) expect(page).toContain(`id="tag-${t.key}"`);
    expect(page).toContain("were counted as &quot;other&quot;");
    expect(page).toContain("chart-tags-rps");
    // each charted tag's requests per second add up to its requests
    const series = tagSeries(folded.plan, folded.result.timeline);
    for (const s of series) {
      const [key, value] = [s.tag.slice(0, s.tag.indexOf("=")), s.tag.slice(s.tag.indexOf("=") + 1)];
      const row = folded.result.summary.tags!.find((t) => t.key === key)!.values.find((v) => v.value === value);
      const perSecond = s.rps.reduce((n, r, i) => n + r * Math.max(1, folded.result.timeline[i]!.t - (i > 0 ? folded.result.timeline[i - 1]!.t : 0)), 0);
      expect(Math.round(perSecond)).toBe(row?.stats.requests ?? 0);
    }
  });
});
