// Keeps a closed-model scenario's VU count at its target: starts VUs, retires the newest first, tracks the live ones.
import type { ScenarioRecorder } from "../../metrics/recorder.ts";
import type { DataFeed, Part } from "../steps/data-feed.ts";
import type { ScenarioProgram } from "../steps/program.ts";
import type { Engine } from "../types.ts";
import type { ScriptRuntime } from "../script/index.ts";
import { Vu } from "./vu.ts";
import { WakeQueue } from "../wake-queue.ts";
import { startDelayMs } from "./stagger.ts";

export class ScenarioRunner {
  private readonly vus: Vu[] = [];
  private readonly retiring = new Set<Promise<void>>();
  /** VUs started so far: numbers them uniquely across the run's parts */
  private started = 0;
  /** every thinking VU of the scenario waits here: one timer, not one per VU */
  private readonly thinkQueue: WakeQueue | null;

  constructor(
    private readonly program: ScenarioProgram,
    private readonly recorder: ScenarioRecorder,
    private readonly engine: Engine,
    private readonly abort: AbortSignal,
    private readonly part: Part = { index: 0, count: 1 },
    private readonly feed: DataFeed | null = null,
    private readonly script: ScriptRuntime | null = null,
  ) {
    this.thinkQueue = program.thinkTimeMs > 0 ? new WakeQueue(program.thinkTimeMs) : null;
  }

  /**
   * Sets how many VUs run. A few new VUs start at once; a big step is spread over `spreadMs` (startDelayMs), so it
   * does not arrive as one burst of connections.
   */
  setTarget(target: number, spreadMs = 0): void {
    const add = target - this.vus.length;
    for (let i = 0; i < add; i++) {
      const delay = startDelayMs(i, add, spreadMs);
      const vuNumber = 1 + this.part.index + this.part.count * this.started++;
      this.vus.push(new Vu(this.program, this.recorder, this.engine, this.abort, vuNumber, this.feed, delay, this.script, this.thinkQueue));
    }
    while (this.vus.length > target) {
      const vu = this.vus.pop()!;
      vu.retire();
      const done = vu.done.finally(() => this.retiring.delete(done));
      this.retiring.add(done);
    }
    this.recorder.vus = this.vus.length;
  }

  get active(): number {
    return this.vus.length;
  }

  /** Retires every VU and resolves when all have finished their request in flight. */
  async stop(): Promise<void> {
    this.setTarget(0);
    await Promise.allSettled([...this.retiring]);
    this.thinkQueue?.close();
  }
}
