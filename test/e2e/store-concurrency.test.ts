// Several indus processes opening one run store at once: fresh (migrations race), existing, with a dead run to mark, beside a writer.
import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { DB_FILE, openRunStore } from "../../src/store/index.ts";
import { SCHEMA_VERSION, userVersion } from "../../src/store/migrations.ts";
import { syntheticRun } from "../store/fixtures/synthetic-run.ts";
import { runIndus, tempDir, type ProcResult } from "../helpers.ts";

const N = 8;
/** above Linux's pid_max: no such process */
const DEAD_PID = 0x7ffffff0;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = tempDir("indus-conc-");
  dirs.push(d);
  return join(d, "data");
}

/** N processes started together, awaited together */
const together = (args: string[]): Promise<ProcResult[]> => Promise.all(Array.from({ length: N }, () => runIndus(args)));

function expectAllAlike(results: ProcResult[]): void {
  for (const r of results) {
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }
  expect(new Set(results.map((r) => r.stdout)).size).toBe(1);
}

/** a store holding one finished run and one whose process died; closed before the test's processes start */
function seeded(dir: string): { finished: string; dead: string } {
  const store = openRunStore(dir);
  const runs = [syntheticRun({ seconds: 5, seed: 1 }), syntheticRun({ seconds: 5, seed: 2 })];
  const [finished, dead] = runs.map((run, i) => {
    const id = `${i}c0ffee${i}`;
    store.createRun({
      id,
      planName: run.plan.name,
      planYaml: run.planYaml,
      planFile: undefined,
      plan: run.plan,
      startedAt: new Date(run.result.startedAt.getTime() + i * 1000),
      origin: "local",
      agents: run.result.agents.map((a) => ({ id: a.id, address: a.address })),
    });
    for (const entry of run.result.timeline) store.appendSecond(id, entry);
    if (i === 0) store.finishRun(id, { ...run.result, runId: id });
    return id;
  }) as [string, string];
  store.close();
  const db = new Database(join(dir, DB_FILE));
  db.run("UPDATE runs SET owner_pid = ? WHERE id = ?", [DEAD_PID, dead]);
  db.close();
  return { finished, dead };
}

describe("one run store, several processes at once (compiled binary)", () => {
  test(`${N} \`indus runs\` on a fresh data dir all migrate it once and print the same`, async () => {
    const dir = dataDir();
    const results = await together(["runs", `--data-dir=${dir}`]);
    expectAllAlike(results);
    const db = new Database(join(dir, DB_FILE), { readonly: true });
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  test(`${N} \`indus runs\`, then ${N} \`indus status\`, on a store just written, with a dead run to mark aborted`, async () => {
    // a few rounds: the race (every reader sees the dead run, one marks it, the others' snapshots go stale) is not hit every time
    for (const keepWriterOpen of [false, true, false, true]) {
      const dir = dataDir();
      const { finished, dead } = seeded(dir);
      // a writer still open leaves its WAL unmerged, as a killed `indus run` does
      const writer = keepWriterOpen ? openRunStore(dir) : undefined;
      try {
        const runs = await together(["runs", `--data-dir=${dir}`]);
        expectAllAlike(runs);
        expect(runs[0]!.stdout).toContain(finished);
        expect(runs[0]!.stdout).toMatch(new RegExp(`${dead}.* aborted `));
        const status = await together(["status", dead, `--data-dir=${dir}`]);
        expectAllAlike(status);
        expect(status[0]!.stdout).toContain("State: aborted");
      } finally {
        writer?.close();
      }
    }
  });

  test(`${N} processes mixing runs, status and report on a store whose dead run is still to be marked`, async () => {
    const dir = dataDir();
    const { finished, dead } = seeded(dir);
    const kinds = [["runs"], ["status", dead], ["report", finished, "--format", "json"], ["status", finished]];
    const results = await Promise.all(Array.from({ length: N }, (_, i) => runIndus([...kinds[i % kinds.length]!, `--data-dir=${dir}`])));
    for (const r of results) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
    const store = openRunStore(dir);
    expect(store.getRun(dead, { timeline: false })!.state).toBe("aborted");
    store.close();
  });

  test("readers need no write lock: runs/status/report succeed while another connection holds the store's write lock", async () => {
    const dir = dataDir();
    const { finished } = seeded(dir);
    // the dead run is marked first, so the readers below have nothing to write
    openRunStore(dir).markInFlightAborted();
    const writer = new Database(join(dir, DB_FILE));
    writer.run("PRAGMA busy_timeout = 0");
    writer.run("BEGIN IMMEDIATE");
    writer.run("UPDATE runs SET plan_name = plan_name");
    try {
      const results = await Promise.all([
        runIndus(["runs", `--data-dir=${dir}`]),
        runIndus(["status", finished, `--data-dir=${dir}`]),
        runIndus(["report", finished, "--format", "json", `--data-dir=${dir}`]),
      ]);
      for (const r of results) {
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
      }
    } finally {
      writer.run("ROLLBACK");
      writer.close();
    }
  });
});

describe("one run store, several connections in one process", () => {
  test("fresh store: handles opened one after another while a first one is open all see the latest schema", () => {
    const dir = dataDir();
    const stores = Array.from({ length: N }, () => openRunStore(dir));
    for (const s of stores) expect(s.listRuns()).toEqual([]);
    for (const s of stores) s.close();
  });
});
