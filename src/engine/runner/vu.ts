// One closed-model virtual user: runs its scenario's steps in order, records each request, waits think_time, repeats.
import type { Clock } from "../../core/clock.ts";
import type { ScenarioRecorder } from "../../metrics/recorder.ts";
import type { DataFeed } from "../journey/data-feed.ts";
import type { ScenarioProgram } from "../journey/program.ts";
import { followRedirects, redirects, requestFor, settle, unsent } from "../journey/step-io.ts";
import { VuState } from "../journey/vu-state.ts";
import type { Engine } from "../types.ts";

/**
 * A VU stops softly (finishes the request in flight, skips the rest of its think time) when
 * `retire()` is called, and at once when the run's abort signal fires (its request is cancelled and
 * not recorded).
 */
export class Vu {
  private readonly retired = new AbortController();
  readonly done: Promise<void>;

  constructor(
    program: ScenarioProgram,
    recorder: ScenarioRecorder,
    engine: Engine,
    clock: Clock,
    abort: AbortSignal,
    /** 1-based, unique across the run */
    vuNumber: number,
    feed: DataFeed | null,
    startDelayMs = 0,
  ) {
    this.done = runVu(program, recorder, engine, clock, abort, this.retired.signal, vuNumber, feed, startDelayMs);
  }

  retire(): void {
    this.retired.abort();
  }

  get retiring(): boolean {
    return this.retired.signal.aborted;
  }
}

async function runVu(
  program: ScenarioProgram,
  recorder: ScenarioRecorder,
  engine: Engine,
  clock: Clock,
  abort: AbortSignal,
  retired: AbortSignal,
  vuNumber: number,
  feed: DataFeed | null,
  startDelayMs: number,
): Promise<void> {
  const { steps, thinkTimeMs } = program;
  const stepRecorders = recorder.steps;
  if (startDelayMs > 0) await clock.sleep(startDelayMs, retired);
  const client = engine.createClient();
  const vu = new VuState(client, program, vuNumber);
  try {
    while (!retired.aborted && !abort.aborted) {
      if (feed !== null) {
        const row = feed.next();
        if (row === null) {
          // unique rows used up: this VU has nothing left to do until it is retired
          while (!retired.aborted && !abort.aborted) await clock.sleep(250, retired);
          return;
        }
        vu.takeRow(feed.columns, row);
      }
      let completed = true;
      for (let i = 0; i < steps.length; i++) {
        if (retired.aborted || abort.aborted) {
          completed = false;
          break;
        }
        const step = steps[i]!;
        // The hot path: a step without templates, checks or cookies sends its cached request and records.
        const request = requestFor(vu, step);
        if (typeof request === "string") {
          settle(vu, step, null, unsent(), stepRecorders[i]!, -1);
          continue;
        }
        let result = await client.send(request, abort);
        if (abort.aborted) return;
        if (result.location != null && redirects(step, result)) {
          const last = await followRedirects(vu, step, request, result, stepRecorders[i]!, -1, abort);
          if (last === null) return;
          result = last;
        }
        settle(vu, step, request, result, stepRecorders[i]!, -1);
      }
      if (completed) recorder.iterations++;
      vu.iteration++;
      if (thinkTimeMs > 0) await clock.sleep(thinkTimeMs, retired);
    }
  } finally {
    client.close();
  }
}
