// `indus run plan.yaml`: runs a plan locally (or, with --controller, on a controller) and exits 0/1/2.
import { defineCommand } from "citty";
import { readFileSync } from "node:fs";
import { createRealClock } from "../core/clock.ts";
import { ExitCode, IndusError } from "../core/errors.ts";
import type { RunEvent } from "../controller/service.ts";
import { createLoadExecutor, defaultWorkerCount } from "../engine/workers/index.ts";
import type { RunResult, ScriptError } from "../run/types.ts";
import type { Plan } from "../plan/types.ts";
import { collectPlanInputs, loadPlanFile, parsePlan, type PlanInputs } from "../plan/index.ts";
import { prepareScripts } from "./scripts.ts";
import { reportInputFromResult, type ReportInput } from "../report/model.ts";
import { checkReportDestination, parseReportTarget, writeReports, type ReportTarget } from "./reports.ts";
import { dataDirFlags, storeSink, tryOpenStore } from "./store-access.ts";
import { createLiveTable, formatSummary } from "../report/text/index.ts";
import { formatThresholdResults } from "../threshold/index.ts";
import { formatSaturationWarning } from "../metrics/generator.ts";
import { durationFlag, enumFlag, intFlag, repeatedFlag, workersFlag } from "./args.ts";
import type { CliIo } from "./io.ts";
import { LOCAL_AGENT, startLocalRun } from "./local-run.ts";
import { fleetFlags, fleetSources, startFleetRun, wantsFleet } from "./fleet-run.ts";
import { guardProcess } from "./crash-guard.ts";
import { loggerFromFlags, logFlags } from "./logging.ts";
import { watchInterrupts, type Interrupts } from "./interrupts.ts";
import { securityFlags, securityFromFlags } from "./security-flags.ts";
import { dashboardAddress, runDashboardFlags, startLocalDashboard } from "./dashboard.ts";

export const runArgs = {
  plan: { type: "positional", description: "Plan file (YAML)", required: true },
  controller: { type: "string", description: "Controller gRPC address host:port (default: run locally)" },
  engine: { type: "string", description: "HTTP engine: socket | fetch (default: the plan's, else socket)" },
  workers: { type: "string", description: "Worker threads for VUs (default: one per core; with one, a plan without scripts runs its VUs in the main thread)" },
  interval: { type: "string", description: "Live table interval", default: "5s" },
  quiet: { type: "boolean", description: "No live table while the run goes (the summary and the verdict are still printed)", default: false },
  "summary-by": { type: "string", description: "Break the end-of-run summary down by a tag (repeatable): tag:NAME, or tags for every tag key" },
  report: { type: "string", description: "Write a report at the end (repeatable): out.html, out.json, junit.xml, summary.md" },
  baseline: { type: "string", description: "Compare the reports with this earlier run" },
  "keep-runs": { type: "string", description: "Runs kept in the local run store", default: "100" },
  ...dataDirFlags,
  "no-stream": { type: "boolean", description: "With --controller: submit, print the run id and return", default: false },
  detach: { type: "boolean", description: "With --controller: Ctrl-C leaves the run going on the controller", default: false },
  ...fleetFlags,
  ...securityFlags,
  ...runDashboardFlags,
  ...logFlags,
} as const;

export const runCommand = defineCommand({
  meta: { name: "run", description: "Execute a load test plan" },
  args: runArgs,
});

/** A submitted run as the CLI sees it, local or remote. */
export interface RunSession {
  runId: string;
  events: AsyncIterable<RunEvent>;
  abort(reason: string): void;
}

export async function runRun(io: CliIo, args: Record<string, unknown>, rawArgs: string[] = []): Promise<number> {
  refuseFlagsThatCannotApply(args);
  const reports = repeatedFlag(rawArgs, "report").map(parseReportTarget);
  if (reports.length === 0 && typeof args.report === "string") reports.push(parseReportTarget(args.report));
  for (const target of reports) checkReportDestination(target.file, "--report");
  intFlag("keep-runs", args["keep-runs"], 1);
  const planFile = String(args.plan);
  const plan = await loadPlanFile(planFile);
  const planYaml = readFileSync(planFile, "utf8");
  // data files and env values travel with the plan, read here where the user wrote them
  let inputs = await collectPlanInputs(plan, { planFile, planYaml }, io.env);
  const engineName = enumFlag("engine", args.engine, ["socket", "fetch"] as const) ?? plan.engine ?? "socket";
  // bad flags are refused before any script's setup() runs
  workersFlag(args.workers);
  durationFlag("interval", args.interval);
  summaryBy(rawArgs, args);
  if (args.controller && dashboardAddress(rawArgs, args) !== undefined) {
    throw new IndusError("bad_flag", "--dashboard shows a local run; a run on a controller is shown by the controller's own dashboard", {
      hint: "start the controller with --ui-addr=127.0.0.1:5665 and open that address",
    });
  }
  if (args.controller && wantsFleet(args)) {
    throw new IndusError("bad_flag", "--agents/--discover run the controller in this process; --controller submits to a standing one: give one or the other");
  }
  if (wantsFleet(args)) fleetSources(args); // a bad --agents entry is refused before setup() runs
  // an unknown baseline is found out before the load, not after it (the reports would be lost)
  const baseline = args.baseline ? await (await import("./run-lookup.ts")).findReportInput(io, args, String(args.baseline)) : undefined;
  // scripts are bundled here, where their imports are; setup() runs here, once, before the run starts
  const scripts = await prepareScripts(io, plan, { planFile, planYaml }, inputs, engineName);
  if (scripts === "failed") return ExitCode.failed;
  inputs = scripts.inputs;
  // --no-stream returns while the run goes on: its end is not seen here, so teardown() cannot follow it
  if (args.controller && args["no-stream"]) {
    if (scripts.hasTeardown) io.stderr.write("note: --no-stream: the scripts' teardown() is not run (the run's end is not awaited here)\n");
    return runWithInputs(io, args, rawArgs, { plan, planFile, planYaml, inputs, engineName, reports, baseline });
  }
  let code: number;
  try {
    code = await runWithInputs(io, args, rawArgs, { plan, planFile, planYaml, inputs, engineName, reports, baseline });
  } catch (e) {
    await scripts.teardown();
    throw e;
  }
  // teardown() failing fails the run: what it was to clean up may still be there
  return (await scripts.teardown()) ? code : ExitCode.failed;
}

async function runWithInputs(
  io: CliIo,
  args: Record<string, unknown>,
  rawArgs: string[],
  opts: { plan: Plan; planFile: string; planYaml: string; inputs: PlanInputs; engineName: "socket" | "fetch"; reports: ReportTarget[]; baseline: ReportInput | undefined },
): Promise<number> {
  const { plan, planFile, planYaml, inputs, engineName, reports, baseline } = opts;
  const workers = workersFlag(args.workers) ?? defaultWorkerCount();
  const intervalMs = durationFlag("interval", args.interval) ?? 5000;
  const logger = loggerFromFlags(io, args, "silent");
  const clock = createRealClock();
  const quiet = Boolean(args.quiet);
  const byTags = summaryBy(rawArgs, args);
  // from here on an interrupt stops the run, even one that comes while it is still starting
  const interrupts = watchInterrupts(io);
  if (args.controller) return runRemote(io, args, planYaml, planFile, interrupts, { intervalMs, quiet, reports, inputs, baseline, byTags });

  const dashboard = await startLocalDashboard(io, args, rawArgs);
  const store = tryOpenStore(io, args);
  let closeFleet: (() => Promise<void>) | undefined;
  try {
    const sink = dashboard ? dashboard.sink(store && storeSink(store, "local")) : store && storeSink(store, "local");
    // --agents / --discover: the same run, its controller here, its agents elsewhere
    const fleet = wantsFleet(args) ? await startFleetRun(io, args, { planYaml, planFile, inputs, clock, logger, sink, onUpdate: dashboard?.onUpdate }) : undefined;
    closeFleet = fleet?.close;
    const active =
      fleet?.active ??
      (await startLocalRun({
        planYaml,
        planFile,
        plan,
        inputs,
        clock,
        logger,
        workers,
        // script errors reach the controller like a remote agent's, and are printed below as for every run
        createExecutor: (p, part, events) => createLoadExecutor(p, { workers, engine: engineName, part, onScriptError: events.onScriptError }, clock),
        sink,
        onUpdate: dashboard?.onUpdate,
      }));
    dashboard?.watch(active);
    const session: RunSession = { runId: active.id, events: active.events(), abort: (r) => active.handle.abort(r) };
    // a bug inside the run ends it with the reason, not with a stack trace
    const unguard = guardProcess(io, logger, (reason) => active.handle.abort(reason));
    const result = await streamRun(io, session, interrupts, { intervalMs, quiet, byTags }).finally(unguard);
    if (reports.length > 0) {
      const input = reportInputFromResult(result, plan, { planYaml, planFile });
      await writeReports(reports, input, baseline, io.stdout);
    }
    return exitCodeOf(result);
  } finally {
    await closeFleet?.();
    store?.close();
    await dashboard?.stop();
  }
}

/** `--summary-by tag:endpoint --summary-by tag:region` (or `tag:a,tag:b`), or `tags` for every tag key. */
export function summaryBy(rawArgs: string[], args: Record<string, unknown>): string[] | "all" {
  const given = repeatedFlag(rawArgs, "summary-by");
  if (given.length === 0 && typeof args["summary-by"] === "string") given.push(args["summary-by"]);
  const keys: string[] = [];
  for (const item of given.flatMap((g) => g.split(","))) {
    const word = item.trim();
    if (word === "tags" || word === "tag") return "all";
    if (!word.startsWith("tag:") || word.length === 4) {
      throw new IndusError("bad_flag", `--summary-by: "${word}" is not a breakdown (write tag:NAME, e.g. --summary-by tag:endpoint, or tags for every tag)`);
    }
    keys.push(word.slice(4));
  }
  return keys;
}

/** citty reads `--no-stream` as the negation of a `stream` flag: stream=false, and no-stream keeps its default. */
function noStreamOf(args: Record<string, unknown>): boolean {
  return args["no-stream"] === true || args.stream === false;
}

/** A flag that would be silently ignored is refused: `--no-stream` without a controller would run a whole test. */
export function refuseFlagsThatCannotApply(args: Record<string, unknown>): void {
  const given = (name: string) => args[name] !== undefined && args[name] !== false && args[name] !== "";
  const remote = given("controller");
  const refuse = (flag: string, why: string, hint: string) => {
    throw new IndusError("bad_flag", `${flag} ${why}`, { hint });
  };
  if (!remote && noStreamOf(args)) refuse("--no-stream", "needs --controller: a local run has nothing to submit to", "add --controller=host:port, or drop --no-stream");
  if (!remote && given("detach")) refuse("--detach", "needs --controller: a local run ends with the CLI", "add --controller=host:port, or drop --detach");
  // --agents / --discover: the controller is here, but the load still runs on the agents
  const onAgents = remote ? "--controller" : given("agents") ? "--agents" : given("discover") ? "--discover" : undefined;
  if (onAgents && given("workers")) refuse("--workers", `does not apply with ${onAgents}: each agent runs its own worker threads`, "set them where the agents start (indus agent --workers N), or drop --workers");
  if (onAgents && given("engine")) refuse("--engine", `does not apply with ${onAgents}: the agents use the plan's engine, else their own --engine`, "write engine: in the plan (or indus agent --engine), or drop --engine");
  if (given("baseline") && !given("report")) refuse("--baseline", "compares reports: it needs --report", "add --report out.html (or .json), or drop --baseline");
}

function exitCodeOf(result: RunResult): number {
  return result.passed ? ExitCode.ok : ExitCode.failed;
}

async function runRemote(
  io: CliIo,
  args: Record<string, unknown>,
  planYaml: string,
  planFile: string,
  interrupts: Interrupts,
  opts: { intervalMs: number; quiet: boolean; reports: ReportTarget[]; inputs: PlanInputs; baseline: ReportInput | undefined; byTags: string[] | "all" },
): Promise<number> {
  const security = securityFromFlags(io, args);
  // only a remote run needs grpc-js: loading it costs a local run's start-up ~30 ms of CPU
  const { createControllerClient } = await import("../transport/grpc/controller-client.ts");
  const client = createControllerClient({ address: String(args.controller), ...security });
  try {
    const noStream = noStreamOf(args);
    const remote = await client.submit(planYaml, planFile, noStream, opts.inputs);
    if (noStream) {
      io.stdout.write(`Run started: ${remote.runId} (state: running)\n`);
      return ExitCode.ok;
    }
    const detach = Boolean(args.detach);
    const session: RunSession = {
      runId: remote.runId,
      events: remote.events,
      abort: (reason) => {
        if (detach) {
          io.stderr.write(`Detached: run ${remote.runId} goes on on the controller (indus status ${remote.runId})\n`);
          io.exitNow(ExitCode.ok);
          return;
        }
        void client.abort(remote.runId, reason).catch((e) => io.stderr.write(`could not abort: ${(e as Error).message}\n`));
      },
    };
    const result = await streamRun(io, session, interrupts, opts);
    if (opts.reports.length > 0) {
      const full = await client.getReport(result.runId);
      const input = reportInputFromResult(full.result, parsePlan(full.planYaml, full.planFile), { planYaml: full.planYaml, planFile: full.planFile });
      await writeReports(opts.reports, input, opts.baseline, io.stdout);
    }
    return exitCodeOf(result);
  } finally {
    client.close();
  }
}

/** Prints the live table while the run goes, then the verdict; returns the result. */
export async function streamRun(
  io: CliIo,
  session: RunSession,
  interrupts: Interrupts,
  opts: { intervalMs: number; quiet: boolean; byTags?: string[] | "all" },
): Promise<RunResult> {
  const out = io.stdout;
  out.write(`Run started: ${session.runId} (state: running)\n`);
  const table = createLiveTable(out, { tty: Boolean(out.isTTY), intervalMs: opts.intervalMs });
  interrupts.attach((reason) => session.abort(reason));
  let result: RunResult | undefined;
  // each script error once, as soon as an update (or the result) carries it: to stderr, beside the table
  let scriptErrorsShown = 0;
  const showScriptErrors = (errors: readonly ScriptError[] | undefined) => {
    if (errors === undefined) return;
    for (; scriptErrorsShown < errors.length; scriptErrorsShown++) io.stderr.write(formatScriptError(errors[scriptErrorsShown]!));
  };
  try {
    for await (const event of session.events) {
      if (event.kind === "update") {
        showScriptErrors(event.update.scriptErrors);
        if (!opts.quiet) table.update(event.update.row);
      } else {
        result = event.result;
        showScriptErrors(result.scriptErrors);
      }
    }
  } finally {
    interrupts.dispose();
  }
  if (!opts.quiet) table.finish();
  if (!result) throw new IndusError("run_lost", `lost track of run ${session.runId} before it ended`, { exitCode: ExitCode.failed });
  out.write(renderVerdict(result, opts.byTags));
  return result;
}

/** One script error as `indus run` prints it (once per distinct message in a run, at most 10); a remote agent is named. */
export function formatScriptError(r: ScriptError): string {
  const where = r.agent === LOCAL_AGENT ? "" : ` on agent ${r.agent}`;
  return `script error [${r.scenario} / ${r.step}]${where}: ${r.message}${r.frame ? `\n    at ${r.frame}` : ""}\n`;
}

/** The verdict's line about a load generator that was saturated during the run, if one was. */
function generatorWarning(result: RunResult): string | undefined {
  const g = result.generator;
  if (!g || g.saturatedSeconds === 0) return undefined;
  const agents = Object.entries(g.agents)
    .filter(([, a]) => a.saturatedSeconds > 0)
    .map(([agent, a]) => ({ agent, ...a }));
  return formatSaturationWarning(agents, { saturated: g.saturatedSeconds, of: g.seconds });
}

export function renderVerdict(result: RunResult, byTags: string[] | "all" = []): string {
  const lines: string[] = ["", "Final result:"];
  const word = result.state === "completed" ? "completed" : result.state;
  lines.push(`Run ${word}: ${result.runId}${result.reason ? ` (${result.reason})` : ""}`);
  for (const a of result.agents.filter((x) => x.state === "lost")) {
    lines.push(`Agent lost: ${a.id} (${a.address}) at ${Math.round((a.lostAtMs ?? 0) / 1000)}s after ${a.requests} requests`);
  }
  const warning = generatorWarning(result);
  if (warning) lines.push(warning);
  lines.push("", formatSummary(result.summary, { durationMs: result.durationMs, byTags }));
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
