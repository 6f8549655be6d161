/** @jsxImportSource preact */
// The report's head: plan, run id, state, verdict, when, how long, and on which agents.
import type { Comparison } from "../compare.ts";
import type { ReportInput } from "../model.ts";
import { duration, timestamp } from "./format.ts";

/** What only a run still going has: how far it is, and that its verdict is so far. */
export interface LiveFacts {
  elapsedMs: number;
  plannedMs: number;
}

export function Header({ input, comparison, live }: { input: ReportInput; comparison: Comparison | undefined; live?: LiveFacts | undefined }) {
  const lost = input.agents.filter((a) => a.state === "lost").length;
  const failedThresholds = input.thresholds.filter((t) => !t.passed).length;
  const verdict = `${input.passed ? "\u2713 PASSED" : "\u2717 FAILED"}${live ? " so far" : ""}`;
  return (
    <header class="head">
      <div class="title-row">
        <h1>{input.planName}</h1>
        <span class={`badge state-${input.state}`}>{input.state}</span>
        <span class={`badge verdict ${input.passed ? "pass" : "fail"}`}>{verdict}</span>
      </div>
      <dl class="facts">
        <div>
          <dt>Run</dt>
          <dd>
            <code>{input.runId}</code>
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{timestamp(input.startedAt)}</dd>
        </div>
        {live ? (
          <div>
            <dt>Elapsed / planned</dt>
            <dd id="elapsed">
              {duration(live.elapsedMs)} / {duration(live.plannedMs)}
            </dd>
          </div>
        ) : (
          <div>
            <dt>Duration</dt>
            <dd>{duration(input.durationMs)}</dd>
          </div>
        )}
        <div>
          <dt>Agents</dt>
          <dd>
            {input.agents.length}
            {lost > 0 ? <span class="warn"> ({lost} lost)</span> : null}
          </dd>
        </div>
        <div>
          <dt>Thresholds</dt>
          <dd>{input.thresholds.length === 0 ? "none" : failedThresholds === 0 ? `all ${input.thresholds.length} passed` : `${failedThresholds} of ${input.thresholds.length} failed`}</dd>
        </div>
        {input.planFile ? (
          <div>
            <dt>Plan file</dt>
            <dd>
              <code>{input.planFile}</code>
            </dd>
          </div>
        ) : null}
      </dl>
      {input.reason ? <p class="reason">Ended early: {input.reason}</p> : null}
      {input.summaryFromTimeline ? <p class="reason">This run never finished: its summary was merged from the {input.timeline.length} seconds it stored.</p> : null}
      {comparison ? (
        <p class="baseline-note">
          Compared with baseline run <code>{comparison.baseline.runId}</code> ({comparison.baseline.planName}, {timestamp(comparison.baseline.startedAt)}, {comparison.baseline.state}).
          Changes beyond ±{Math.round(comparison.tolerance * 100)}% are marked: <span class="delta worse">worse</span> <span class="delta better">better</span>.
        </p>
      ) : null}
    </header>
  );
}
