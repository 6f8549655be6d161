// A real run scraped live: /metrics of controller and agent during the run, counters equal to the run's totals; JSON logs.
import { describe, expect, test } from "bun:test";
import { writePlan } from "../helpers.ts";
import { startCluster, summaryRequests, type Proc } from "./harness.ts";
import { withTarget } from "./fixture.ts";

async function metricsPort(proc: Proc): Promise<number> {
  const line = await proc.waitFor((l) => l.includes('"metrics server listening"'), 10_000, "err");
  return Number(String(JSON.parse(line).addr).split(":").at(-1));
}

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return res.text();
}

/** Sums a metric's samples whose labels include every given label. */
function sum(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.split(" ").at(-1));
  }
  return total;
}

const typeOf = (text: string, name: string) => new RegExp(`^# TYPE ${name} (\\w+)$`, "m").exec(text)?.[1];

describe("observability of a real run", () => {
  test("controller and agent /metrics during and after a run; counters match the run; logs are JSON lines", () =>
    withTarget(async (g, target) => {
      const c = await startCluster(g, { agents: 1 });
      const [controllerPort, agentPort] = await Promise.all([metricsPort(c.controller), metricsPort(c.agents[0]!.proc)]);
      for (const port of [controllerPort, agentPort]) {
        expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
        expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      }
      const file = writePlan(
        `name: observed
scenarios:
  browse:
    duration: 4s
    think_time: 10ms
    profile: { type: constant, vus: 3 }
    steps:
      - { name: users, url: "${target.url}/api/users" }
      - { name: missing, url: "${target.url}/nope" }
`,
        g.dir(),
      );
      const run = c.spawnClient(["run", file, "--interval", "1s"]);
      await run.waitFor(/running\s+2s/, 15_000, "out");
      const during = await scrape(controllerPort);
      expect(sum(during, "indus_controller_active_vus", { scenario: "browse" })).toBe(3);
      expect(sum(during, "indus_controller_run_state", { state: "running" })).toBe(1);
      const agentDuring = await scrape(agentPort);
      expect(sum(agentDuring, "indus_agent_active_vus", { scenario: "browse" })).toBe(3);
      expect(await run.exited).toBe(0);

      const total = summaryRequests(run.stdout(), "browse");
      const after = await scrape(controllerPort);
      expect(typeOf(after, "indus_controller_requests_total")).toBe("counter");
      expect(typeOf(after, "indus_controller_request_duration_seconds")).toBe("gauge");
      expect(sum(after, "indus_controller_requests_total", { scenario: "browse" })).toBe(total);
      expect(sum(after, "indus_controller_errors_total", { scenario: "browse", step: "missing", class: "http_4xx" })).toBe(
        sum(after, "indus_controller_requests_total", { scenario: "browse", step: "missing" }),
      );
      expect(sum(after, "indus_controller_request_duration_seconds", { scenario: "browse", quantile: "0.95" })).toBeGreaterThan(0);
      expect(sum(after, "indus_controller_run_state", { state: "completed" })).toBe(1);
      const agentAfter = await scrape(agentPort);
      expect(typeOf(agentAfter, "indus_agent_requests_total")).toBe("counter");
      expect(sum(agentAfter, "indus_agent_requests_total", { scenario: "browse" })).toBe(total);
      expect(agentAfter).toContain('indus_agent_info{agent_id="agent-1"');

      // logs: one JSON object per line, with the reference README's fields and messages
      const logs = [...c.controller.logs(), ...c.agents[0]!.proc.logs()];
      for (const l of logs) for (const k of ["time", "level", "msg"]) expect(l[k]).toBeDefined();
      const msgs = logs.map((l) => l.msg);
      for (const m of ["agent gRPC server starting", "RunScenario stream opened", "assigning scenario", "scenario duration elapsed", "controller gRPC server starting"]) {
        expect(msgs).toContain(m);
      }
      const assigning = logs.find((l) => l.msg === "assigning scenario")!;
      expect(assigning).toMatchObject({ component: "agent", agent_id: "agent-1", scenario: "browse" });
      expect(typeof assigning.run_id).toBe("string");
    }));
});
