// The HTML report in a real headless Chromium (playwright-core): no console errors, no requests, charts drawn, narrow screens, print; an arrival-rate run's charts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renderHtmlReport } from "../../src/report/html/index.ts";
import { reportInputFromResult } from "../../src/report/model.ts";
import { ROOT, tempDir } from "../helpers.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";
import { openRun } from "./fixtures/open-run.ts";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM, launchChromium } from "./chromium.ts";

if (!CHROMIUM) console.warn("html-browser.test.ts: SKIPPED — no chromium at /usr/bin/chromium (apt-get install -y chromium)");

interface ChartInfo {
  id: string;
  paths: string[];
  drawnLengths: number[];
  texts: number;
  legend: number;
  width: number;
  height: number;
}

describe.skipIf(!CHROMIUM)("HTML report in Chromium", () => {
  let browser: Browser;
  let page: Page;
  const dir = tempDir("indus-html-");
  const file = join(dir, "report.html");
  const url = pathToFileURL(file).href;
  const openFile = join(dir, "open.html");
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    const current = syntheticRun({ seconds: 300, scenarios: 4, steps: 2, loseAgentAt: 200, agents: 3 });
    const baseline = syntheticRun({ seconds: 300, scenarios: 4, steps: 2, seed: 9, runId: "ba5e1111" });
    const html = renderHtmlReport(
      reportInputFromResult(current.result, current.plan, { planYaml: current.planYaml, planFile: "plans/shop.yaml" }),
      reportInputFromResult(baseline.result, baseline.plan, { planYaml: baseline.planYaml }),
    );
    writeFileSync(file, html);
    const open = openRun({ seconds: 120, stallAt: [50, 51, 52], closed: true, saturatedAt: [80, 81, 82, 83], loseAgentAt: 100 });
    writeFileSync(openFile, renderHtmlReport(reportInputFromResult(open.result, open.plan)));

    browser = await launchChromium(CHROMIUM!);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    page.on("request", (r) => requests.push(r.url()));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`exception: ${e.message}`));
    await page.goto(url, { waitUntil: "load" });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const evaluate = <T,>(expression: string, on = page): Promise<T> => on.evaluate(expression) as Promise<T>;

  test("loads without console errors and requests nothing but itself", () => {
    expect(problems).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r === url)).toBe(true);
  });

  test("every chart is an SVG with axes, ticks, labels, a legend and drawn paths", async () => {
    const charts = await evaluate<ChartInfo[]>(`[...document.querySelectorAll("figure.chart")].map((f) => {
      const svg = f.querySelector("svg");
      const box = svg.getBoundingClientRect();
      return {
        id: f.id,
        paths: [...svg.querySelectorAll("path")].map((p) => p.getAttribute("d") || ""),
        drawnLengths: [...svg.querySelectorAll("path.line, path.band")].map((p) => p.getTotalLength()),
        texts: svg.querySelectorAll("text").length,
        legend: f.querySelectorAll(".legend li").length,
        width: box.width,
        height: box.height,
      };
    })`);
    expect(charts.map((c) => c.id)).toEqual(["chart-vus", "chart-rps", "chart-latency", "chart-latency-scenarios", "chart-errors", "chart-error-ratio"]);
    for (const c of charts) {
      expect(c.paths.length).toBeGreaterThan(0);
      expect(c.paths.every((d) => /^M[\d.]+,[\d.]+/.test(d))).toBe(true);
      expect(c.drawnLengths.length).toBeGreaterThan(0);
      expect(c.drawnLengths.every((n) => n > 10)).toBe(true);
      expect(c.texts).toBeGreaterThan(8); // tick labels and axis labels
      expect(c.legend).toBeGreaterThan(0);
      expect(c.width).toBeGreaterThan(500);
      expect(c.height).toBeGreaterThan(150);
    }
    // the lost agent is marked where the fleet shrank, the latency thresholds as dashed lines
    expect(await evaluate<number>(`document.querySelectorAll("#chart-vus .vline").length`)).toBe(1);
    expect(await evaluate<number>(`document.querySelectorAll("#chart-latency .hline path[stroke-dasharray]").length`)).toBe(2);
    // and every other threshold with a chart in its unit: rps on the rate chart, error_ratio on the ratio chart
    expect(await evaluate<number>(`document.querySelectorAll("#chart-rps .hline path[stroke-dasharray]").length`)).toBe(1);
    expect(await evaluate<number>(`document.querySelectorAll("#chart-error-ratio .hline path[stroke-dasharray]").length`)).toBe(1);
  });

  test("an arrival-rate run adds service time vs time from the intended start, and the drops, with shading and the lost agent", async () => {
    const open = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await open.goto(pathToFileURL(openFile).href, { waitUntil: "load" });
    const charts = await evaluate<{ id: string; title: string; lines: number[]; bands: number[]; legend: string[]; shaded: number; lost: number }[]>(
      `[...document.querySelectorAll("figure.chart")].map((f) => ({
        id: f.id,
        title: f.querySelector("figcaption").textContent,
        lines: [...f.querySelectorAll("path.line")].map((p) => p.getTotalLength()),
        bands: [...f.querySelectorAll("path.band")].map((p) => p.getTotalLength()),
        legend: [...f.querySelectorAll(".legend li")].map((li) => li.textContent),
        shaded: f.querySelectorAll("rect.saturated").length,
        lost: f.querySelectorAll(".vline").length,
      }))`,
      open,
    );
    expect(charts.map((c) => c.id)).toEqual(["chart-vus", "chart-rps", "chart-latency", "chart-latency-scenarios", "chart-open-latency", "chart-dropped", "chart-errors"]);
    const latency = charts.find((c) => c.id === "chart-open-latency")!;
    expect(latency.title).toBe("Arrival rate: service time vs time from the intended start (paced)");
    expect(latency.lines).toHaveLength(4);
    expect(latency.lines.every((n) => n > 100)).toBe(true);
    expect(latency.legend).toEqual(["p95 from intended start", "p99 from intended start", "p95 service", "p99 service", "load generator saturated"]);
    expect([latency.shaded, latency.lost]).toEqual([1, 1]);
    const dropped = charts.find((c) => c.id === "chart-dropped")!;
    expect(dropped.bands).toHaveLength(1);
    expect(dropped.bands[0]!).toBeGreaterThan(100);
    expect([dropped.shaded, dropped.lost]).toEqual([1, 1]);
    // the stall is a peak of the intended-start line only: its highest point sits far above the service lines'
    const tops = await evaluate<number[]>(
      `[...document.querySelectorAll("#chart-open-latency path.line")].map((p) => p.getBBox().y)`,
      open,
    );
    expect(tops[1]!).toBeLessThan(tops[3]! - 100);
    await open.close();
  });

  test("shows the verdict, thresholds, tables, agents, baseline deltas and the plan", async () => {
    const facts = await evaluate<Record<string, unknown>>(`({
      title: document.title,
      verdict: document.querySelector(".verdict").textContent,
      thresholdRows: document.querySelectorAll("#thresholds tbody tr").length,
      failedMarks: document.querySelectorAll("#thresholds tr.fail").length,
      scenarioRows: document.querySelectorAll("#scenarios tbody tr").length,
      lostAgent: [...document.querySelectorAll("#agents tr")].some((tr) => /lost at 3m20/.test(tr.textContent)),
      deltas: document.querySelectorAll(".delta").length,
      plan: document.querySelector("pre.plan").textContent.includes("scenarios:"),
      scripts: document.scripts.length,
    })`);
    expect(facts).toMatchObject({ thresholdRows: 4, scenarioRows: 4 * 3 + 1, lostAgent: true, plan: true, scripts: 0 });
    expect(String(facts.title)).toContain("synthetic-<shop> & co");
    expect(facts.deltas as number).toBeGreaterThan(20);
  });

  test("a narrow screen scrolls tables and charts inside their boxes, not the page", async () => {
    const narrow = await browser.newPage({ viewport: { width: 375, height: 800 }, deviceScaleFactor: 2, isMobile: true });
    await narrow.goto(url, { waitUntil: "load" });
    const widths = await evaluate<{ page: number; viewport: number }>(`({ page: document.documentElement.scrollWidth, viewport: window.innerWidth })`, narrow);
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    await narrow.close();
  });

  test("prints to PDF", async () => {
    const pdf = await page.pdf({ printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  });

  test("screenshot saved to test-artifacts/report.png", async () => {
    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    writeFileSync(join(ROOT, "test-artifacts", "report.png"), png);
  });
});
