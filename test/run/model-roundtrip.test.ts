// Property test of the run model's encodings: for arbitrary runs (seeded), model → gRPC → model and
// model → SQLite → model are identity, and the JSON report is byte-for-byte the same from the local result,
// from the controller's stream and from the store after reopening it. INDUS_MODEL_SEED=n replays one seed.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePlan } from "../../src/plan/index.ts";
import { renderJsonReport } from "../../src/report/json/index.ts";
import { reportInputFromResult, reportInputFromStored } from "../../src/report/model.ts";
import { decodeRun, encodeRun } from "../../src/run/codec.ts";
import type { RunResult } from "../../src/run/types.ts";
import { openRunStore, resultOfStored } from "../../src/store/index.ts";
import * as pb from "../../src/transport/gen/indus.ts";
import { progressFromProto, progressToProto, recordFromProto, recordToProto, resultFromJson, resultToJson } from "../../src/transport/grpc/controller-codec.ts";
import { snapshotFromProto, snapshotToProto } from "../../src/transport/grpc/codec.ts";
import { arbitraryRun, type ArbitraryRun } from "./arbitrary-run.ts";

/** The run model's fields that may be absent (or undefined). */
type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];
/**
 * Every one of them, by the name the coverage test below gives it when an arbitrary run has it: a field added to
 * RunResult does not type-check here until it is named, and then fails the coverage test until the arbitrary runs
 * produce it, and so every path below (gRPC, SQLite, the JSON report) is tested with it.
 */
const OPTIONAL_RESULT_FIELDS: Record<OptionalKeys<RunResult>, string> = { reason: "reason", generator: "generator", scriptErrors: "scriptErrors" };

const replay = process.env.INDUS_MODEL_SEED;
const SEEDS = replay !== undefined ? [Number(replay)] : Array.from({ length: Number(process.env.INDUS_MODEL_SEEDS ?? 100) }, (_, i) => 1 + i * 7919);
const dir = mkdtempSync(join(tmpdir(), "indus-model-"));
let stores = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const generated = new Map<number, ArbitraryRun>();
const runOf = (seed: number) => generated.get(seed) ?? generated.set(seed, arbitraryRun(seed)).get(seed)!;

/** Runs a property per seed; a failure names the seed and how to replay it. */
function forEachSeed(name: string, property: (run: ArbitraryRun) => void) {
  test(name, () => {
    for (const seed of SEEDS) {
      const run = runOf(seed);
      try {
        property(run);
      } catch (e) {
        throw new Error(`seed ${seed} (replay: INDUS_MODEL_SEED=${seed} bun test ${import.meta.path}): ${(e as Error).message}`);
      }
    }
  });
}

/** model → final progress update on the wire (bytes) → model: what `indus run --controller` receives. */
function throughStream(result: RunResult): RunResult {
  const row = { state: result.state, elapsedMs: result.durationMs, vus: 0, rps: result.summary.global.rps, p95: result.summary.global.p95, errorRatio: result.summary.global.error_ratio };
  const scriptErrors = result.scriptErrors ? { scriptErrors: result.scriptErrors } : {};
  const bytes = pb.ProgressUpdate.encode(progressToProto({ runId: result.runId, row, thresholds: result.thresholds, ...scriptErrors }, result)).finish();
  const got = progressFromProto(pb.ProgressUpdate.decode(bytes));
  expect(got.update.thresholds).toEqual(result.thresholds);
  expect(got.update.scriptErrors).toEqual(result.scriptErrors);
  return got.result!;
}

/** model → GetReport on the wire (bytes) → model: what `indus report ID` and `run --report` read from a controller. */
function throughReport(result: RunResult): RunResult {
  const bytes = pb.Report.encode({ runId: result.runId, resultJson: resultToJson(result, true), planYaml: "", planFile: "" }).finish();
  return resultFromJson(pb.Report.decode(bytes).resultJson);
}

/** model → SQLite (seconds appended as they close, then the verdict) → reopened store → model. */
function throughStore(run: ArbitraryRun): { result: RunResult; reportInput: ReturnType<typeof reportInputFromStored> } {
  const { result, plan, planYaml } = run;
  const path = join(dir, `s${run.seed}-${++stores}`);
  const store = openRunStore(path);
  // the service tells the store a run began a moment before the run reads its own clock: the model's time wins
  store.createRun({ id: result.runId, planName: plan.name, planYaml, planFile: "arbitrary.yaml", plan, startedAt: new Date(result.startedAt.getTime() - (run.seed % 2)), origin: "controller", agents: result.agents });
  // the last second is appended by finishRun, as the controller folds late snapshots into it
  for (const entry of result.timeline.slice(0, -1)) store.appendSecond(result.runId, entry);
  store.finishRun(result.runId, result);
  store.close();
  const reopened = openRunStore(path);
  try {
    const stored = reopened.getRun(result.runId)!;
    return { result: resultOfStored(stored), reportInput: reportInputFromStored(stored) };
  } finally {
    reopened.close();
  }
}

describe("the run model's encodings are lossless", () => {
  forEachSeed("model → run codec → model is identity", ({ result }) => {
    expect(decodeRun(encodeRun(result, { timeline: true }))).toEqual(result);
  });

  forEachSeed("model → gRPC → model is identity (final update, run record, report, agent snapshots)", ({ result }) => {
    const withoutTimeline = { ...result, timeline: [] };
    expect(throughStream(result)).toEqual(withoutTimeline);
    expect(recordFromProto(pb.RunRecord.decode(pb.RunRecord.encode(recordToProto(result)).finish()))).toEqual(withoutTimeline);
    expect(throughReport(result)).toEqual(result);
    // the live progress of every second: the row and the thresholds as judged then
    for (const entry of result.timeline) {
      const global = Object.values(entry.snapshot.scenarios).flatMap((sc) => Object.values(sc.steps));
      const requests = global.reduce((n, st) => n + st.requests, 0);
      const row = { state: "running" as const, elapsedMs: entry.t * 1000, vus: Object.values(entry.vus).reduce((a, b) => a + b, 0), rps: requests, p95: requests ? requests / 7 : NaN, errorRatio: requests ? global.reduce((n, st) => n + st.errors, 0) / requests : 0, ...(entry.snapshot.generator ? { generator: entry.snapshot.generator } : {}) };
      // the script errors as they came in so far (none yet in the first seconds)
      const scriptErrors = result.scriptErrors?.slice(0, entry.t - 1);
      const update = { runId: result.runId, row, thresholds: result.thresholds.map(({ firstFailedAtMs: _, ...r }) => r), ...(scriptErrors?.length ? { scriptErrors } : {}) };
      const got = progressFromProto(pb.ProgressUpdate.decode(pb.ProgressUpdate.encode(progressToProto(update)).finish()));
      expect(got.result).toBeUndefined();
      expect(got.update).toEqual(update);
    }
    for (const entry of result.timeline) {
      const wire = snapshotFromProto(pb.Snapshot.decode(pb.Snapshot.encode(snapshotToProto(entry.snapshot)).finish()));
      expect(wire).toEqual(entry.snapshot);
    }
  });

  forEachSeed("model → SQLite → model is identity, after reopening the store", (run) => {
    expect(throughStore(run).result).toEqual(run.result);
  });

  forEachSeed("the JSON report is byte-for-byte the same from the local result, the controller's stream and the store", (run) => {
    const source = { planYaml: run.planYaml, planFile: "arbitrary.yaml" };
    const local = renderJsonReport(reportInputFromResult(run.result, run.plan, source));
    // remote: the final result streamed, its timeline from GetReport, the plan parsed from the YAML the controller kept
    const streamed = { ...throughStream(run.result), timeline: throughReport(run.result).timeline };
    const remote = renderJsonReport(reportInputFromResult(streamed, parsePlan(run.planYaml, "arbitrary.yaml"), source));
    const stored = renderJsonReport(throughStore(run).reportInput);
    expect(remote).toBe(local);
    expect(stored).toBe(local);
  });

  test("the arbitrary runs cover every optional field of the model", () => {
    const seen = new Set<string>();
    for (const seed of SEEDS) {
      const { result } = runOf(seed);
      if (result.reason !== undefined) seen.add("reason");
      if (result.generator) seen.add("generator");
      if (result.scriptErrors) seen.add("scriptErrors");
      if (result.scriptErrors?.some((e) => e.frame === undefined)) seen.add("scriptErrors without frame");
      if (result.state === "aborted") seen.add("aborted");
      for (const a of result.agents) {
        if (a.lostAtMs !== undefined) seen.add("lostAtMs");
        if (a.stats) seen.add("agent.stats");
      }
      for (const t of result.thresholds) {
        if (t.threshold.window !== undefined) seen.add("window");
        if (t.firstFailedAtMs !== undefined) seen.add("firstFailedAtMs");
        if (t.threshold.abort_on_fail) seen.add("abort_on_fail");
        if (t.threshold.tags !== undefined) seen.add("threshold.tags");
      }
      for (const sc of result.summary.scenarios) {
        if (sc.stats.p95_intended !== undefined) seen.add("intended");
        if (sc.stats.dropped_iterations !== undefined) seen.add("dropped_iterations");
        for (const st of sc.steps) if (st.checks) seen.add("checks");
      }
      for (const e of result.timeline) {
        if (e.snapshot.generator) seen.add("snapshot.generator");
        for (const sc of Object.values(e.snapshot.scenarios)) {
          for (const st of Object.values(sc.steps)) {
            if (st.bytesDecoded !== undefined) seen.add("bytesDecoded");
            if (st.errorKinds !== undefined) seen.add("errorKinds");
          }
        }
      }
      if (result.summary.global.errorKinds !== undefined) seen.add("stats.errorKinds");
      if (result.summary.tags !== undefined) seen.add("summary.tags");
      if (result.summary.tagSets !== undefined && result.summary.tagSets.length > 0) seen.add("summary.tagSets");
      if (result.summary.tags?.some((t) => t.folded > 0)) seen.add("tags folded");
      if (result.timeline.some((e) => Object.values(e.snapshot.scenarios).some((sc) => sc.tagged !== undefined))) seen.add("snapshot.tagged");
      if (result.timeline.some((e) => Object.values(e.snapshot.scenarios).some((sc) => sc.stepTags !== undefined))) seen.add("snapshot.stepTags");
      if (result.agents.length >= 20) seen.add("fleet");
    }
    if (replay !== undefined) return;
    for (const name of Object.values(OPTIONAL_RESULT_FIELDS)) expect(seen).toContain(name);
    expect([...seen].sort()).toEqual(
      [
        "aborted", "abort_on_fail", "agent.stats", "bytesDecoded", "checks", "dropped_iterations", "errorKinds", "firstFailedAtMs", "fleet", "generator", "intended", "lostAtMs",
        "reason", "scriptErrors", "scriptErrors without frame", "snapshot.generator", "stats.errorKinds", "window", "threshold.tags", "summary.tags", "summary.tagSets", "tags folded", "snapshot.tagged", "snapshot.stepTags",
      ].sort(),
    );
  });
});
