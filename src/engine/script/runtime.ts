// One scenario's script in one thread: the module loaded once, its shared setup result, its steps and its error log.
import type { ScenarioRecorder, StepRecorder } from "../../metrics/recorder.ts";
import type { ScriptRef } from "../../plan/types.ts";
import { importBundle, type ScriptModule } from "./module.ts";
import type { PreparedEntry } from "./http.ts";

/** A request with no `step` and no enclosing vu.step is recorded under this step. */
export const DEFAULT_STEP = "default";
/** Step names a script may make up per scenario; more (a name built from an id, say) go into OVERFLOW_STEP. */
export const MAX_SCRIPT_STEPS = 200;
export const OVERFLOW_STEP = "other steps";
/** Distinct error messages reported per thread (the pool caps the process's too). */
export const MAX_REPORTED_ERRORS = 10;

/** An exception a script threw, reported once per distinct message. */
export interface ScriptErrorReport {
  scenario: string;
  step: string;
  message: string;
  /** the first stack frame in the user's code, "flows/x.ts:12:7", when known */
  frame?: string;
}

export interface ScriptRuntimeOptions {
  env: Readonly<Record<string, string>>;
  recorder: ScenarioRecorder;
  abort: AbortSignal;
  /** the scenario data file's columns, for vu.data */
  columns: readonly string[];
  onError?: (report: ScriptErrorReport) => void;
}

export class ScriptRuntime {
  module: ScriptModule | null = null;
  shared: unknown = undefined;
  readonly ready: Promise<void>;
  private readonly steps = new Map<string, StepRecorder>();
  /** plain requests prepared once, for every VU of this scenario in this thread (engine/script/http.ts) */
  readonly prepared = new Map<string, PreparedEntry[]>();
  private readonly reported = new Set<string>();

  constructor(
    readonly ref: ScriptRef,
    readonly scenario: string,
    readonly options: ScriptRuntimeOptions,
  ) {
    this.ready = this.load();
    this.ready.catch(() => {});
  }

  private async load(): Promise<void> {
    this.module = await importBundle(this.ref);
    // one object for every VU of the thread: frozen, so no VU can change what another sees
    this.shared = this.ref.shared === undefined ? undefined : deepFreeze(JSON.parse(this.ref.shared));
  }

  step(name: string): StepRecorder {
    let st = this.steps.get(name);
    if (st !== undefined) return st;
    st = this.steps.size >= MAX_SCRIPT_STEPS ? this.options.recorder.step(OVERFLOW_STEP) : this.options.recorder.step(name);
    this.steps.set(name, st);
    return st;
  }

  /** Reports an exception once per distinct message, at most MAX_REPORTED_ERRORS of them. */
  report(report: ScriptErrorReport): void {
    if (this.reported.has(report.message) || this.reported.size >= MAX_REPORTED_ERRORS) return;
    this.reported.add(report.message);
    this.options.onError?.(report);
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
