// Schema migrations: a fresh store is at the latest version; a version-1 file is brought up to date with its data.
import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { migrate, MIGRATIONS, SCHEMA_VERSION, userVersion } from "../../src/store/migrations.ts";
import { DB_FILE, openRunStore } from "../../src/store/index.ts";
import { tempDir } from "../helpers.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = tempDir("indus-migrate-");
  dirs.push(d);
  return d;
}

describe("migrations", () => {
  test("versions are 1..n in order", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  test("a new store is at the latest version", () => {
    const d = dir();
    openRunStore(d).close();
    const db = new Database(join(d, DB_FILE));
    expect(userVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  test("opening a version-1 database migrates it and keeps its runs", () => {
    const d = dir();
    const db = new Database(join(d, DB_FILE));
    expect(migrate(db, 1)).toBe(1);
    const plan = { name: "old", engine: undefined, on_agent_loss: "redistribute", scenarios: [], thresholds: [] };
    db.run(
      `INSERT INTO runs (id, plan_name, plan_json, origin, state, started_at, ended_at, duration_ms, passed, summary_json)
       VALUES ('0ld00001', 'old', ?, 'local', 'failed', 1000, 31000, 30000, 0, NULL)`,
      [JSON.stringify(plan)],
    );
    db.run(
      `INSERT INTO thresholds (run_id, idx, label, metric, condition, value, passed, actual)
       VALUES ('0ld00001', 0, 'p95 < 500', 'p95', '<', 500, 0, 612.5)`,
    );
    expect(() => db.query("SELECT abort_on_fail FROM thresholds").all()).toThrow();
    db.close();

    const store = openRunStore(d);
    const run = store.getRun("0ld")!;
    expect(run).toMatchObject({ id: "0ld00001", state: "failed", durationMs: 30_000 });
    expect(run.thresholds[0]).toMatchObject({ label: "p95 < 500", actual: 612.5, passed: false });
    expect(run.thresholds[0]!.threshold).toMatchObject({ abort_on_fail: false, delay: 0 });
    store.close();

    const after = new Database(join(d, DB_FILE));
    expect(userVersion(after)).toBe(SCHEMA_VERSION);
    const indexes = after.query("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'runs_started_at'").all();
    expect(indexes).toHaveLength(1);
    after.close();
  });

  test("a database from a newer indus is refused with a hint", () => {
    const d = dir();
    const db = new Database(join(d, DB_FILE));
    db.run(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openRunStore(d)).toThrow(/newer than this indus understands/);
  });
});
