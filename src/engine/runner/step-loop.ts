// A YAML scenario's VU loop, driven by callbacks: its steps in order, each request recorded, think_time, repeat.
import type { ScenarioRecorder } from "../../metrics/recorder.ts";
import type { DataFeed } from "../steps/data-feed.ts";
import type { ScenarioProgram } from "../steps/program.ts";
import { followRedirects, redirects, requestFor, settle, unsent } from "../steps/step-io.ts";
import { VuState } from "../steps/vu-state.ts";
import type { Engine, PreparedRequest, RequestResult } from "../types.ts";

/** What the loop needs of its VU: pauses that end early when the VU is retired, and whether it is. */
export interface LoopOwner {
  readonly retiring: boolean;
  /** calls `then` after ms, or at once when the VU is (or becomes) retired */
  pauseThen(ms: number, then: () => void): void;
}

/** How long a VU whose unique data rows are used up waits before it looks again whether it was retired. */
const FEED_DONE_PAUSE_MS = 250;

/**
 * One VU of a scenario without a script. A request's result comes back through a callback (HttpClient.sendThen),
 * not a promise and an `await`: no promise, reaction job or async function resume per request (measured at a 50 ms
 * target, 64 VUs, the in-thread path of bench/profile-hot-path.ts: 13.6 -> 13.0 µs a request, medians of 5 alternating
 * runs on a noisy day). A client without sendThen is driven through its promise.
 *
 * The loop runs in `advance`, which goes on until it has to wait (a request, a pause) and returns; the callback that
 * ends the wait calls it again. A callback that arrives while `advance` runs (a send refused at once) only marks it to
 * go on, so the stack never grows with the iterations. An iteration that waited for nothing (every step's URL rendered
 * into no URL, no think time) lets the event loop run before the next one: such a VU must not starve the run's timers.
 *
 * It stops softly (finishes the request in flight, skips the rest of its think time) when its owner is retired, and
 * at once when the run's abort signal fires (its request is cancelled and not recorded).
 */
export class StepLoop {
  readonly done: Promise<void>;
  private finish!: () => void;
  private fail!: (error: unknown) => void;
  private readonly vu: VuState;
  private readonly stepRecorders: ScenarioRecorder["steps"];
  /** the step to run next in this iteration; steps.length once it ran them all */
  private step = 0;
  /** the iteration ran every one of its steps (a retired VU stops between steps) */
  private completed = true;
  /** the iteration waited for the event loop: a response or a pause's end came back from it, not at once */
  private waited = false;
  private request: PreparedRequest | null = null;
  /** the result that ended the last wait, or null after a pause */
  private result: RequestResult | null = null;
  private phase: Phase = "start";
  private running = false;
  private again = false;
  private ended = false;
  private readonly onResult = (result: RequestResult | null): void => {
    this.result = result;
    if (!this.running) this.waited = true;
    this.resume();
  };
  private readonly onPause = (): void => {
    this.result = null;
    if (!this.running) this.waited = true;
    this.resume();
  };
  private readonly onError = (error: unknown): void => this.end(error);

  constructor(
    private readonly owner: LoopOwner,
    private readonly program: ScenarioProgram,
    private readonly recorder: ScenarioRecorder,
    engine: Engine,
    private readonly abort: AbortSignal,
    vuNumber: number,
    private readonly feed: DataFeed | null,
    private readonly startDelayMs: number,
  ) {
    this.done = new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    this.vu = new VuState(engine.createClient(), program, vuNumber);
    this.stepRecorders = recorder.steps;
    this.resume();
  }

  private resume(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        this.advance();
      } while (this.again && !this.ended);
    } catch (error) {
      this.end(error);
    } finally {
      this.running = false;
    }
  }

  /** Runs the loop from its phase until it has to wait. */
  private advance(): void {
    const { steps, thinkTimeMs } = this.program;
    const vu = this.vu;
    const abort = this.abort;
    for (;;) {
      if (this.ended) return;
      switch (this.phase) {
        case "start":
          this.phase = "iteration";
          if (this.startDelayMs > 0) return this.pause(this.startDelayMs);
          break;
        case "iteration": {
          if (this.owner.retiring || abort.aborted) return this.end();
          if (this.feed !== null) {
            const row = this.feed.next();
            if (row === null) {
              // unique rows used up: this VU has nothing left to do until it is retired
              this.phase = "feed-done";
              break;
            }
            vu.takeRow(this.feed.columns, row);
          }
          this.step = 0;
          this.completed = true;
          this.waited = false;
          this.phase = "step";
          break;
        }
        case "step": {
          const i = this.step;
          if (i >= steps.length) {
            this.phase = "think";
            break;
          }
          if (this.owner.retiring || abort.aborted) {
            this.completed = false;
            this.phase = "think";
            break;
          }
          const step = steps[i]!;
          // The hot path: a step without templates, checks or cookies sends its cached request and records.
          const request = requestFor(vu, step);
          if (typeof request === "string") {
            settle(vu, step, null, unsent(request), this.stepRecorders[i]!, -1);
            this.step = i + 1;
            break;
          }
          this.request = request;
          this.phase = "response";
          const client = vu.client;
          if (client.sendThen !== undefined) client.sendThen(request, abort, this.onResult);
          else client.send(request, abort).then(this.onResult, this.onError);
          return;
        }
        case "response": {
          if (abort.aborted) return this.end();
          const i = this.step;
          const step = steps[i]!;
          const result = this.result!;
          if (result.location != null && redirects(step, result)) {
            this.phase = "redirected";
            followRedirects(vu, step, this.request!, result, this.stepRecorders[i]!, -1, abort).then(this.onResult, this.onError);
            return;
          }
          settle(vu, step, this.request, result, this.stepRecorders[i]!, -1);
          this.request = null;
          this.step = i + 1;
          this.phase = "step";
          break;
        }
        case "redirected": {
          // followRedirects gives null when the run was aborted
          if (this.result === null || abort.aborted) return this.end();
          const i = this.step;
          settle(vu, steps[i]!, this.request, this.result, this.stepRecorders[i]!, -1);
          this.request = null;
          this.step = i + 1;
          this.phase = "step";
          break;
        }
        case "think":
          if (this.completed) this.recorder.iterations++;
          vu.iteration++;
          this.phase = "iteration";
          if (thinkTimeMs > 0) {
            vu.client.idle?.();
            return this.pause(thinkTimeMs);
          }
          if (!this.waited && !this.owner.retiring && !abort.aborted) {
            // nothing this iteration came back from the event loop: let timers and I/O run before the next one
            setImmediate(this.onPause);
            return;
          }
          break;
        case "feed-done":
          if (this.owner.retiring || abort.aborted) return this.end();
          return this.pause(FEED_DONE_PAUSE_MS);
      }
    }
  }

  private pause(ms: number): void {
    this.owner.pauseThen(ms, this.onPause);
  }

  private end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.vu.client.close();
    } finally {
      if (error === undefined) this.finish();
      else this.fail(error);
    }
  }
}

/**
 * Where a VU's loop is: before its start-up pause (start), between iterations (iteration: a data row, then the first
 * step), at a step's request (step), at its response (response) or after its redirects (redirected), at the end of an
 * iteration (think: count it, then think), or out of unique data rows, waiting to be retired (feed-done).
 */
type Phase = "start" | "iteration" | "step" | "response" | "redirected" | "think" | "feed-done";
