// The run store against real SQLite files: round trip, prefixes, listing, pruning, and aborted runs.
import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { openRunStore, type RunStore } from "../../src/store/index.ts";
import { tempDir } from "../helpers.ts";
import { syntheticRun, type SyntheticRun } from "./fixtures/synthetic-run.ts";

const open: RunStore[] = [];
const dirs: string[] = [];
function freshStore(keepRuns?: number): RunStore {
  const dir = tempDir("indus-store-");
  dirs.push(dir);
  const store = openRunStore(dir, { keepRuns });
  open.push(store);
  return store;
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** above Linux's pid_max: no such process */
const DEAD_PID = 0x7ffffff0;
function setOwner(store: RunStore, id: string, pid: number) {
  const db = new Database(store.path);
  db.run("UPDATE runs SET owner_pid = ? WHERE id = ?", [pid, id]);
  db.close();
}

function create(store: RunStore, run: SyntheticRun, origin: "local" | "controller" = "controller") {
  store.createRun({
    id: run.result.runId,
    planName: run.plan.name,
    planYaml: run.planYaml,
    planFile: "plans/synthetic.yaml",
    plan: run.plan,
    startedAt: run.result.startedAt,
    origin,
    agents: run.result.agents.map((a) => ({ id: a.id, address: a.address })),
  });
}

describe("run store", () => {
  const run = syntheticRun({ seconds: 20, scenarios: 2, steps: 2, loseAgentAt: 12 });

  test("round trip: create, append seconds, finish, get", () => {
    const store = freshStore();
    create(store, run);
    for (const entry of run.result.timeline.slice(0, 15)) store.appendSecond(run.result.runId, entry);

    const running = store.getRun(run.result.runId)!;
    expect(running.state).toBe("running");
    expect(running.passed).toBeUndefined();
    expect(running.timeline).toHaveLength(15);
    expect(running.durationMs).toBe(15_000);
    expect(running.summaryFromTimeline).toBe(true);
    expect(running.agents.map((a) => a.state)).toEqual(["active", "active"]);

    store.finishRun(run.result.runId, run.result);
    const got = store.getRun(run.result.runId)!;
    expect(got).toMatchObject({
      id: run.result.runId,
      planName: run.plan.name,
      planYaml: run.planYaml,
      planFile: "plans/synthetic.yaml",
      origin: "controller",
      state: run.result.state,
      durationMs: 20_000,
      passed: run.result.passed,
      summaryFromTimeline: false,
    });
    expect(got.plan).toEqual(JSON.parse(JSON.stringify(run.plan)));
    expect(got.startedAt.getTime()).toBe(run.result.startedAt.getTime());
    expect(got.endedAt!.getTime()).toBe(run.result.startedAt.getTime() + 20_000);
    // NaN-free stats compare exactly; every timeline second (the 5 not appended too) is there, bytes intact
    expect(got.summary).toEqual(run.result.summary);
    expect(got.timeline).toHaveLength(20);
    expect(got.timeline).toEqual(run.result.timeline);
  });

  test("without the timeline: everything else the same; a run with no stored summary still gets one from its seconds", () => {
    const store = freshStore();
    create(store, run);
    for (const entry of run.result.timeline.slice(0, 15)) store.appendSecond(run.result.runId, entry);
    const running = store.getRun(run.result.runId, { timeline: false })!;
    const runningFull = store.getRun(run.result.runId)!;
    expect(running.timeline).toEqual([]);
    expect({ ...running, timeline: runningFull.timeline }).toEqual(runningFull);
    expect(running.summaryFromTimeline).toBe(true);
    expect(running.durationMs).toBe(15_000);

    store.finishRun(run.result.runId, run.result);
    const light = store.getRun(run.result.runId.slice(0, 6), { timeline: false })!;
    const full = store.getRun(run.result.runId)!;
    expect(light.timeline).toEqual([]);
    expect({ ...light, timeline: full.timeline }).toEqual(full);
  });

  test("thresholds keep their verdict, actual value and first failure", () => {
    const store = freshStore();
    create(store, run);
    store.finishRun(run.result.runId, run.result);
    const got = store.getRun(run.result.runId)!;
    expect(got.thresholds).toEqual(run.result.thresholds);
    const failed = got.thresholds.find((t) => !t.passed)!;
    expect(failed.label).toBe("p99 < 250");
    expect(failed.firstFailedAtMs).toBe(8000);
    expect(failed.threshold).toMatchObject({ metric: "p99", condition: "<", value: 250, scenario: "checkout" });
    expect(got.thresholds.filter((t) => t.passed).every((t) => t.firstFailedAtMs === undefined)).toBe(true);
  });

  test("agents: who did what, the lost one with when", () => {
    const store = freshStore();
    create(store, run);
    store.finishRun(run.result.runId, run.result);
    const [a1, a2] = store.getRun(run.result.runId)!.agents;
    expect(a1).toEqual(run.result.agents[0]!);
    expect(a2).toMatchObject({ id: "agent-2", state: "lost", lostAtMs: 12_350 });
    expect(a2!.stats!.requests).toBe(a2!.requests);
    expect(a1!.requests + a2!.requests).toBe(run.result.summary.global.requests);
  });

  test("NaN latencies (a scope with no samples) survive as NaN", () => {
    const store = freshStore();
    const quiet = syntheticRun({ seconds: 3, scenarios: 1, steps: 1, runId: "0000aaaa" });
    const result = structuredClone(quiet.result);
    result.timeline = [];
    const stats = result.summary.global;
    Object.assign(stats, { requests: 0, errors: 0, errorsByClass: {}, min: NaN, max: NaN, mean: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN });
    result.thresholds = result.thresholds.map((t) => ({ ...t, actual: NaN }));
    create(store, { ...quiet, result });
    store.finishRun(result.runId, result);
    const got = store.getRun(result.runId)!;
    expect(got.summary.global.p95).toBeNaN();
    expect(got.summary.global.requests).toBe(0);
    expect(got.thresholds[0]!.actual).toBeNaN();
  });

  test("get by unique prefix; an ambiguous prefix is an error that lists the matches", () => {
    const store = freshStore();
    for (const id of ["abc12345", "abc19999", "f00dbabe"]) create(store, syntheticRun({ seconds: 2, scenarios: 1, steps: 1, runId: id }));
    expect(store.getRun("f00")!.id).toBe("f00dbabe");
    expect(store.getRun("abc123")!.id).toBe("abc12345");
    expect(store.getRun("abc19999")!.id).toBe("abc19999");
    expect(store.getRun("zzz")).toBeUndefined();
    expect(store.getRun("")).toBeUndefined();
    expect(() => store.getRun("abc")).toThrow(/abc19999.*abc12345|abc12345.*abc19999/);
    expect(store.getRun("%")).toBeUndefined();
  });

  test("list newest first, with the summary's headline figures", () => {
    const store = freshStore();
    const base = Date.parse("2026-03-01T10:00:00Z");
    const runs = [0, 1, 2].map((i) => syntheticRun({ seconds: 3, scenarios: 1, steps: 1, runId: `0000000${i}`, startedAt: new Date(base + i * 60_000) }));
    for (const r of runs) create(store, r, "local");
    store.finishRun(runs[0]!.result.runId, runs[0]!.result);
    store.finishRun(runs[2]!.result.runId, runs[2]!.result);
    store.appendSecond(runs[1]!.result.runId, runs[1]!.result.timeline[0]!);

    const list = store.listRuns({ limit: 10 });
    expect(list.map((r) => r.id)).toEqual(["00000002", "00000001", "00000000"]);
    expect(list[0]).toMatchObject({ state: runs[2]!.result.state, origin: "local", durationMs: 3000, requests: runs[2]!.result.summary.global.requests });
    expect(list[0]!.p95).toBeCloseTo(runs[2]!.result.summary.global.p95, 9);
    expect(list[1]).toMatchObject({ state: "running", passed: undefined, requests: undefined, durationMs: 1000 });
    expect(store.listRuns({ limit: 1 }).map((r) => r.id)).toEqual(["00000002"]);
  });

  test("prune keeps the newest keepRuns and their timelines only", () => {
    const store = freshStore(2);
    const base = Date.parse("2026-03-01T10:00:00Z");
    for (let i = 0; i < 5; i++) {
      const r = syntheticRun({ seconds: 2, scenarios: 1, steps: 1, runId: `1000000${i}`, startedAt: new Date(base + i * 1000) });
      create(store, r);
      store.finishRun(r.result.runId, r.result);
    }
    expect(store.prune()).toBe(3);
    expect(store.listRuns({ limit: 10 }).map((r) => r.id)).toEqual(["10000004", "10000003"]);
    expect(store.getRun("10000000")).toBeUndefined();
    expect(store.prune()).toBe(0);
    // cascades reached the child tables
    const db = new Database(store.path, { readonly: true });
    for (const table of ["timeline", "run_agents", "thresholds"]) {
      const n = (db.query(`SELECT COUNT(DISTINCT run_id) AS n FROM ${table}`).get() as { n: number }).n;
      expect(n).toBe(2);
    }
    db.close();
  });

  test("markInFlightAborted: a run whose process died becomes aborted, keeps its timeline, and gets a summary and verdicts", () => {
    const store = freshStore();
    create(store, run);
    for (const entry of run.result.timeline.slice(0, 9)) store.appendSecond(run.result.runId, entry);
    const finished = syntheticRun({ seconds: 2, scenarios: 1, steps: 1, runId: "d0d0d0d0" });
    create(store, finished);
    store.finishRun("d0d0d0d0", finished.result);
    setOwner(store, run.result.runId, DEAD_PID);

    expect(store.markInFlightAborted()).toEqual([run.result.runId]);
    expect(store.markInFlightAborted()).toEqual([]);
    const got = store.getRun(run.result.runId)!;
    expect(got).toMatchObject({ state: "aborted", reason: "process died", passed: false, durationMs: 9000, summaryFromTimeline: true });
    expect(got.endedAt!.getTime()).toBe(run.result.startedAt.getTime() + 9000);
    expect(got.timeline).toHaveLength(9);
    const requests = got.timeline.reduce((n, e) => n + Object.values(e.snapshot.scenarios).reduce((m, sc) => m + Object.values(sc.steps).reduce((k, st) => k + st.requests, 0), 0), 0);
    expect(got.summary.global.requests).toBe(requests);
    expect(got.summary.global.p95).toBeGreaterThan(0);
    expect(got.thresholds.map((t) => t.label)).toEqual(run.result.thresholds.map((t) => t.label));
    // the one judge replays the seconds: a failed verdict says when it first failed
    expect(got.thresholds.every((t) => t.passed || t.firstFailedAtMs !== undefined)).toBe(true);
    expect(got.agents.every((a) => a.state === "failed")).toBe(true);
    expect(store.getRun("d0d0d0d0")!.state).toBe(finished.result.state);
  });

  test("markInFlightAborted leaves a run alone while its process lives and makes progress", () => {
    const store = freshStore();
    const live = syntheticRun({ seconds: 5, scenarios: 1, steps: 1, runId: "11ve0001", startedAt: new Date() });
    create(store, live);
    store.appendSecond("11ve0001", live.result.timeline[0]!);
    expect(store.markInFlightAborted()).toEqual([]);
    expect(store.getRun("11ve0001")!.state).toBe("running");
    // alive but silent for longer than staleAfterMs: its pid was reused
    expect(store.markInFlightAborted({ now: Date.now() + 11 * 60_000 })).toEqual(["11ve0001"]);
  });

  test("markInFlightAborted: a run owned by another host cannot be checked and counts as dead", () => {
    const store = freshStore();
    const other = syntheticRun({ seconds: 5, scenarios: 1, steps: 1, runId: "0the0001", startedAt: new Date() });
    create(store, other);
    const db = new Database(store.path);
    db.run("UPDATE runs SET owner_host = 'elsewhere' WHERE id = '0the0001'");
    db.close();
    expect(store.markInFlightAborted()).toEqual(["0the0001"]);
  });

  test("finishRun of an unknown run says so", () => {
    const store = freshStore();
    expect(() => store.finishRun("nope", run.result)).toThrow(/no run nope/);
  });

  test("the database is in WAL mode, and a second connection can read while the first writes", () => {
    const store = freshStore();
    create(store, run);
    const other = openRunStore(store.path.replace(/\/indus\.db$/, ""));
    open.push(other);
    store.appendSecond(run.result.runId, run.result.timeline[0]!);
    expect(other.getRun(run.result.runId)!.timeline).toHaveLength(1);
    const db = new Database(store.path, { readonly: true });
    expect((db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode).toBe("wal");
    db.close();
  });
});
