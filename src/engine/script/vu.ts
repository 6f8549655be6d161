// The `vu` a script's default export gets: requests, checks, steps, sleep, data, env and state, and one iteration's run.
import { parseDuration } from "../../core/duration.ts";
import type { StepRecorder } from "../../metrics/recorder.ts";
import type { VuState } from "../steps/vu-state.ts";
import { ScriptHttp, VuStopped, type HttpHost, type PreparedEntry } from "./http.ts";
import { errorMessage, userFrame } from "./module.ts";
import { DEFAULT_STEP, type ScriptRuntime } from "./runtime.ts";

/** How the runner lets a script VU wait and know it must stop. */
export interface VuHooks {
  /** Resolves after ms, or sooner when the VU stops. */
  pause(ms: number): Promise<void>;
  /** true once the VU is retired (closed model) or its scenario stopping: no new request starts */
  stopping(): boolean;
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

export class ScriptVu implements HttpHost {
  readonly http: ScriptHttp;
  readonly state: VuState;
  /** the script's own per-VU state (vu.state): kept across iterations */
  private readonly own: Record<string, unknown> = {};
  lateUs = -1;
  /** requests sent and sleeps begun: an iteration that adds none never let the event loop run */
  waits = 0;
  data: Readonly<Record<string, string>> = EMPTY;
  private readonly stack: string[] = [];
  /** the step of this iteration's latest request, and whether a failed check may still turn it into an error */
  private lastRecorder: StepRecorder | null = null;
  private lastMarkable = false;
  /** the sleep in progress, if any */
  private sleeping: Promise<void> | null = null;
  /** which vu.step an exception left from */
  private readonly thrownIn = new WeakMap<object, string>();

  constructor(
    readonly runtime: ScriptRuntime,
    state: VuState,
    private readonly hooks: VuHooks,
  ) {
    this.state = state;
    this.http = new ScriptHttp(this);
  }

  get id(): number {
    return this.state.vu;
  }
  get iteration(): number {
    return this.state.iteration;
  }
  get scenario(): string {
    return this.runtime.scenario;
  }
  get env(): Readonly<Record<string, string>> {
    return this.runtime.options.env;
  }
  get vars(): Map<string, string> {
    return this.state.vars;
  }
  get abort(): AbortSignal {
    return this.runtime.options.abort;
  }
  get prepared(): Map<string, PreparedEntry[]> {
    return this.runtime.prepared;
  }

  /** vu.state is the script's; `state` (the VuState) is indus's own. */
  get stateForScript(): Record<string, unknown> {
    return this.own;
  }

  halted(): boolean {
    return this.hooks.stopping();
  }

  recorderFor(step: string | undefined): StepRecorder {
    return this.runtime.step(step ?? this.stack[this.stack.length - 1] ?? DEFAULT_STEP);
  }

  recorded(recorder: StepRecorder, failed: boolean): void {
    this.lastRecorder = recorder;
    this.lastMarkable = !failed;
  }

  /** The step a check or an exception belongs to: the enclosing vu.step, else the latest request's, else "default". */
  currentStep(): string {
    return this.stack[this.stack.length - 1] ?? this.lastRecorder?.name ?? DEFAULT_STEP;
  }

  check(name: string, ok: unknown, options?: { asError?: boolean }): boolean {
    const recorder = this.runtime.step(this.currentStep());
    const i = recorder.checkIndex(String(name));
    const passed = Boolean(ok);
    if (passed) recorder.checkPasses[i]!++;
    else {
      recorder.checkFails[i]!++;
      // as a plan step's check: the request it judged becomes an error of class "check" (once)
      if (options?.asError !== false && this.lastRecorder === recorder && this.lastMarkable) {
        recorder.reclassify("check");
        this.lastMarkable = false;
      }
    }
    return passed;
  }

  async step<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    this.stack.push(String(name));
    try {
      return await fn();
    } catch (e) {
      if (e !== null && typeof e === "object" && !this.thrownIn.has(e)) this.thrownIn.set(e, String(name));
      throw e;
    } finally {
      this.stack.pop();
    }
  }

  async sleep(duration: string | number): Promise<void> {
    this.waits++;
    const ms = typeof duration === "number" ? duration : parseDuration(duration);
    if (ms === undefined || !(ms >= 0)) throw new TypeError(`invalid duration ${JSON.stringify(duration)}: use "1s", "250ms" or a number of ms`);
    // the runner's pause holds one sleeper per VU: a second sleep at the same time waits on a timer of its own
    if (this.sleeping !== null) return new Promise<void>((resolve) => setTimeout(resolve, this.hooks.stopping() ? 0 : ms));
    const pause = this.hooks.pause(ms);
    this.sleeping = pause;
    try {
      await pause;
    } finally {
      this.sleeping = null;
    }
  }

  /**
   * One iteration: the default export with this VU and the shared setup result. An exception is an error
   * of class "script" on the current step, reported once per distinct message; the VU goes on.
   * Returns false when the VU was stopped during it (the iteration is not counted).
   */
  async iterate(lateUs: number): Promise<boolean> {
    this.lateUs = lateUs;
    this.stack.length = 0;
    this.lastRecorder = null;
    this.lastMarkable = false;
    const columns = this.runtime.options.columns;
    if (columns.length > 0) {
      const row: Record<string, string> = {};
      for (const c of columns) row[c] = this.state.vars.get(c) ?? "";
      this.data = row;
    }
    const module = this.runtime.module;
    if (module === null) throw new Error(`script ${this.runtime.ref.file} is not loaded`);
    try {
      await module.run(this.api, this.runtime.shared);
      return true;
    } catch (e) {
      if (e instanceof VuStopped || this.abort.aborted) return false;
      const step = (e !== null && typeof e === "object" ? this.thrownIn.get(e) : undefined) ?? this.currentStep();
      this.runtime.step(step).recordFailure("script");
      const frame = userFrame(e);
      this.runtime.report({ scenario: this.scenario, step, message: errorMessage(e), ...(frame === undefined ? {} : { frame }) });
      return true;
    }
  }

  /** What the script sees as `vu`: the VU API and nothing of indus's internals. */
  private readonly api = scriptFacing(this);
}

function scriptFacing(vu: ScriptVu) {
  return {
    get id() {
      return vu.id;
    },
    get iteration() {
      return vu.iteration;
    },
    get scenario() {
      return vu.scenario;
    },
    get data() {
      return vu.data;
    },
    get env() {
      return vu.env;
    },
    get state() {
      return vu.stateForScript;
    },
    get vars() {
      return vu.vars;
    },
    get http() {
      return vu.http;
    },
    check: (name: string, ok: unknown, options?: { asError?: boolean }) => vu.check(name, ok, options),
    step: <T>(name: string, fn: () => T | Promise<T>) => vu.step(name, fn),
    sleep: (duration: string | number) => vu.sleep(duration),
  };
}
