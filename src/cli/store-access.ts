// The run store as the CLI uses it: where it lives, a sink for runs, and lookups local-first.
import { homedir } from "node:os";
import { join } from "node:path";
import type { RunSink } from "../controller/service.ts";
import type { Logger } from "../observability/logger.ts";
import { openRunStore, type RunOrigin, type RunStore } from "../store/index.ts";
import { IndusError } from "../core/errors.ts";
import { intFlag } from "./args.ts";
import type { CliIo } from "./io.ts";

export const dataDirFlags = {
  "data-dir": { type: "string", description: "Run store directory (default ~/.indus, env INDUS_DATA_DIR)" },
} as const;

export function dataDir(io: CliIo, args: Record<string, unknown>): string {
  return (args["data-dir"] as string | undefined) || io.env.INDUS_DATA_DIR || join(io.env.HOME || homedir(), ".indus");
}

/** Opens the store, marking runs a dead process left behind as aborted. */
export function openStore(io: CliIo, args: Record<string, unknown>): RunStore {
  const keepRuns = intFlag("keep-runs", args["keep-runs"], 1) ?? 100;
  const dir = dataDir(io, args);
  let store: RunStore;
  try {
    store = openRunStore(dir, { keepRuns });
  } catch (e) {
    // a folder that cannot be made or a file that is no database is the user's input, not an indus bug
    throw new IndusError("store_unavailable", `cannot open the run store in ${dir}: ${(e as Error).message}`, {
      hint: "pass --data-dir (or INDUS_DATA_DIR) with a folder you can write to",
    });
  }
  store.markInFlightAborted();
  return store;
}

/** A store that cannot be opened must not stop a load test: warn and run without history. */
export function tryOpenStore(io: CliIo, args: Record<string, unknown>, logger?: Logger): RunStore | undefined {
  try {
    return openStore(io, args);
  } catch (e) {
    const msg = `run history disabled: ${(e as Error).message}`;
    // a log line has its level already; "warning:" is for the plain terminal line
    if (logger) logger.warn(msg);
    else io.stderr.write(`warning: ${msg}\n`);
    return undefined;
  }
}

export function storeSink(store: RunStore, origin: RunOrigin, logger?: Logger): RunSink {
  return {
    begin(run) {
      store.createRun({
        id: run.id,
        planName: run.plan.name,
        planYaml: run.planYaml,
        planFile: run.planFile,
        plan: run.plan,
        startedAt: run.startedAt,
        origin,
        agents: run.agents,
      });
    },
    second(runId, entry) {
      store.appendSecond(runId, entry);
    },
    scriptErrors(runId, errors) {
      store.recordScriptErrors(runId, errors);
    },
    finish(result) {
      store.finishRun(result.runId, result);
      const pruned = store.prune();
      if (pruned > 0) logger?.info("pruned old runs", { pruned });
    },
  };
}
