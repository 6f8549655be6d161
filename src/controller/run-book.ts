// What a run measured: merges agents' snapshots second by second, judges thresholds, builds the result.
import { SnapshotAccumulator } from "../metrics/accumulator.ts";
import type { Snapshot } from "../metrics/snapshot.ts";
import type { Plan } from "../plan/types.ts";
import { createJudge } from "../run/judge.ts";
import type { ScriptErrorReport } from "../engine/script/runtime.ts";
import type { AgentRecord, MergedRun, RunResult, RunState, RunUpdate, ScriptError, TimelineEntry } from "../run/types.ts";
import { abortRequested } from "../threshold/index.ts";

const RPS_WINDOW_S = 5;
/** Distinct script errors a run keeps (each agent's executor reports at most 10 of its own). */
export const MAX_RUN_SCRIPT_ERRORS = 10;

export interface RunBook {
  /** Adds an agent's snapshot to the open second and to the agent's own totals. */
  merge(agent: number, snapshot: Snapshot): void;
  /** Closes second t: returns the timeline entry and the whole run so far (live, read-only). */
  closeSecond(t: number, vus: Record<string, number>): { entry: TimelineEntry; merged: MergedRun };
  /** Judges thresholds after second t; returns the progress update and, with abort_on_fail, why to stop. */
  judge(t: number, state: RunState, agents?: (AgentRecord & { vus: number })[]): { update: RunUpdate; breach: string | undefined };
  /** Keeps an agent's script error unless the run has it already (same scenario, step and message) or has its fill. */
  scriptError(agent: string, report: ScriptErrorReport): void;
  /** The run's result (and its last update) once the machine says it is over. */
  finish(finish: { elapsedS: number; stopped: { state: RunState; reason: string } | undefined; agents: AgentRecord[] }, startedAt: Date): { result: RunResult; update: RunUpdate };
}

export function createRunBook(runId: string, plan: Plan, agentCount: number): RunBook {
  // the one judge of src/run: merges every closed second and judges the plan's thresholds on them
  const judge = createJudge(plan);
  const timeline: TimelineEntry[] = [];
  let bucket = new SnapshotAccumulator();
  // only its whole-run stats are reported: one histogram per agent, not one per step, made when it first reports
  const own: (SnapshotAccumulator | undefined)[] = new Array(agentCount).fill(undefined);
  const counts = Array.from({ length: agentCount }, () => ({ requests: 0, errors: 0 }));
  const scriptErrors: ScriptError[] = [];
  const scriptErrorKeys = new Set<string>();
  const withScriptErrors = () => (scriptErrors.length > 0 ? { scriptErrors: [...scriptErrors] } : {});

  return {
    merge(agent, snapshot) {
      bucket.add(snapshot, (own[agent] ??= new SnapshotAccumulator({ wholeOnly: true })));
      const c = counts[agent]!;
      for (const name in snapshot.scenarios) {
        const steps = snapshot.scenarios[name]!.steps;
        for (const step in steps) {
          c.requests += steps[step]!.requests;
          c.errors += steps[step]!.errors;
        }
      }
    },
    scriptError(agent, report) {
      const key = JSON.stringify([report.scenario, report.step, report.message]);
      if (scriptErrorKeys.has(key) || scriptErrors.length >= MAX_RUN_SCRIPT_ERRORS) return;
      scriptErrorKeys.add(key);
      scriptErrors.push({ ...report, agent });
    },
    closeSecond(t, vus) {
      for (const [name, n] of Object.entries(vus)) bucket.setVus(name, n);
      const entry: TimelineEntry = { t, vus, snapshot: bucket.toSnapshot() };
      timeline.push(entry);
      // the second just closed is refilled next, unless a threshold's window keeps it
      const released = judge.addSecond(bucket, entry.snapshot.generator);
      released?.clear();
      bucket = released ?? new SnapshotAccumulator();
      return { entry, merged: judge.merged };
    },
    judge(t, state, agents) {
      const judged = judge.judge(t);
      const window = timeline.slice(-RPS_WINDOW_S);
      let windowRequests = 0;
      for (const e of window) for (const sc of Object.values(e.snapshot.scenarios)) for (const st of Object.values(sc.steps)) windowRequests += st.requests;
      const global = judged.global;
      const last = timeline.at(-1);
      const update: RunUpdate = {
        runId,
        row: {
          state,
          elapsedMs: t * 1000,
          vus: Object.values(last?.vus ?? {}).reduce((a, b) => a + b, 0),
          rps: window.length ? windowRequests / window.length : 0,
          p95: global?.p95 ?? NaN,
          errorRatio: global?.error_ratio ?? 0,
          ...(last?.snapshot.generator ? { generator: last.snapshot.generator } : {}),
        },
        thresholds: judged.thresholds,
        ...withScriptErrors(),
        // the live dashboard's agents table: each agent's own counts with the VUs it last reported
        ...(agents ? { agents: agents.map((a, i) => ({ ...a, ...counts[i]! })) } : {}),
      };
      const abortBy = abortRequested(judged.thresholds, t * 1000);
      return { update, breach: abortBy && `threshold ${abortBy.label} failed (abort_on_fail)` };
    },
    finish({ elapsedS, stopped, agents }, startedAt) {
      const thresholds = judge.outcomes(elapsedS);
      const records = agents.map((a, i) => ({ ...a, ...counts[i]!, stats: own[i]?.stats({}, elapsedS) ?? undefined }));
      const passed = thresholds.every((r) => r.passed);
      const state: RunState = stopped !== undefined ? stopped.state : passed ? "completed" : "failed";
      const summary = judge.summary(elapsedS);
      const update: RunUpdate = {
        runId,
        row: { state, elapsedMs: elapsedS * 1000, vus: 0, rps: summary.global.rps, p95: summary.global.p95, errorRatio: summary.global.error_ratio },
        thresholds,
        ...withScriptErrors(),
      };
      const result: RunResult = {
        runId,
        planName: plan.name,
        state,
        reason: stopped?.reason,
        startedAt,
        durationMs: Math.round(elapsedS * 1000),
        summary,
        thresholds,
        passed: passed && stopped === undefined,
        agents: records,
        timeline,
        generator: judge.generator(),
        ...withScriptErrors(),
      };
      return { result, update };
    },
  };
}
