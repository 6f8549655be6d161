// The store's schema as an ordered list of migrations; PRAGMA user_version counts how many have run.
import type { Database } from "bun:sqlite";
import { IndusError } from "../core/errors.ts";

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

// Append only: a released migration is never edited, a change is a new entry.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "runs, agents, per-second timeline, thresholds",
    sql: `
      CREATE TABLE runs (
        id           TEXT PRIMARY KEY,
        plan_name    TEXT NOT NULL,
        plan_yaml    TEXT,
        plan_json    TEXT NOT NULL,
        plan_file    TEXT,
        origin       TEXT NOT NULL CHECK (origin IN ('local', 'controller')),
        state        TEXT NOT NULL,
        reason       TEXT,
        started_at   INTEGER NOT NULL, -- ms since the epoch
        ended_at     INTEGER,
        duration_ms  INTEGER,
        passed       INTEGER,          -- NULL while running
        summary_json TEXT              -- NULL until the run finishes
      );
      CREATE TABLE run_agents (
        run_id     TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL,
        agent_id   TEXT NOT NULL,
        address    TEXT NOT NULL,
        state      TEXT NOT NULL,
        lost_at_ms INTEGER,
        requests   INTEGER NOT NULL DEFAULT 0,
        errors     INTEGER NOT NULL DEFAULT 0,
        stats_json TEXT,
        PRIMARY KEY (run_id, idx)
      );
      -- a rowid table: rows of a few KB would overflow a WITHOUT ROWID b-tree's pages
      CREATE TABLE timeline (
        run_id   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        t        INTEGER NOT NULL,
        vus_json TEXT NOT NULL,
        snapshot BLOB NOT NULL,
        PRIMARY KEY (run_id, t)
      );
      CREATE TABLE thresholds (
        run_id             TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        idx                INTEGER NOT NULL,
        label              TEXT NOT NULL,
        metric             TEXT NOT NULL,
        condition          TEXT NOT NULL,
        value              REAL NOT NULL,
        scenario           TEXT,
        step               TEXT,
        passed             INTEGER NOT NULL,
        actual             REAL,           -- NULL when there were no samples
        first_failed_at_ms INTEGER,
        PRIMARY KEY (run_id, idx)
      );
    `,
  },
  {
    version: 2,
    description: "list runs newest first by index; the process that owns a running run; each threshold's abort_on_fail and delay",
    sql: `
      CREATE INDEX runs_started_at ON runs (started_at DESC);
      ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE runs ADD COLUMN owner_host TEXT;
      CREATE INDEX runs_state ON runs (state);
      ALTER TABLE thresholds ADD COLUMN abort_on_fail INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE thresholds ADD COLUMN delay_ms INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 3,
    description: "the finished run as the run model encodes it (src/run/codec.ts): every field, read back whole; each threshold's window",
    sql: `
      ALTER TABLE runs ADD COLUMN result_json TEXT; -- NULL until the run finishes (and for runs finished before v3)
      ALTER TABLE thresholds ADD COLUMN window_ms INTEGER;
    `,
  },
  {
    version: 4,
    description: "a run's script errors as they are reported, so a run whose process dies keeps them as it keeps its seconds",
    sql: `
      ALTER TABLE runs ADD COLUMN script_errors_json TEXT; -- NULL until a script error is reported
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to `target` (default: the latest), one transaction per migration.
 * Several processes may open a fresh store at once: each migration runs in a BEGIN IMMEDIATE
 * transaction (the write lock first, waiting out the others through busy_timeout) and re-reads
 * user_version inside it, so a migration another process applied meanwhile is skipped, not re-run.
 */
export function migrate(db: Database, target = SCHEMA_VERSION): number {
  tooNew(db, userVersion(db));
  for (const m of MIGRATIONS) {
    if (m.version > target) break;
    // read outside a transaction first: an up-to-date store (the usual case) takes no write lock
    if (m.version <= userVersion(db)) continue;
    db.transaction(() => {
      const current = userVersion(db);
      tooNew(db, current);
      if (m.version <= current) return;
      db.run(m.sql);
      db.run(`PRAGMA user_version = ${m.version}`);
    }).immediate();
  }
  return userVersion(db);
}

function tooNew(db: Database, current: number): void {
  if (current <= SCHEMA_VERSION) return;
  throw new IndusError(
    "store_too_new",
    `run store ${db.filename} has schema version ${current}, newer than this indus understands (${SCHEMA_VERSION})`,
    { hint: "use a newer indus, or another --data-dir" },
  );
}

export function userVersion(db: Database): number {
  return (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
}
