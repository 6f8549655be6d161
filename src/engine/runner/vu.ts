// One closed-model virtual user: its pauses and its retirement. A scenario without a script runs its loop in StepLoop
// (step-loop.ts, callbacks, no promise per request); one with a script in runScriptVu below (the script is async).
import type { ScenarioRecorder } from "../../metrics/recorder.ts";
import type { DataFeed } from "../steps/data-feed.ts";
import type { ScenarioProgram } from "../steps/program.ts";
import { runStep } from "../steps/step-io.ts";
import { VuState } from "../steps/vu-state.ts";
import type { Engine } from "../types.ts";
import { ScriptVu, type ScriptRuntime } from "../script/index.ts";
import type { Sleeper, WakeQueue } from "../wake-queue.ts";
import { StepLoop, type LoopOwner } from "./step-loop.ts";

/**
 * A VU stops softly (finishes the request in flight, skips the rest of its think time) when
 * `retire()` is called, and at once when the run's abort signal fires (its request is cancelled and
 * not recorded).
 *
 * Memory and CPU: a run may hold tens of thousands of VUs, most of them thinking. A thinking VU is parked
 * in its scenario's WakeQueue (one timer for all of them, woken in batches) when one is given; other pauses
 * (the start-up spread) use one timer of the VU's own that retire() cancels, never an AbortController with a
 * listener per pause (measured: ~0.9 KB of native memory per VU for the controller and its listener).
 */
export class Vu implements Sleeper, LoopOwner {
  private retiredFlag = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** ticket in `thinkQueue` while parked there, else -1 */
  private ticket = -1;
  private resolvePause: (() => void) | null = null;
  readonly done: Promise<void>;

  constructor(
    program: ScenarioProgram,
    recorder: ScenarioRecorder,
    engine: Engine,
    abort: AbortSignal,
    /** 1-based, unique across the run */
    vuNumber: number,
    feed: DataFeed | null,
    startDelayMs = 0,
    script: ScriptRuntime | null = null,
    private readonly thinkQueue: WakeQueue | null = null,
  ) {
    this.done =
      script === null
        ? new StepLoop(this, program, recorder, engine, abort, vuNumber, feed, startDelayMs).done
        : runScriptVu(this, program, recorder, engine, abort, vuNumber, feed, startDelayMs, script);
  }

  retire(): void {
    this.retiredFlag = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.ticket >= 0) this.thinkQueue!.cancel(this.ticket);
    this.ticket = -1;
    this.resume();
  }

  get retiring(): boolean {
    return this.retiredFlag;
  }

  /** Resolves after ms, or at once when the VU is (or becomes) retired. */
  pause(ms: number): Promise<void> {
    if (this.retiredFlag || !(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve) => this.pauseThen(ms, resolve));
  }

  /** Calls `then` after ms, or at once when the VU is (or becomes) retired. */
  pauseThen(ms: number, then: () => void): void {
    if (this.retiredFlag || !(ms > 0)) {
      then();
      return;
    }
    this.resolvePause = then;
    const queue = this.thinkQueue;
    if (queue !== null && queue.pauseMs === ms) this.ticket = queue.park(this);
    else this.timer = setTimeout(endPause, ms, this);
  }

  /** The think queue woke this VU (Sleeper). */
  wake(): void {
    this.ticket = -1;
    this.resume();
  }

  /** The pause's timer fired. */
  timerFired(): void {
    this.timer = null;
    this.resume();
  }

  private resume(): void {
    const resolve = this.resolvePause;
    this.resolvePause = null;
    resolve?.();
  }
}

/** One timer callback for every VU (the VU rides as the timer's argument): no closure per VU. */
function endPause(vu: Vu): void {
  vu.timerFired();
}

/**
 * A VU of a scenario with a script: the script's iteration, then the scenario's steps if it has any, then think_time.
 * An iteration that sent nothing and slept for nothing (a script that only computes, or returns early) lets the event
 * loop run before the next one, or the VU would hold the thread: the run's timers, its end among them, would never fire.
 */
async function runScriptVu(
  self: Vu,
  program: ScenarioProgram,
  recorder: ScenarioRecorder,
  engine: Engine,
  abort: AbortSignal,
  vuNumber: number,
  feed: DataFeed | null,
  startDelayMs: number,
  script: ScriptRuntime,
): Promise<void> {
  const { steps, thinkTimeMs } = program;
  const stepRecorders = recorder.steps;
  if (startDelayMs > 0) await self.pause(startDelayMs);
  // the executor is ready only once its scripts are loaded: this waits only if VUs were asked for before
  await script.ready.catch(() => {});
  if (script.module === null) return;
  const client = engine.createClient();
  const vu = new VuState(client, program, vuNumber);
  const scriptVu = new ScriptVu(script, vu, { pause: (ms) => self.pause(ms), stopping: () => self.retiring || abort.aborted });
  vu.script = scriptVu;
  try {
    while (!self.retiring && !abort.aborted) {
      if (feed !== null) {
        const row = feed.next();
        if (row === null) {
          // unique rows used up: this VU has nothing left to do until it is retired
          while (!self.retiring && !abort.aborted) await self.pause(250);
          return;
        }
        vu.takeRow(feed.columns, row);
      }
      const waitsBefore = scriptVu.waits;
      let completed = await scriptVu.iterate(-1);
      if (abort.aborted) return;
      let sent = false;
      for (let i = 0; completed && i < steps.length; i++) {
        if (self.retiring || abort.aborted) {
          completed = false;
          break;
        }
        const outcome = await runStep(vu, steps[i]!, stepRecorders[i]!, -1, abort);
        if (outcome === "aborted") return;
        if (outcome === "sent") sent = true;
      }
      if (completed) recorder.iterations++;
      vu.iteration++;
      if (thinkTimeMs > 0) {
        client.idle?.();
        await self.pause(thinkTimeMs);
      } else if (!sent && scriptVu.waits === waitsBefore) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    client.close();
  }
}
