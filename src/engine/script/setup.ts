// setup() once per run before any VU starts, teardown() once after: run where `indus run` runs, bounded in time.
import { formatDuration } from "../../core/duration.ts";
import { IndusError } from "../../core/errors.ts";
import type { Plan, Scenario } from "../../plan/types.ts";
import type { ScenarioProgram } from "../steps/program.ts";
import { VuState } from "../steps/vu-state.ts";
import type { Engine } from "../types.ts";
import { ScriptHttp, type HttpHost } from "./http.ts";
import { describeError, importBundle, ScriptLoadError } from "./module.ts";

/** setup and teardown each get this long. */
export const SETUP_TIMEOUT_MS = 60_000;

/** setup() or teardown() threw (or timed out): the run does not start, or reports the failure. */
export class ScriptSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScriptSetupError";
  }
}

export interface ScriptLifecycle {
  /** whether any script has a teardown() to run after the run */
  hasTeardown: boolean;
  /** per scenario whose script has setup(): what it returned, as JSON */
  shared: Record<string, string>;
  /** Calls each script's teardown(ctx, shared); throws ScriptSetupError naming the first that failed. */
  teardown(): Promise<void>;
}

/**
 * Runs every script's setup() (the plan's scripts bundled and attached: attachPlanInputs). Its requests
 * use the plan's engine and a cookie jar of their own, and are not part of the run's metrics.
 */
export async function runScriptSetup(
  plan: Plan,
  engines: Engine | { forScenario(sc: Scenario): Engine },
  env: Readonly<Record<string, string>>,
  options: { timeoutMs?: number } = {},
): Promise<ScriptLifecycle> {
  const timeoutMs = options.timeoutMs ?? SETUP_TIMEOUT_MS;
  const shared: Record<string, string> = {};
  const teardowns: { sc: Scenario; run: () => Promise<void> }[] = [];
  for (const sc of plan.scenarios) {
    const ref = sc.script;
    if (ref === undefined) continue;
    // a script that does not load or lacks a default export is bad input, as a bad plan is (exit 2)
    // the scenario's own engine (HTTP/1.1 or 2, the plan's tls block), as its VUs have
    const engine = "forScenario" in engines ? engines.forScenario(sc) : engines;
    const module = await importBundle(ref).catch((e) => {
      throw e instanceof ScriptLoadError ? new IndusError("script_invalid", e.message) : e;
    });
    let value: unknown;
    if (module.setup !== undefined) {
      const setup = module.setup;
      const ctx = contextFor(sc, engine, env);
      try {
        value = await bounded(`${ref.file}: setup()`, () => setup(ctx.api), timeoutMs);
      } finally {
        ctx.close();
      }
      let json: string | undefined;
      try {
        json = JSON.stringify(value);
      } catch (e) {
        throw new ScriptSetupError(`${ref.file}: setup() returned a value that is not JSON: ${(e as Error).message}`);
      }
      if (json !== undefined) shared[sc.name] = json;
      value = json === undefined ? undefined : JSON.parse(json);
    }
    if (module.teardown !== undefined) {
      const teardown = module.teardown;
      teardowns.push({
        sc,
        run: async () => {
          const c = contextFor(sc, engine, env);
          try {
            await bounded(`${ref.file}: teardown()`, () => teardown(c.api, value), timeoutMs);
          } finally {
            c.close();
          }
        },
      });
    }
  }
  return {
    shared,
    hasTeardown: teardowns.length > 0,
    async teardown() {
      let first: Error | undefined;
      for (const t of teardowns) {
        try {
          await t.run();
        } catch (e) {
          first ??= e as Error;
        }
      }
      if (first) throw first;
    },
  };
}

function contextFor(sc: Scenario, engine: Engine, env: Readonly<Record<string, string>>) {
  const abort = new AbortController();
  const state = new VuState(engine.createClient(), { name: sc.name, cookies: sc.cookies ?? true } as ScenarioProgram, 0);
  const host: HttpHost = {
    state,
    abort: abort.signal,
    lateUs: -1,
    waits: 0,
    recorderFor: () => null,
    halted: () => false,
    recorded() {},
  };
  const columns = sc.data?.columns ?? [];
  const data = (sc.data?.rows ?? []).map((row) => Object.freeze(Object.fromEntries(columns.map((c, i) => [c, row[i] ?? ""]))));
  return {
    api: { http: new ScriptHttp(host), env, scenario: sc.name, data },
    close() {
      abort.abort();
      state.client.close();
    },
  };
}

async function bounded(what: string, fn: () => unknown, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ScriptSetupError(`${what} did not finish within ${formatDuration(ms)}`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(fn), timeout]);
  } catch (e) {
    if (e instanceof ScriptSetupError) throw e;
    throw new ScriptSetupError(`${what} failed: ${describeError(e)}`);
  } finally {
    clearTimeout(timer);
  }
}
