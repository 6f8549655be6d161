// The dashboard server in this process, fed a recorded run second by second: HTTPS, read-only mode, a finished run's stream, one render per second for all.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startDashboard, type Dashboard, type DashboardAction } from "../../src/report/live/index.ts";
import { makeTestPki, type TestPki } from "../transport/certs.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";

const quiet = { info() {}, warn() {} };

function feed(d: Dashboard, run: ReturnType<typeof syntheticRun>, seconds: number): void {
  const r = run.result;
  d.begin({ id: r.runId, plan: run.plan, planYaml: run.planYaml, planFile: "shop.yaml", startedAt: r.startedAt, agents: r.agents.map((a) => ({ id: a.id, address: a.address })) });
  for (const entry of r.timeline.slice(0, seconds)) {
    d.second(r.runId, entry);
    d.update(r.runId, { row: { state: "running", elapsedMs: entry.t * 1000, vus: 0, rps: 0, p95: NaN, errorRatio: 0 }, thresholds: [], agents: r.agents.map((a) => ({ ...a, state: "active", vus: 3 })) });
  }
}

describe("dashboard server", () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await makeTestPki();
  });
  const started: Dashboard[] = [];
  afterAll(async () => {
    for (const d of started) await d.stop();
  });
  const start = (o: Partial<Parameters<typeof startDashboard>[0]> = {}) => {
    const acted: string[] = [];
    const d = startDashboard({
      hostname: "127.0.0.1",
      port: 0,
      mode: "controller",
      token: undefined,
      tls: undefined,
      readonly: false,
      logger: quiet,
      backend: { act: (a: DashboardAction, id: string) => (acted.push(`${a} ${id}`), true) },
      ...o,
    });
    started.push(d);
    return { d, acted };
  };

  test("serves HTTPS with the controller's certificate", async () => {
    const { d } = start({ tls: { cert: pki.serverCert, key: pki.serverKey } });
    expect(d.url).toStartWith("https://127.0.0.1:");
    const res = await fetch(d.url, { tls: { ca: pki.ca } } as RequestInit);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("indus controller");
  });

  test("with a CA (the controller's --tls-ca), only a client holding a certificate it signed gets the page", async () => {
    const { d } = start({ tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca } });
    const withCert = await fetch(d.url, { tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } } as RequestInit);
    expect(withCert.status).toBe(200);
    expect(await withCert.text()).toContain("indus controller");
    const refused = async (tls: Record<string, string>) => {
      try {
        await fetch(d.url, { tls } as RequestInit);
        return "served";
      } catch {
        return "refused";
      }
    };
    expect(await refused({ ca: pki.ca })).toBe("refused"); // no certificate
    expect(await refused({ ca: pki.ca, cert: pki.otherCa, key: pki.otherKey })).toBe("refused"); // a pair the CA never signed
  });

  test("read-only: no buttons on a live run's page, and its POSTs refused", async () => {
    const run = syntheticRun({ seconds: 20, scenarios: 2, steps: 1 });
    const { d, acted } = start({ readonly: true });
    feed(d, run, 5);
    const page = await (await fetch(new URL(`/runs/${run.result.runId}`, d.url))).text();
    expect(page).toContain("live, every second");
    expect(page).not.toContain('id="stop"');
    expect(page).not.toContain('id="abort"');
    const origin = new URL(d.url).origin;
    const res = await fetch(new URL(`/runs/${run.result.runId}/stop`, d.url), { method: "POST", headers: { Origin: origin, "X-Indus-Action": "stop" } });
    expect(res.status).toBe(403);
    expect(acted).toEqual([]);
  });

  test("with controls: a same-origin POST reaches the backend once", async () => {
    const run = syntheticRun({ seconds: 20, scenarios: 1, steps: 1, runId: "c0ffee01" });
    const { d, acted } = start();
    feed(d, run, 3);
    const page = await (await fetch(new URL(`/runs/c0ffee01`, d.url))).text();
    expect(page).toContain('id="stop"');
    expect(page).toContain('id="abort"');
    const origin = new URL(d.url).origin;
    const res = await fetch(new URL(`/runs/c0ffee01/abort`, d.url), { method: "POST", headers: { Origin: origin, "X-Indus-Action": "abort", "Sec-Fetch-Site": "same-origin" } });
    expect(res.status).toBe(202);
    expect(acted).toEqual(["abort c0ffee01"]);
  });

  test("a finished run's stream sends its report once and ends; its downloads are served", async () => {
    const run = syntheticRun({ seconds: 20, scenarios: 2, steps: 1, runId: "f1a15e01" });
    const { d } = start();
    feed(d, run, 20);
    d.finish({ ...run.result });
    const body = await (await fetch(new URL(`/runs/f1a15e01/events`, d.url))).text();
    const frames = body.split("\n\n").filter(Boolean);
    expect(frames.length).toBe(1);
    const data = JSON.parse(frames[0]!.split("\ndata: ")[1]!);
    expect(data.live).toBe(false);
    expect(data.html).toContain('id="charts"');
    for (const [path, type] of [["report.html", "text/html"], ["report.json", "application/json"], ["junit.xml", "application/xml"]]) {
      const res = await fetch(new URL(`/runs/f1a15e01/${path}`, d.url));
      expect(res.headers.get("content-type")).toStartWith(type!);
      expect(res.headers.get("content-disposition")).toContain("indus-f1a15e01");
    }
  });

  test("watchers of one run share each second's frame: all get the same bytes", async () => {
    const run = syntheticRun({ seconds: 30, scenarios: 2, steps: 1, runId: "5a3e0001" });
    const { d } = start();
    feed(d, run, 2);
    const streams = await Promise.all(Array.from({ length: 5 }, () => fetch(new URL(`/runs/5a3e0001/events`, d.url))));
    while (d.watchers("5a3e0001") < 5) await Bun.sleep(5);
    const bodies = streams.map((s) => s.text());
    // seconds 3..30 with everyone connected, then the end
    const r = run.result;
    for (const entry of r.timeline.slice(2)) {
      d.second(r.runId, entry);
      d.update(r.runId, { row: { state: "running", elapsedMs: entry.t * 1000, vus: 0, rps: 0, p95: NaN, errorRatio: 0 }, thresholds: [] });
      // a second is long: the watchers take each frame before the next (a burst would drop them as slow)
      await Bun.sleep(20);
    }
    expect(d.watchers("5a3e0001")).toBe(5);
    d.finish({ ...r });
    const texts = await Promise.all(bodies);
    const lasts = texts.map((t) => t.trim().split("\n\n").at(-1));
    expect(new Set(lasts).size).toBe(1);
    expect(JSON.parse(lasts[0]!.split("\ndata: ")[1]!).live).toBe(false);
  });
});
