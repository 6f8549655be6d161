// `indus controller --ui-addr` with two real agents, in Chromium: the runs list, a run's live page, an agent killed shows as lost, Abort, downloads.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { constantPlan } from "../distributed/plans.ts";
import { ProcGroup, startCluster, type Cluster, type Proc } from "../distributed/harness.ts";
import { createMockServer } from "../../src/mock/index.ts";
import { CHROMIUM, openPage, type Page } from "./page.ts";

if (!CHROMIUM) console.warn("dashboard/controller.test.ts: SKIPPED — no chromium at /usr/bin/chromium");

describe.skipIf(!CHROMIUM)("indus controller --ui-addr, two agents, in Chromium", () => {
  const group = new ProcGroup();
  const target = createMockServer({ port: 0, latency: 2, quiet: true });
  let cluster: Cluster;
  let ui: string;
  let page: Page;
  let first: string;

  beforeAll(async () => {
    cluster = await startCluster(group, { agents: 2, controllerArgs: ["--ui-addr=127.0.0.1:0"] });
    const line = await cluster.controller.waitFor(/controller dashboard listening/, 10_000, "err");
    ui = (JSON.parse(line) as { url: string }).url;
    // a short run first, so that the list has a stored one with reports
    const done = await cluster.client(["run", constantPlan({ target: target.url, vus: 2, seconds: 2, name: "first" }, group.dir())], 30_000);
    expect(done.code).toBe(0);
    first = /Run started: ([0-9a-f]{8})/.exec(done.stdout)![1]!;
    page = await openPage(CHROMIUM!);
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await group.stop();
    await target.stop();
  });

  test("the home page lists stored runs with their reports, and the agents", async () => {
    await page.goto(ui);
    expect(await page.evaluate<string[]>(`[...document.querySelectorAll("#runs tbody tr")].map((r) => r.dataset.run)`)).toContain(first);
    const links = await page.evaluate<string[]>(`[...document.querySelectorAll('#runs tr[data-run="${first}"] td.links a')].map((a) => a.getAttribute("href"))`);
    expect(links).toEqual([`/runs/${first}/report.html`, `/runs/${first}/report.json`, `/runs/${first}/junit.xml`]);
    expect(await page.evaluate<string[]>(`[...document.querySelectorAll("#agents tbody tr")].map((r) => r.dataset.agent).sort()`)).toEqual(["agent-1", "agent-2"]);
    for (const [path, type] of [["report.html", "text/html"], ["report.json", "application/json"], ["junit.xml", "application/xml"]] as const) {
      const res = await fetch(new URL(`/runs/${first}/${path}`, ui));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toStartWith(type);
      expect((await res.text()).length).toBeGreaterThan(200);
    }
    // a stored run's page is its report
    await page.goto(new URL(`/runs/${first}`, ui).href);
    expect(await page.evaluate<string>(`document.querySelector(".badge.state-completed").textContent`)).toBe("completed");
  });

  test("a live run's page: an agent killed mid-run shows as lost; Abort ends the run (exit 1, aborted)", async () => {
    const plan = constantPlan({ target: target.url, vus: 4, seconds: 40, name: "watched", policy: "continue" }, group.dir());
    const client: Proc = cluster.spawnClient(["run", plan, "--interval", "1s"]);
    const id = /Run started: ([0-9a-f]{8})/.exec(await client.waitFor(/Run started: /, 20_000, "out"))![1]!;
    await page.goto(ui);
    await page.waitFor("the run in the list", `!!document.querySelector('#runs tr[data-run="${id}"] a')`, 10_000);
    await page.evaluate(`document.querySelector('#runs tr[data-run="${id}"] a').click()`);
    await page.waitFor("the run's live page", `location.pathname === "/runs/${id}" && document.readyState === "complete" && !!document.getElementById("abort")`, 10_000);
    await page.waitFor("both agents active", `document.querySelectorAll('#agents tr[data-state="active"]').length === 2`, 10_000);
    cluster.agents[1]!.proc.kill("SIGKILL");
    await page.waitFor("agent-2 lost", `document.querySelector('#agents tr[data-agent="agent-2"]')?.dataset.state === "lost"`, 15_000);
    expect(await page.evaluate<string>(`document.querySelector('#agents tr[data-agent="agent-2"]').textContent`)).toMatch(/lost at [\d.]+s/);
    expect(await page.evaluate<number>(`document.querySelectorAll("#chart-vus .vline").length`)).toBe(1);
    await page.screenshot("dashboard-controller.png", { full: true });

    await page.evaluate(`document.getElementById("abort").click()`);
    await page.evaluate(`document.getElementById("abort").click()`);
    expect(await client.exited).toBe(1);
    expect(client.stdout()).toMatch(new RegExp(`Run aborted: ${id} \\(aborted from the dashboard by 127\\.0\\.0\\.1\\)`));
    await page.waitFor("the page to become the report", `document.getElementById("livebar").classList.contains("ended")`, 10_000);
    expect(await page.evaluate<string>(`document.querySelector(".head h1 + .badge").textContent`)).toBe("aborted");
    const logged = cluster.controller.logs().find((l) => l.msg === "dashboard abort requested");
    expect(logged).toMatchObject({ run_id: id, remote: "127.0.0.1" });
    const origin = new URL(ui).origin;
    expect(page.requests.filter((r) => !r.startsWith(origin + "/"))).toEqual([]);
    expect(page.problems).toEqual([]);
  }, 60_000);

  test("a POST from another origin, or without the action header, is refused and logged", async () => {
    const refused = await fetch(new URL(`/runs/${first}/abort`, ui), { method: "POST", headers: { Origin: "http://evil.example", "X-Indus-Action": "abort" } });
    expect(refused.status).toBe(403);
    const bare = await fetch(new URL(`/runs/${first}/abort`, ui), { method: "POST", headers: { Origin: new URL(ui).origin } });
    expect(bare.status).toBe(403);
    // DNS rebinding: another name for 127.0.0.1 gets nothing
    const rebound = await fetch(new URL("/", ui), { headers: { Host: "evil.example" } });
    expect(rebound.status).toBe(421);
  });
});
