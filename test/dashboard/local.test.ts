// `indus run --dashboard` in a real headless Chromium: the page loads, charts move each second, a threshold turns red, Stop ends the run (exit 1, aborted, stored).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openRunStore } from "../../src/store/index.ts";
import { ProcGroup, type Proc } from "../distributed/harness.ts";
import { ROOT, writePlan } from "../helpers.ts";
import { chartPoints, CHROMIUM, openPage, type Page } from "./page.ts";

if (!CHROMIUM) console.warn("dashboard/local.test.ts: SKIPPED — no chromium at /usr/bin/chromium");

describe.skipIf(!CHROMIUM)("indus run --dashboard, in Chromium", () => {
  const group = new ProcGroup();
  // the target answers fast until told to be slow: the p95 threshold then fails while the page watches
  const target = { slowMs: 0 };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async () => {
      if (target.slowMs) await Bun.sleep(target.slowMs);
      return new Response("ok");
    },
  });
  let run: Proc;
  let page: Page;
  let url: string;
  let runId: string;

  beforeAll(async () => {
    const dir = group.dir();
    const plan = writePlan(
      `name: dashboard-demo
scenarios:
  browse:
    duration: 40s
    think_time: 20ms
    profile: { type: ramp_up, start_vus: 2, end_vus: 8 }
    steps:
      - { name: home, url: "http://127.0.0.1:${server.port}/", tags: { page: home }, check: { status: 200 } }
      - { name: about, url: "http://127.0.0.1:${server.port}/about", tags: { page: about } }
thresholds:
  - { metric: p95, condition: "<", value: 60 }
  - { metric: error_ratio, condition: "<", value: 0.01 }
`,
      dir,
    );
    run = group.spawn("run", ["run", plan, "--dashboard=127.0.0.1:0", "--data-dir", group.dataDir, "--interval", "1s"]);
    url = /Dashboard: (\S+)/.exec(await run.waitFor(/^Dashboard: /, 20_000, "err"))![1]!;
    runId = /Run started: ([0-9a-f]{8})/.exec(await run.waitFor(/Run started: /, 20_000, "out"))![1]!;
    page = await openPage(CHROMIUM!);
    await page.goto(url);
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await group.stop();
    server.stop(true);
  });

  test("the page loads as the run's page, live", async () => {
    expect(await page.evaluate<string>("location.pathname")).toBe(`/runs/${runId}`);
    expect(await page.evaluate<string>(`document.querySelector(".head h1 + .badge").textContent`)).toBe("running");
    expect(await page.evaluate<string>(`document.getElementById("elapsed").textContent`)).toMatch(/ \/ 40s$/);
    expect(await page.evaluate<boolean>(`!!document.getElementById("stop")`)).toBe(true);
  });

  test("charts gain points every second while the run goes", async () => {
    const seen: number[] = [await page.waitFor<number>("a first point", chartPoints("chart-rps"))];
    for (let i = 0; i < 3; i++) {
      const before = seen.at(-1)!;
      seen.push(await page.waitFor<number>("a new point", `(${chartPoints("chart-rps")}) > ${before} && ${chartPoints("chart-rps")}`, 4000));
    }
    expect(seen[3]! - seen[0]!).toBeGreaterThanOrEqual(3);
    // the VU chart draws the plan's target beside what ran
    expect(await page.evaluate<number>(`document.querySelectorAll("#chart-vus path.line[stroke-dasharray]").length`)).toBe(1);
    // checks are counted live
    expect(await page.evaluate<boolean>(`!!document.querySelector("#checks")`)).toBe(true);
    // steps with tags: a line per tag
    expect(await page.evaluate<string[]>(`[...document.querySelectorAll("#chart-tags-rps .legend li:not(.saturated-legend)")].map((li) => li.textContent)`)).toEqual(["page=home", "page=about"]);
    expect(await page.evaluate<string>(`document.querySelector(".head .badge.verdict").textContent`)).toContain("PASSED so far");
    await page.screenshot("dashboard-live.png");
  });

  test("a threshold turns red when it fails", async () => {
    const row = `document.querySelector("#thresholds tbody tr")`;
    expect(await page.evaluate<string>(`${row}.className`)).toBe("pass");
    target.slowMs = 120;
    await page.waitFor("the p95 threshold to fail", `${row}.className === "fail"`, 20_000);
    const color = await page.evaluate<string>(`getComputedStyle(${row}.querySelector("td.mark")).color`);
    expect(color).toBe("rgb(192, 57, 43)"); // --fail
    expect(await page.evaluate<string>(`${row}.querySelectorAll("td")[4].textContent`)).toMatch(/^\d+s$/); // first failed at
    expect(await page.evaluate<string>(`document.querySelector(".head .badge.verdict").textContent`)).toContain("FAILED so far");
    // the README's picture: INDUS_UPDATE_SCREENSHOTS=1 writes it into docs/ (committed on purpose)
    await page.screenshot("dashboard-threshold.png", { height: 1640, ...(process.env.INDUS_UPDATE_SCREENSHOTS ? { alsoTo: join(ROOT, "docs", "dashboard.png") } : {}) });
  });

  test("Stop ends the run: exit 1, aborted, stored, and the page becomes its report", async () => {
    await page.evaluate(`document.getElementById("stop").click()`);
    expect(await page.evaluate<string>(`document.getElementById("stop").textContent`)).toBe("Confirm stop");
    await page.evaluate(`document.getElementById("stop").click()`);
    const code = await run.exited;
    expect(code).toBe(1);
    expect(run.stdout()).toMatch(new RegExp(`Run aborted: ${runId} \\(stopped from the dashboard by 127\\.0\\.0\\.1\\)`));
    expect(run.stderr()).toContain('"dashboard stop requested"');
    const store = openRunStore(group.dataDir);
    try {
      const stored = store.getRun(runId)!;
      expect(stored.state).toBe("aborted");
      expect(stored.timeline.length).toBeGreaterThan(3);
    } finally {
      store.close();
    }
    await page.waitFor("the page to end", `document.getElementById("livebar").classList.contains("ended")`, 5000);
    expect(await page.evaluate<string>(`document.querySelector(".head h1 + .badge").textContent`)).toBe("aborted");
    expect(await page.evaluate<boolean>(`!document.getElementById("stop")`)).toBe(true);
    expect(await page.evaluate<boolean>(`document.getElementById("downloads").hidden`)).toBe(false);
    await page.screenshot("dashboard-end.png", { full: true });
  }, 30_000);

  test("the page asked nothing outside its own origin, and logged no error", () => {
    const origin = new URL(url).origin;
    expect(page.requests.length).toBeGreaterThan(2);
    expect(page.requests.filter((r) => !r.startsWith(origin + "/"))).toEqual([]);
    expect(page.requests).toContain(`${origin}/app.js`);
    expect(page.requests).toContain(`${origin}/runs/${runId}/events`);
    expect(page.problems).toEqual([]);
  });
});
