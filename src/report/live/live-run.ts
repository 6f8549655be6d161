// One run as the dashboard sees it: fed by the run's per-second hooks, it is always a ReportInput the report components can draw.
import type { GeneratorHealth } from "../../metrics/generator.ts";
import type { ProgressRow, RunSummary, ScriptError } from "../../run/types.ts";
import { NOTHING_MERGED, summarize, type SummarySource } from "../../run/index.ts";
import type { Plan } from "../../plan/types.ts";
import { evaluateThreshold, type ThresholdResult } from "../../threshold/index.ts";
import type { LiveFacts } from "../html/header.tsx";
import type { LiveAgent } from "../html/tables.tsx";
import type { ReportInput } from "../model.ts";
import type { TimelineSeries } from "../series.ts";
import { appendSecond, emptyTimelineSeries } from "./append-series.ts";
import { appendTagSecond, tagSeries, type TagSeries } from "../tag-series.ts";

export type TimelineEntry = ReportInput["timeline"][number];
export type AgentRecord = ReportInput["agents"][number];

/** What a run sink's begin() is told. */
export interface LiveBegin {
  id: string;
  plan: Plan;
  planYaml: string;
  planFile: string;
  startedAt: Date;
  agents: { id: string; address: string }[];
}

/** A progress update: the row, the thresholds so far and (when the run loop sends them) the agents with their VUs. */
export interface LiveUpdate {
  row: ProgressRow;
  thresholds: ThresholdResult[];
  agents?: (AgentRecord & { vus?: number })[];
  /** the run's script errors so far */
  scriptErrors?: ScriptError[];
}

/** The run's end, as the run loop returns it (RunResult fits). */
export type LiveResult = Pick<ReportInput, "state" | "reason" | "passed" | "durationMs" | "summary" | "thresholds" | "agents" | "timeline" | "scriptErrors">;

/**
 * The run so far, merged: the run loop's own cumulative merge, which it keeps current (read it, never change it).
 * Its checks and tag sets, when it keeps them (the run loop's accumulator does); without, those tables wait for the end.
 */
export type MergedSoFar = SummarySource;

export interface LiveView {
  input: ReportInput;
  series: TimelineSeries;
  tags: TagSeries[];
  /** undefined once the run has ended: the page is then its report */
  live: (LiveFacts & { agents: LiveAgent[] }) | undefined;
}

export interface LiveRun {
  readonly id: string;
  readonly done: boolean;
  second(entry: TimelineEntry, merged: MergedSoFar | undefined): void;
  update(update: LiveUpdate): void;
  finish(result: LiveResult): void;
  view(): LiveView;
}

export function createLiveRun(begin: LiveBegin): LiveRun {
  const { plan } = begin;
  const plannedMs = Math.max(0, ...plan.scenarios.map((s) => s.duration));
  const timeline: TimelineEntry[] = [];
  let series = emptyTimelineSeries(plan);
  let tags = tagSeries(plan, []);
  let summary: RunSummary = summarize(plan, NOTHING_MERGED, 1);
  // the run loop's merge, read only when a page is drawn: a run nobody watches pays nothing for it
  let merged: { of: MergedSoFar; t: number } | undefined;
  let row: ProgressRow = { state: "running", elapsedMs: 0, vus: 0, rps: 0, p95: NaN, errorRatio: 0 };
  let thresholds: ReportInput["thresholds"] = plan.thresholds.map((t) => ({ ...evaluateThreshold(t, undefined), firstFailedAtMs: undefined }));
  const firstFailed = new Map<number, number>();
  let agents: AgentRecord[] = begin.agents.map((a) => ({ ...a, state: "active", requests: 0, errors: 0 }));
  let agentVus = new Map<string, number>();
  const agentRps = new Map<string, number>();
  let lastAgentSample: { ms: number; requests: Map<string, number> } | undefined;
  let result: LiveResult | undefined;
  let scriptErrors: ScriptError[] | undefined;

  return {
    id: begin.id,
    get done() {
      return result !== undefined;
    },
    second(entry, soFar) {
      if (result) return;
      appendSecond(series, plan, timeline.at(-1)?.t ?? 0, entry);
      appendTagSecond(tags, plan, timeline.at(-1)?.t ?? 0, entry);
      timeline.push(entry);
      if (soFar) merged = { of: soFar, t: entry.t };
    },
    update(u) {
      if (result) return;
      row = u.row;
      if (u.scriptErrors) scriptErrors = u.scriptErrors;
      thresholds = u.thresholds.map((r, i) => {
        if (!r.passed && !firstFailed.has(i)) firstFailed.set(i, u.row.elapsedMs);
        return { ...r, firstFailedAtMs: firstFailed.get(i) };
      });
      if (u.agents) {
        const now = new Map(u.agents.map((a) => [a.id, a.requests]));
        if (lastAgentSample && u.row.elapsedMs > lastAgentSample.ms) {
          const dt = (u.row.elapsedMs - lastAgentSample.ms) / 1000;
          for (const [id, n] of now) agentRps.set(id, (n - (lastAgentSample.requests.get(id) ?? 0)) / dt);
        }
        lastAgentSample = { ms: u.row.elapsedMs, requests: now };
        agents = u.agents.map(({ vus: _vus, ...a }) => a);
        agentVus = new Map(u.agents.map((a) => [a.id, a.vus ?? 0]));
      }
    },
    finish(r) {
      result = r;
      series = emptyTimelineSeries(plan);
      let prev = 0;
      for (const e of r.timeline) {
        appendSecond(series, plan, prev, e);
        prev = e.t;
      }
      tags = tagSeries(plan, r.timeline);
    },
    view() {
      const base = { runId: begin.id, planName: plan.name, plan, planYaml: begin.planYaml, planFile: begin.planFile, startedAt: begin.startedAt, summaryFromTimeline: false };
      if (result) return { input: { ...base, ...result }, series, tags, live: undefined };
      const generator = timeline.at(-1)?.snapshot.generator ?? {};
      if (merged) {
        // the run model's one summary, over the merge so far: the page's tables are the report's to come
        summary = summarize(plan, merged.of, merged.t);
        merged = undefined;
      }
      const input: ReportInput = {
        ...base,
        state: row.state,
        reason: undefined,
        passed: thresholds.every((t) => t.passed),
        durationMs: row.elapsedMs,
        summary,
        thresholds,
        agents,
        timeline,
        ...(scriptErrors ? { scriptErrors } : {}),
      };
      const liveAgents: LiveAgent[] = agents.map((a) => ({
        id: a.id,
        vus: agentVus.get(a.id) ?? 0,
        rps: agentRps.get(a.id) ?? 0,
        generator: generatorOf(generator, a.id, agents.length),
      }));
      return { input, series, tags, live: { elapsedMs: row.elapsedMs, plannedMs, agents: liveAgents } };
    },
  };
}

/** An agent's load-generator health; a lone agent's executor may still report under its own key. */
function generatorOf(g: Record<string, GeneratorHealth>, id: string, agentCount: number): GeneratorHealth | undefined {
  if (g[id]) return g[id];
  const all = Object.values(g);
  return agentCount === 1 && all.length === 1 ? all[0] : undefined;
}
