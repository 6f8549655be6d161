// `indus run plan.yaml`: runs a plan locally (or, with --controller, on a controller) and exits 0/1/2.
import { defineCommand } from "citty";
import { createRealClock } from "../core/clock.ts";
import { ExitCode } from "../core/errors.ts";
import { createEngine } from "../engine/index.ts";
import { createInThreadExecutor } from "../engine/runner/executor.ts";
import { newRunId } from "../controller/run-id.ts";
import type { RunResult } from "../controller/types.ts";
import { loadPlanFile } from "../plan/index.ts";
import { createLiveTable, formatSummary } from "../report/text/index.ts";
import { formatThresholdResults } from "../threshold/index.ts";
import { durationFlag, enumFlag, intFlag } from "./args.ts";
import type { CliIo } from "./io.ts";
import { startLocalRun } from "./local-run.ts";
import { loggerFromFlags, logFlags } from "./logging.ts";

export const runArgs = {
  plan: { type: "positional", description: "Plan file (YAML)", required: true },
  controller: { type: "string", description: "Controller gRPC address host:port (default: run locally)" },
  engine: { type: "string", description: "HTTP engine: socket | fetch (default: the plan's, else socket)" },
  workers: { type: "string", description: "Worker threads for VUs (default: one per core)" },
  interval: { type: "string", description: "Live table interval", default: "5s" },
  quiet: { type: "boolean", description: "Print only the verdict", default: false },
  ...logFlags,
} as const;

export const runCommand = defineCommand({
  meta: { name: "run", description: "Execute a load test plan" },
  args: runArgs,
});

export async function runRun(io: CliIo, args: Record<string, unknown>): Promise<number> {
  const plan = await loadPlanFile(String(args.plan));
  const engineName = enumFlag("engine", args.engine, ["socket", "fetch"] as const) ?? plan.engine ?? "socket";
  const workers = intFlag("workers", args.workers, 1) ?? 1;
  const intervalMs = durationFlag("interval", args.interval) ?? 5000;
  const logger = loggerFromFlags(io, args, "silent");
  const clock = createRealClock();
  const runId = newRunId();
  const out = io.stdout;
  const quiet = Boolean(args.quiet);

  out.write(`Run started: ${runId} (state: running)\n`);
  const table = createLiveTable(out, { tty: Boolean(out.isTTY), intervalMs });

  const handle = startLocalRun({
    runId,
    plan,
    clock,
    logger,
    workers,
    createExecutor: (p) => createInThreadExecutor(p, createEngine(engineName), clock),
    onUpdate: (u) => {
      if (!quiet) table.update(u.row);
    },
  });

  let interrupts = 0;
  const removeSignal = io.onSignal((signal) => {
    interrupts++;
    if (interrupts > 1) {
      io.stderr.write("\nSecond interrupt: exiting now.\n");
      io.exitNow(ExitCode.failed);
    }
    io.stderr.write(`\n${signal}: stopping all VUs (press Ctrl-C again to exit at once)\n`);
    handle.abort(signal === "SIGINT" ? "interrupted (Ctrl-C)" : "terminated (SIGTERM)");
  });
  let result: RunResult;
  try {
    result = await handle.result;
  } finally {
    removeSignal();
  }
  if (!quiet) table.finish();
  out.write(renderVerdict(result));
  return result.passed ? ExitCode.ok : ExitCode.failed;
}

export function renderVerdict(result: RunResult): string {
  const lines: string[] = ["", "Final result:"];
  const word = result.state === "completed" ? "completed" : result.state;
  lines.push(`Run ${word}: ${result.runId}${result.reason ? ` (${result.reason})` : ""}`);
  lines.push("", formatSummary(result.summary, { durationMs: result.durationMs }));
  const code = result.passed ? ExitCode.ok : ExitCode.failed;
  if (result.thresholds.length > 0) {
    lines.push("", formatThresholdResults(result.thresholds));
    const failed = result.thresholds.filter((t) => !t.passed).length;
    if (failed === 0 && result.passed) lines.push("", `All thresholds passed. Exit code: ${code}`);
    else if (failed > 0) lines.push("", `${failed} of ${result.thresholds.length} thresholds failed. Exit code: ${code}`);
    else lines.push("", `Run ${result.state}. Exit code: ${code}`);
  } else {
    lines.push("", `No thresholds defined. Exit code: ${code}`);
  }
  return lines.join("\n") + "\n";
}
