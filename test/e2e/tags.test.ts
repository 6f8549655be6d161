// Tags end to end with real processes (compiled bin/indus): a controller and two agents on 127.0.0.1 run a plan whose
// step "get" carries two tag values (a step tag overriding its scenario's, in two scenarios) and whose data-driven step
// carries a tag per data row; the JSON report's per-tag counts equal what the target itself counted per path, a
// tag-scoped threshold is judged on exactly those requests, /metrics has tag_<key> labels, and --summary-by prints the
// breakdown. A templated tag value is refused with exit 2.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ProcGroup, startCluster, type Proc } from "../distributed/harness.ts";
import { runIndus, writePlan } from "../helpers.ts";

const group = new ProcGroup();
const hits = new Map<string, number>();
let target: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  target = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      return new Response("ok");
    },
  });
});
afterAll(async () => {
  await group.stop();
  target.stop(true);
});

const PLAN = (base: string) => `name: tagged
scenarios:
  users:
    duration: 2s
    think_time: 20ms
    profile: { type: constant, vus: 2 }
    tags: { endpoint: users, team: web }
    steps:
      - name: get
        url: "${base}/api/users"
  orders:
    duration: 2s
    think_time: 20ms
    profile: { type: constant, vus: 2 }
    tags: { endpoint: users, team: web }
    steps:
      - name: get
        url: "${base}/api/orders"
        tags: { endpoint: orders }
  catalog:
    duration: 2s
    think_time: 20ms
    profile: { type: constant, vus: 2 }
    data: { file: kinds.csv, tags: [kind] }
    steps:
      - name: item
        url: "${base}/api/items/{{path}}"
thresholds:
  - { metric: p95, condition: "<", value: 2000, tags: { endpoint: users } }
  - { metric: requests, condition: ">", value: 0, tags: { endpoint: orders } }
  - { metric: requests, condition: ">", value: 0, scenario: catalog, step: item, tags: { kind: beta } }
`;

async function metricsPort(proc: Proc): Promise<number> {
  const line = await proc.waitFor((l) => l.includes('"metrics server listening"'), 10_000, "err");
  return Number(String(JSON.parse(line).addr).split(":").at(-1));
}

/** Sums a metric's samples whose labels include every given label. */
function sum(text: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

describe("tags across a controller and two agents (compiled binary)", () => {
  test("per-tag counts equal the target's per-path counts; tag-scoped thresholds; tag_<key> labels; --summary-by", async () => {
    const dir = group.dir();
    writeFileSync(join(dir, "kinds.csv"), "kind,path\nalpha,a1\nbeta,b1\nalpha,a2\nbeta,b2\n");
    const plan = writePlan(PLAN(`http://127.0.0.1:${target.port}`), dir);
    const cluster = await startCluster(group, { agents: 2 });
    const port = await metricsPort(cluster.controller);
    const json = join(dir, "run.json");
    const run = await cluster.client(["run", plan, "--interval", "1s", "--report", json, "--summary-by", "tag:endpoint", "--summary-by", "tag:kind"], 60_000);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);

    const count = (path: string) => hits.get(path) ?? 0;
    const kind = (k: string) => [...hits].filter(([p]) => p.startsWith(`/api/items/${k[0]}`)).reduce((n, [, c]) => n + c, 0);
    expect(count("/api/users")).toBeGreaterThan(0);
    expect(count("/api/orders")).toBeGreaterThan(0);
    expect(kind("alpha")).toBeGreaterThan(0);
    expect(kind("beta")).toBeGreaterThan(0);

    const report = JSON.parse(readFileSync(json, "utf8"));
    const byKey = (key: string) => Object.fromEntries(report.summary.tags.find((t: { key: string }) => t.key === key).values.map((v: { value: string; requests: number }) => [v.value, v.requests]));
    // step "get" carried endpoint=users in one scenario and endpoint=orders (its own tag) in the other
    expect(byKey("endpoint")).toEqual({ users: count("/api/users"), orders: count("/api/orders") });
    expect(byKey("team")).toEqual({ web: count("/api/users") + count("/api/orders") });
    // one step, a tag value per data row
    expect(byKey("kind")).toEqual({ alpha: kind("alpha"), beta: kind("beta") });
    const sets = report.summary.tag_sets.map((s: { tags: Record<string, string>; requests: number }) => [s.tags, s.requests]);
    expect(sets).toContainEqual([{ endpoint: "orders", team: "web" }, count("/api/orders")]);
    expect(report.summary.tags.every((t: { folded_values: number }) => t.folded_values === 0)).toBe(true);

    // thresholds judged on exactly the tagged requests, merged across both agents
    expect(report.thresholds.map((t: { passed: boolean }) => t.passed)).toEqual([true, true, true]);
    expect(report.thresholds[1].actual).toBe(count("/api/orders"));
    expect(report.thresholds[2].actual).toBe(kind("beta"));
    expect(report.thresholds[2].label).toContain("{kind=beta}");
    expect(report.thresholds[0].scope.tags).toEqual({ endpoint: "users" });

    // the end-of-run summary broke the run down by the tags asked for
    expect(run.stdout).toContain("BY TAG endpoint:");
    expect(run.stdout).toContain("BY TAG kind:");
    expect(run.stdout).not.toContain("BY TAG team:");
    expect(run.stdout).toMatch(new RegExp(`\\n\\s*orders\\s+${count("/api/orders")}\\s`));

    // Prometheus: the tagged series add up to the target's counts, and the step's untagged series holds the rest (none)
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(sum(text, "indus_controller_requests_total", { scenario: "orders", step: "get", tag_endpoint: "orders", tag_team: "web" })).toBe(count("/api/orders"));
    expect(sum(text, "indus_controller_requests_total", { tag_kind: "beta" })).toBe(kind("beta"));
    expect(sum(text, "indus_controller_requests_total", {})).toBe(report.summary.global.requests);
    expect(text).toMatch(/indus_controller_request_duration_seconds\{[^}]*tag_endpoint="users"[^}]*\} /);

    // the same report from the controller's store
    const id = /Run started: ([0-9a-f]{8})/.exec(run.stdout)![1]!;
    const stored = await cluster.client(["report", id, "--format=json"]);
    expect(JSON.parse(stored.stdout).summary.tags).toEqual(report.summary.tags);
  }, 90_000);

  test("a templated tag value is refused with exit 2, naming where and what", async () => {
    const plan = writePlan(`scenarios:
  s:
    duration: 1s
    profile: { type: constant, vus: 1 }
    steps:
      - name: a
        url: "http://127.0.0.1:1/"
        tags: { user: "{{user.id}}" }
`);
    const r = await runIndus(["validate", plan]);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain("scenarios.s.steps[0].tags.user");
    expect(r.stderr + r.stdout).toContain('"{{user.id}}" is templated');
    expect(r.stderr + r.stdout).not.toMatch(/^\s+at /m);
  });
});
