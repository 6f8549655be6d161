// The run store on bun:sqlite (WAL): runs, their agents, per-second timelines and threshold verdicts.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { decodeRun, encodeRun } from "../run/codec.ts";
import type { RunResult, ScriptError, TimelineEntry } from "../run/types.ts";
import { IndusError } from "../core/errors.ts";
import type { Plan } from "../plan/types.ts";
import { summaryFromJson, toJson } from "./json.ts";
import { migrate } from "./migrations.ts";
import { openDatabase, retryBusy } from "./open-db.ts";
import { currentOwner, ownerAlive } from "./owner.ts";
import { agentFromRow, finite, listItemFromRow, thresholdFromRow, type AgentRow, type ListRow, type RunRow, type ThresholdRow } from "./rows.ts";
import { decodeSnapshot, encodeSnapshot } from "./snapshot-codec.ts";
import { rebuildFromTimeline } from "./summary.ts";
import type { CreateRunInput, RunListItem, RunStore, RunStoreOptions, StoredRun } from "./types.ts";

export const DB_FILE = "indus.db";
const DEFAULT_KEEP_RUNS = 100;
/** a run whose owner looks alive but has not stored a second for this long is taken as dead (pid reused) */
const STALE_AFTER_MS = 10 * 60_000;

export function openRunStore(dataDir: string, opts: RunStoreOptions = {}): RunStore {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, DB_FILE);
  // a second process (a controller, `runs`, `status`, `report`) may open it at the same moment
  const db = openDatabase(path);
  try {
    retryBusy(() => migrate(db));
  } catch (e) {
    db.close();
    throw e;
  }
  const keepRuns = opts.keepRuns ?? DEFAULT_KEEP_RUNS;

  const insertRun = db.prepare(
    `INSERT INTO runs (id, plan_name, plan_yaml, plan_json, plan_file, origin, state, started_at, owner_pid, owner_host)
     VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
  );
  const insertAgent = db.prepare(
    `INSERT INTO run_agents (run_id, idx, agent_id, address, state, lost_at_ms, requests, errors, stats_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSecond = db.prepare("INSERT OR REPLACE INTO timeline (run_id, t, vus_json, snapshot) VALUES (?, ?, ?, ?)");
  const lastSecond = db.prepare("SELECT MAX(t) AS t FROM timeline WHERE run_id = ?");
  const insertThreshold = db.prepare(
    `INSERT INTO thresholds (run_id, idx, label, metric, condition, value, scenario, step, passed, actual, first_failed_at_ms, abort_on_fail, delay_ms, window_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const updateFinished = db.prepare(
    `UPDATE runs SET state = ?, reason = ?, started_at = ?, ended_at = ?, duration_ms = ?, passed = ?, summary_json = ?, result_json = ? WHERE id = ?`,
  );

  const updateScriptErrors = db.prepare("UPDATE runs SET script_errors_json = ? WHERE id = ?");

  const appendSecond = (runId: string, entry: TimelineEntry) => {
    const { t, vus, snapshot, ...unmapped } = entry;
    // a field added to a timeline second must get a column (a migration) here: tsc fails until it is named above
    const none: Record<string, never> = unmapped;
    void none;
    insertSecond.run(runId, t, JSON.stringify(vus), encodeSnapshot(snapshot));
  };

  const resolveId = (idOrPrefix: string): string | undefined => {
    if (db.query("SELECT 1 FROM runs WHERE id = ?").get(idOrPrefix)) return idOrPrefix;
    if (idOrPrefix === "") return undefined;
    const matches = db
      .query("SELECT id FROM runs WHERE substr(id, 1, length(?1)) = ?1 ORDER BY started_at DESC LIMIT 6")
      .all(idOrPrefix) as { id: string }[];
    if (matches.length > 1) {
      const shown = matches.slice(0, 5).map((m) => m.id).join(", ");
      throw new IndusError("ambiguous_run_id", `run id prefix "${idOrPrefix}" matches several runs: ${shown}${matches.length > 5 ? ", …" : ""}`, {
        hint: "give more characters of the id",
      });
    }
    return matches[0]?.id;
  };

  const selectRun = db.prepare("SELECT * FROM runs WHERE id = ?");
  const selectTimeline = db.prepare("SELECT t, vus_json, snapshot FROM timeline WHERE run_id = ? ORDER BY t");
  const selectAgents = db.prepare("SELECT * FROM run_agents WHERE run_id = ? ORDER BY idx");
  const selectInFlight = db.prepare(
    `SELECT id, owner_pid, owner_host, started_at + COALESCE((SELECT MAX(t) FROM timeline WHERE run_id = runs.id), 0) * 1000 AS progressed_at
     FROM runs WHERE state IN ('running', 'pending')`,
  );
  const selectThresholds = db.prepare("SELECT * FROM thresholds WHERE run_id = ? ORDER BY idx");

  const readTimeline = (id: string): TimelineEntry[] =>
    (selectTimeline.all(id) as { t: number; vus_json: string; snapshot: Uint8Array }[]).map(
      (r): TimelineEntry => ({ t: r.t, vus: JSON.parse(r.vus_json), snapshot: decodeSnapshot(r.snapshot) }),
    );

  const readRun = (id: string, withTimeline: boolean): StoredRun | undefined => {
    const row = selectRun.get(id) as RunRow | null;
    if (!row) return undefined;
    const plan = JSON.parse(row.plan_json) as Plan;
    const rebuilt = row.summary_json === null;
    // a finished run is stored whole in the model's encoding (older ones as columns): every field comes back
    const model = row.result_json === null ? undefined : decodeRun(row.result_json);
    // a finished run's summary is stored: its timeline (every second's histograms) is read only when asked for
    const timeline = withTimeline || rebuilt ? readTimeline(id) : [];
    const agents = model?.agents ?? (selectAgents.all(id) as AgentRow[]).map(agentFromRow);
    let thresholds = model?.thresholds ?? (selectThresholds.all(id) as ThresholdRow[]).map(thresholdFromRow);
    const durationMs = model?.durationMs ?? row.duration_ms ?? (timeline.at(-1)?.t ?? 0) * 1000;
    const again = rebuilt ? rebuildFromTimeline(plan, timeline, durationMs) : undefined;
    const summary = model?.summary ?? again?.summary ?? summaryFromJson(row.summary_json!);
    // a run that died has no stored verdicts: judge what it measured (a running one is judged when it ends)
    if (again && row.state !== "running" && thresholds.length === 0) thresholds = again.thresholds;
    const generator = model ? model.generator : again?.generator;
    const scriptErrors = model ? model.scriptErrors : row.script_errors_json === null ? undefined : (JSON.parse(row.script_errors_json) as ScriptError[]);
    return {
      id: row.id,
      planName: row.plan_name,
      planYaml: row.plan_yaml ?? undefined,
      planFile: row.plan_file ?? undefined,
      plan,
      origin: row.origin,
      state: row.state,
      reason: model ? model.reason : row.reason ?? undefined,
      // the model's: the run's own clock reading, which may differ by a ms from when the store was told it began
      startedAt: model?.startedAt ?? new Date(row.started_at),
      endedAt: row.ended_at === null ? undefined : new Date(row.ended_at),
      durationMs,
      passed: row.passed === null ? undefined : row.passed === 1,
      summary,
      summaryFromTimeline: rebuilt,
      agents,
      thresholds,
      timeline: withTimeline ? timeline : [],
      ...(generator ? { generator } : {}),
      // a finished run's model has them; a run that died mid-way has those recorded as they came
      ...(scriptErrors ? { scriptErrors } : {}),
    };
  };

  const finishRun = db.transaction((runId: string, result: RunResult) => {
    const endedAt = result.startedAt.getTime() + result.durationMs;
    const changed = updateFinished.run(result.state, result.reason ?? null, result.startedAt.getTime(), endedAt, Math.round(result.durationMs), result.passed ? 1 : 0, toJson(result.summary), encodeRun(result, { timeline: false }), runId);
    if (changed.changes === 0) throw new IndusError("run_not_found", `no run ${runId} in the store`);
    db.run("DELETE FROM run_agents WHERE run_id = ?", [runId]);
    result.agents.forEach((a, i) =>
      insertAgent.run(runId, i, a.id, a.address, a.state, finite(a.lostAtMs), a.requests, a.errors, a.stats ? toJson(a.stats) : null),
    );
    db.run("DELETE FROM thresholds WHERE run_id = ?", [runId]);
    result.thresholds.forEach((r, i) => {
      const t = r.threshold;
      insertThreshold.run(runId, i, r.label, t.metric, t.condition, t.value, t.scenario ?? null, t.step ?? null, r.passed ? 1 : 0,
        finite(r.actual), finite(r.firstFailedAtMs), t.abort_on_fail ? 1 : 0, t.delay ?? 0, finite(t.window));
    });
    // seconds never appended, and the last one (the controller folds late snapshots into it)
    const last = (lastSecond.get(runId) as { t: number | null }).t;
    for (const entry of result.timeline) if (last === null || entry.t >= last) appendSecond(runId, entry);
  });

  return {
    path,
    createRun(input: CreateRunInput) {
      db.transaction(() => {
        const owner = currentOwner();
        insertRun.run(input.id, input.planName, input.planYaml ?? null, JSON.stringify(input.plan), input.planFile ?? null, input.origin, input.startedAt.getTime(), owner.pid, owner.host);
        input.agents.forEach((a, i) => insertAgent.run(input.id, i, a.id, a.address, "active", null, 0, 0, null));
      }).immediate();
    },
    appendSecond(runId, entry) {
      appendSecond(runId, entry);
    },
    recordScriptErrors(runId, errors) {
      updateScriptErrors.run(JSON.stringify(errors), runId);
    },
    finishRun(runId, result) {
      // IMMEDIATE: the write lock up front, waited for through busy_timeout
      finishRun.immediate(runId, result);
    },
    getRun(idOrPrefix, { timeline = true } = {}) {
      const id = resolveId(idOrPrefix);
      return id === undefined ? undefined : readRun(id, timeline);
    },
    listRuns({ limit = 20 } = {}): RunListItem[] {
      const rows = db
        .query(
          `SELECT id, plan_name, origin, state, reason, started_at,
                  COALESCE(duration_ms, (SELECT MAX(t) FROM timeline WHERE run_id = runs.id) * 1000) AS duration_ms, passed,
                  json_extract(summary_json, '$.global.requests') AS requests,
                  json_extract(summary_json, '$.global.rps') AS rps,
                  json_extract(summary_json, '$.global.p95') AS p95,
                  json_extract(summary_json, '$.global.error_ratio') AS error_ratio
           FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?`,
        )
        .all(limit) as ListRow[];
      return rows.map(listItemFromRow);
    },
    markInFlightAborted({ now = Date.now(), staleAfterMs = STALE_AFTER_MS } = {}) {
      const deadIn = (): string[] => {
        const inFlight = selectInFlight.all() as { id: string; owner_pid: number | null; owner_host: string | null; progressed_at: number }[];
        // a live owner is still running it (e.g. `indus status` beside `indus run`), unless it stopped
        // making progress long ago: then its pid was most likely reused by another process
        return inFlight.filter((r) => !ownerAlive({ pid: r.owner_pid, host: r.owner_host }) || now - r.progressed_at > staleAfterMs).map((r) => r.id);
      };
      // a plain read first: readers (`runs`, `status`, `report`) take no write lock when nothing died
      if (deadIn().length === 0) return [];
      // IMMEDIATE: a read upgraded to a write fails at once (no busy wait) if another process wrote meanwhile
      return retryBusy(() =>
        db.transaction(() => {
          const dead = deadIn();
          for (const id of dead) {
            db.run(
              `UPDATE runs SET state = 'aborted', reason = 'process died', passed = 0,
                 duration_ms = COALESCE((SELECT MAX(t) FROM timeline WHERE run_id = ?1), 0) * 1000,
                 ended_at = started_at + COALESCE((SELECT MAX(t) FROM timeline WHERE run_id = ?1), 0) * 1000
               WHERE id = ?1`,
              [id],
            );
            db.run("UPDATE run_agents SET state = 'failed' WHERE run_id = ? AND state = 'active'", [id]);
          }
          return dead;
        }).immediate(),
      );
    },
    prune() {
      const result = db.run(
        `DELETE FROM runs WHERE state != 'running'
           AND id NOT IN (SELECT id FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?)`,
        [keepRuns],
      );
      return result.changes;
    },
    close() {
      db.close();
    },
  };
}
