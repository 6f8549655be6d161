// One virtual user: runs its scenario's steps in order, records each request, waits think_time, repeats.
import type { Clock } from "../../core/clock.ts";
import type { ScenarioRecorder, StepRecorder } from "../../metrics/recorder.ts";
import type { Engine, PreparedRequest } from "../types.ts";

export interface VuScenario {
  requests: PreparedRequest[];
  thinkTimeMs: number;
}

/**
 * A VU stops softly (finishes the request in flight, skips the rest of its think time) when
 * `retire()` is called, and at once when the run's abort signal fires (its request is cancelled and
 * not recorded).
 */
export class Vu {
  private readonly retired = new AbortController();
  readonly done: Promise<void>;

  constructor(
    scenario: VuScenario,
    recorder: ScenarioRecorder,
    engine: Engine,
    clock: Clock,
    abort: AbortSignal,
    startDelayMs = 0,
  ) {
    this.done = runVu(scenario, recorder.steps, recorder, engine, clock, abort, this.retired.signal, startDelayMs);
  }

  retire(): void {
    this.retired.abort();
  }

  get retiring(): boolean {
    return this.retired.signal.aborted;
  }
}

async function runVu(
  scenario: VuScenario,
  steps: StepRecorder[],
  recorder: ScenarioRecorder,
  engine: Engine,
  clock: Clock,
  abort: AbortSignal,
  retired: AbortSignal,
  startDelayMs: number,
): Promise<void> {
  const { requests, thinkTimeMs } = scenario;
  if (startDelayMs > 0) await clock.sleep(startDelayMs, retired);
  const client = engine.createClient();
  try {
    while (!retired.aborted && !abort.aborted) {
      let completed = true;
      for (let i = 0; i < requests.length; i++) {
        if (retired.aborted || abort.aborted) {
          completed = false;
          break;
        }
        const result = await client.send(requests[i]!, abort);
        if (abort.aborted) return;
        steps[i]!.record(result);
      }
      if (completed) recorder.iterations++;
      if (thinkTimeMs > 0) await clock.sleep(thinkTimeMs, retired);
    }
  } finally {
    client.close();
  }
}
