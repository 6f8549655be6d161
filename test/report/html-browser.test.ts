// The HTML report in a real headless Chromium: no console errors, no requests, charts drawn, narrow screens, print; an arrival-rate run's charts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { renderHtmlReport } from "../../src/report/html/index.ts";
import { reportInputFromResult } from "../../src/report/model.ts";
import { ROOT, tempDir } from "../helpers.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";
import { openRun } from "./fixtures/open-run.ts";
import { CHROMIUM, launchChromium, type Browser } from "./html-cdp.ts";

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
  let session: string;
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
    const { targetId } = await browser.send("Target.createTarget", { url: "about:blank" });
    ({ sessionId: session } = await browser.send("Target.attachToTarget", { targetId, flatten: true }));
    browser.on("Network.requestWillBeSent", (p, s) => s === session && requests.push(p.request.url));
    browser.on("Runtime.consoleAPICalled", (p, s) => {
      if (s === session && (p.type === "error" || p.type === "warning")) problems.push(`console.${p.type}: ${JSON.stringify(p.args)}`);
    });
    browser.on("Runtime.exceptionThrown", (p, s) => s === session && problems.push(`exception: ${p.exceptionDetails.text}`));
    browser.on("Log.entryAdded", (p, s) => {
      if (s === session && (p.entry.level === "error" || p.entry.level === "warning")) problems.push(`log ${p.entry.level}: ${p.entry.text} ${p.entry.url ?? ""}`);
    });
    for (const domain of ["Page", "Network", "Runtime", "Log"]) await browser.send(`${domain}.enable`, {}, session);
    await browser.send("Emulation.setDeviceMetricsOverride", { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false }, session);
    const loaded = new Promise<void>((resolve) => browser.on("Page.loadEventFired", (_p, s) => s === session && resolve()));
    await browser.send("Page.navigate", { url }, session);
    await loaded;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const evaluate = async <T,>(expression: string, on = session): Promise<T> => {
    const { result, exceptionDetails } = await browser.send("Runtime.evaluate", { expression, returnByValue: true }, on);
    if (exceptionDetails) throw new Error(exceptionDetails.text);
    return result.value as T;
  };

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
    expect(charts.map((c) => c.id)).toEqual(["chart-vus", "chart-rps", "chart-latency", "chart-latency-scenarios", "chart-errors"]);
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
  });

  test("an arrival-rate run adds service time vs time from the intended start, and the drops, with shading and the lost agent", async () => {
    const { targetId } = await browser.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await browser.send("Target.attachToTarget", { targetId, flatten: true });
    await browser.send("Page.enable", {}, sessionId);
    const loaded = new Promise<void>((resolve) => browser.on("Page.loadEventFired", (_p, s) => s === sessionId && resolve()));
    await browser.send("Page.navigate", { url: pathToFileURL(openFile).href }, sessionId);
    await loaded;
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
      sessionId,
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
      sessionId,
    );
    expect(tops[1]!).toBeLessThan(tops[3]! - 100);
    await browser.send("Target.closeTarget", { targetId });
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
    await browser.send("Emulation.setDeviceMetricsOverride", { width: 375, height: 800, deviceScaleFactor: 2, mobile: true }, session);
    const widths = await evaluate<{ page: number; viewport: number }>(`({ page: document.documentElement.scrollWidth, viewport: window.innerWidth })`);
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    await browser.send("Emulation.setDeviceMetricsOverride", { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false }, session);
  });

  test("prints to PDF", async () => {
    const { data } = await browser.send<{ data: string }>("Page.printToPDF", { printBackground: true }, session);
    expect(Buffer.from(data, "base64").subarray(0, 5).toString()).toBe("%PDF-");
  });

  test("screenshot saved to test-artifacts/report.png", async () => {
    const metrics = await browser.send("Page.getLayoutMetrics", {}, session);
    const { width, height } = metrics.cssContentSize;
    const { data } = await browser.send<{ data: string }>(
      "Page.captureScreenshot",
      { format: "png", captureBeyondViewport: true, clip: { x: 0, y: 0, width, height, scale: 1 } },
      session,
    );
    const png = Buffer.from(data, "base64");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    writeFileSync(join(ROOT, "test-artifacts", "report.png"), png);
  });
});
