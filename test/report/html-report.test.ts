// The HTML report as text: self-contained, every section there, escaped, small for an hour-long run.
import { describe, expect, test } from "bun:test";
import { renderHtmlReport } from "../../src/report/html/index.ts";
import { reportInputFromResult } from "../../src/report/model.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";
import { openRun } from "./fixtures/open-run.ts";

const run = syntheticRun({ seconds: 60, scenarios: 3, steps: 2, loseAgentAt: 40 });
const input = reportInputFromResult(run.result, run.plan, { planYaml: run.planYaml, planFile: "plans/shop.yaml" });
const html = renderHtmlReport(input);

/** Path commands (M/L) in a d attribute: the points drawn. */
const points = (d: string) => (d.match(/[ML]/g) ?? []).length;

describe("HTML report", () => {
  test("is one self-contained document: no scripts, no links, nothing fetched", () => {
    expect(html.startsWith("<!doctype html>\n<html lang=\"en\">")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    // URLs only in the plan's text and the SVG namespace, which are not requests
    const outside = html.replace(/<pre class="plan">[\s\S]*?<\/pre>/, "").replaceAll('xmlns="http://www.w3.org/2000/svg"', "");
    expect(outside).not.toMatch(/https?:/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(html).toContain("@media print");
  });

  test("has the header, thresholds, charts, tables, agents and plan", () => {
    for (const id of ["thresholds", "charts", "scenarios", "agents", "plan"]) expect(html).toContain(`<section id="${id}">`);
    for (const id of ["chart-vus", "chart-rps", "chart-latency", "chart-latency-scenarios", "chart-errors"]) expect(html).toContain(`id="${id}"`);
    expect(html).toContain('<span class="badge state-failed">failed</span>');
    expect(html).toContain("\u2717 FAILED");
    expect(html).toContain("<code>5eed0001</code>");
    expect(html).toContain("2026-03-01 10:00:00 UTC");
    expect(html).toMatch(/lost<span class="warn"> at 40\.35s<\/span>/);
    expect(html).toContain("<code>p99 &lt; 250 [checkout]</code>");
  });

  test("escapes the plan's words", () => {
    expect(html).toContain("<h1>synthetic-&lt;shop> &amp; co</h1>");
    expect(html).not.toContain("<shop>");
    expect(html).toContain("name: &quot;synthetic-&lt;shop> &amp; co&quot;");
  });

  test("a single scenario draws four charts; a run without errors or thresholds still draws each one", () => {
    const one = syntheticRun({ seconds: 10, scenarios: 1, steps: 1 });
    const result = structuredClone(one.result);
    for (const e of result.timeline) for (const sc of Object.values(e.snapshot.scenarios)) for (const st of Object.values(sc.steps)) {
      st.errors = 0;
      st.errorsByClass = {};
    }
    result.thresholds = [];
    const page = renderHtmlReport(reportInputFromResult(result, one.plan));
    const charts = page.match(/<figure class="chart" id="[^"]+"/g) ?? [];
    expect(charts).toHaveLength(4);
    expect(page).toContain("No request failed.");
    expect(page).toContain("The plan sets no thresholds");
    for (const d of page.match(/<path class="(line|band)" d="([^"]*)"/g) ?? []) expect(d).toMatch(/d="M/);
  });

  test("every threshold with a chart in its unit is a dashed line there: rps, error_ratio, checks (latency: the browser test)", () => {
    const one = syntheticRun({ seconds: 10, scenarios: 1, steps: 1 });
    const result = structuredClone(one.result);
    for (const e of result.timeline) for (const sc of Object.values(e.snapshot.scenarios)) for (const st of Object.values(sc.steps)) st.checks = { "status is 200": { passes: 9, fails: 1 } };
    const ratio = result.thresholds.find((r) => r.threshold.metric === "error_ratio")!;
    result.thresholds.push({ ...structuredClone(ratio), threshold: { ...ratio.threshold, metric: "checks", condition: ">", value: 0.95 } });
    const page = renderHtmlReport(reportInputFromResult(result, one.plan));
    const hlines = (id: string) => (new RegExp(`id="${id}"[\\s\\S]*?</figure>`).exec(page)?.[0].match(/<g class="hline">/g) ?? []).length;
    expect([hlines("chart-rps"), hlines("chart-error-ratio"), hlines("chart-checks")]).toEqual([1, 1, 1]);
    // the checks line: 90% each second, below its 95% threshold
    expect(page).toContain("Checks passed (passed ÷ run each second)");
    const checksLine = /id="chart-checks"[\s\S]*?<path class="line" d="([^"]+)"/.exec(page)![1]!;
    expect(checksLine.match(/[ML]/g)!.length).toBe(result.timeline.length);
    // without such thresholds neither ratio chart is drawn
    result.thresholds = result.thresholds.filter((r) => r.threshold.metric !== "checks" && r.threshold.metric !== "error_ratio");
    const plain = renderHtmlReport(reportInputFromResult(result, one.plan));
    expect(plain).not.toContain('id="chart-checks"');
    expect(plain).not.toContain('id="chart-error-ratio"');
  });

  test("an arrival-rate run draws service time beside the time from the intended start, and the drops; a closed-model run draws neither", () => {
    const open = openRun({ seconds: 30, stallAt: [12, 13], closed: true, thresholds: ['{ metric: p99_intended, condition: "<", value: 1500, scenario: paced }'] });
    const page = renderHtmlReport(reportInputFromResult(open.result, open.plan));
    const figure = (id: string) => page.match(new RegExp(`<figure class="chart" id="${id}">[\\s\\S]*?</figure>`))?.[0] ?? "";
    const latency = figure("chart-open-latency");
    expect(latency).toContain("<figcaption>Arrival rate: service time vs time from the intended start (paced)</figcaption>");
    expect((latency.match(/<path class="line" d="M/g) ?? []).length).toBe(4);
    for (const name of ["p95 service", "p99 service", "p95 from intended start", "p99 from intended start"]) expect(latency).toContain(`</span>${name}</li>`);
    expect(latency).toContain("p99_intended &lt; 1500 [paced]");
    const dropped = figure("chart-dropped");
    expect(dropped).toContain('<path class="band" d="M');
    expect(dropped).toContain("</span>dropped iterations</li>");
    // after the latency charts, before the errors
    const ids = [...page.matchAll(/<figure class="chart" id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(["chart-vus", "chart-rps", "chart-latency", "chart-latency-scenarios", "chart-open-latency", "chart-dropped", "chart-errors"]);

    const quiet = openRun({ seconds: 5 });
    const calm = renderHtmlReport(reportInputFromResult(quiet.result, quiet.plan));
    expect(calm).toContain("<figcaption>Arrival rate: service time vs time from the intended start</figcaption>");
    expect(calm).toContain("Every arrival found a free VU.");

    expect(html).not.toContain("chart-open-latency");
    expect(html).not.toContain("chart-dropped");
  });

  test("bytes on the wire and decoded, per step that decoded, and each error kind with its count", () => {
    const plain = renderHtmlReport(input);
    expect(plain).toContain('<section id="traffic">');
    expect(plain).not.toContain("Decoded bodies");
    expect(plain).not.toContain('id="error-kinds"');
    const r = syntheticRun({ seconds: 10, scenarios: 1, steps: 2 });
    const decoded = reportInputFromResult(r.result, r.plan);
    const step = decoded.summary.scenarios[0]!.steps[0]!;
    step.stats.bytesDecoded = 3 * 1024 * 1024;
    decoded.summary.global.bytesDecoded = 3 * 1024 * 1024;
    decoded.summary.global.errorKinds = { "tls: unknown CA": 2, "tls: certificate has expired": 7 };
    const out = renderHtmlReport(decoded);
    expect(out).toContain("<th>Decoded bodies</th>");
    expect(out).toContain(`data-scope="${decoded.summary.scenarios[0]!.name} / ${step.name}"`);
    expect(out.match(/<td class="decoded">3\.0 MB<\/td>/g)).toHaveLength(2);
    const kinds = [...out.matchAll(/<tr data-kind="([^"]+)"><td class="text">[^<]+<\/td><td>(\d+)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(kinds).toEqual([["tls: certificate has expired", "7"], ["tls: unknown CA", "2"]]);
  });

  test("script errors: each with its scope, message (escaped), frame and agent; no section without any", () => {
    expect(renderHtmlReport(input)).not.toContain('id="script-errors"');
    const withErrors = {
      ...input,
      scriptErrors: [
        { scenario: "browse", step: "login", message: "TypeError: <b>x</b> is undefined", frame: "flows/login.ts:12:7", agent: "agent-2" },
        { scenario: "browse", step: "default", message: "boom", agent: "local" },
      ],
    };
    const out = renderHtmlReport(withErrors);
    expect(out).toContain('<section id="script-errors">');
    const rows = [...out.matchAll(/<tr data-script-error="[^"]*"><td class="text">([^<]*)<\/td><td class="text">([^<]*)<\/td><td class="text">([^<]*)<\/td><td class="text">([^<]*)<\/td>/g)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ["browse / login", "TypeError: &lt;b>x&lt;/b> is undefined", "flows/login.ts:12:7", "agent-2"],
      ["browse / default", "boom", "", "local"],
    ]);
  });

  test("a run with no timeline renders without charts", () => {
    const page = renderHtmlReport({ ...input, timeline: [] });
    expect(page).toContain("No timeline was recorded for this run.");
    expect(page).not.toContain("<svg");
  });

  test("an hour-long run stays under 1 MB, every series thinned to at most 600 points", () => {
    const hour = syntheticRun({ seconds: 3600, scenarios: 3, steps: 2, perVu: 0.2 });
    const page = renderHtmlReport(reportInputFromResult(hour.result, hour.plan, { planYaml: hour.planYaml }));
    expect(page.length).toBeLessThan(1_000_000);
    const paths = [...page.matchAll(/<path class="line" d="([^"]*)"/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(10);
    for (const d of paths) expect(points(d)).toBeLessThanOrEqual(600);
    // the spike's peak survived the thinning: the VU axis reaches the spike's 24+ VUs
    expect(page).toMatch(/id="chart-vus"[\s\S]*?>(25|30|40|50)<\/text>/);
  }, 60_000);
});
