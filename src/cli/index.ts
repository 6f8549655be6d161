// The CLI: picks the subcommand, checks its flags, runs it, and maps every error to one message and an exit code.
import { renderUsage, runCommand, type ArgsDef, type CommandDef } from "citty";
import { ExitCode, IndusError } from "../core/errors.ts";
import { rejectUnknownFlags } from "./args.ts";
import { globalFlags, splitGlobalFlags } from "./global-flags.ts";
import type { CliIo } from "./io.ts";
import { versionLine } from "./version.ts";

interface Subcommand {
  def: CommandDef<ArgsDef>;
  run(io: CliIo, args: Record<string, unknown>, rawArgs: string[]): Promise<number>;
}

// Loaded on demand, one at a time, so a command pays only for what it uses (gRPC, SQLite, preact).
const SUBCOMMANDS: Record<string, () => Promise<Subcommand>> = {
  run: async () => {
    const m = await import("./run.ts");
    return { def: m.runCommand as CommandDef<ArgsDef>, run: (io, a, raw) => m.runRun(io, a, raw) };
  },
  validate: async () => {
    const m = await import("./validate.ts");
    return { def: m.validateCommand as CommandDef<ArgsDef>, run: (io, a) => m.runValidate(io, a) };
  },
  schema: async () => {
    const m = await import("./schema.ts");
    return { def: m.schemaCommand as CommandDef<ArgsDef>, run: (io) => m.runSchema(io) };
  },
  types: async () => {
    const m = await import("./types.ts");
    return { def: m.typesCommand as CommandDef<ArgsDef>, run: (io) => m.runTypes(io) };
  },
  controller: async () => {
    const m = await import("./controller.ts");
    return { def: m.controllerCommand as CommandDef<ArgsDef>, run: (io, a, raw) => m.runController(io, a, raw) };
  },
  agent: async () => {
    const m = await import("./agent.ts");
    return { def: m.agentCommand as CommandDef<ArgsDef>, run: (io, a, raw) => m.runAgent(io, a, raw) };
  },
  status: async () => {
    const m = await import("./status.ts");
    return { def: m.statusCommand as CommandDef<ArgsDef>, run: (io, a) => m.runStatus(io, a) };
  },
  agents: async () => {
    const m = await import("./status.ts");
    return { def: m.agentsCommand as CommandDef<ArgsDef>, run: (io, a) => m.runAgents(io, a) };
  },
  runs: async () => {
    const m = await import("./status.ts");
    // status without its run id: `indus runs` only lists
    const { id: _id, ...args } = m.statusArgs;
    return { def: { meta: { name: "runs", description: "List recent runs" }, args } as CommandDef<ArgsDef>, run: (io, a) => m.runStatus(io, { ...a, id: undefined }) };
  },
  report: async () => {
    const m = await import("./report.ts");
    return { def: m.reportCommand as CommandDef<ArgsDef>, run: (io, a) => m.runReport(io, a) };
  },
  health: async () => {
    const m = await import("./health.ts");
    return { def: m.healthCommand as CommandDef<ArgsDef>, run: (io, a) => m.runHealth(io, a) };
  },
  "mock-server": async () => {
    const m = await import("./mock-server.ts");
    return { def: m.mockServerCommand as CommandDef<ArgsDef>, run: (io, _a, raw) => m.runMockServer(io, raw) };
  },
};

const SUMMARIES: [string, string][] = [
  ["run", "Execute a load test plan (locally, or on a controller with --controller)"],
  ["validate", "Check a plan and print its schedule"],
  ["schema", "Print the plan file's JSON Schema (for editors and CI linters)"],
  ["types", "Print the TypeScript types for scenario scripts (indus types > indus.d.ts)"],
  ["controller", "Coordinate agents over gRPC, merge their metrics, evaluate thresholds"],
  ["agent", "Run VUs for a controller"],
  ["status", "Get run status by ID (or list recent runs)"],
  ["agents", "List the controller's agents"],
  ["runs", "List recent runs (local run store, or --controller)"],
  ["report", "Generate an HTML, JSON, JUnit or Markdown report of a run"],
  ["health", "Exit 0 when a controller or agent here is ready to serve (container health checks)"],
  ["mock-server", "Start the mock HTTP target the examples use"],
];

/** Every subcommand's citty definition, in `indus --help` order: the CLI reference in README.md is generated from these. */
export async function commandDefinitions(): Promise<{ name: string; summary: string; def: CommandDef<ArgsDef> }[]> {
  const unlisted = Object.keys(SUBCOMMANDS).filter((name) => !SUMMARIES.some(([listed]) => listed === name));
  if (unlisted.length > 0) throw new Error(`subcommands missing from indus --help: ${unlisted.join(", ")}`);
  return Promise.all(
    SUMMARIES.map(async ([name, summary]) => {
      const load = SUBCOMMANDS[name];
      if (!load) throw new Error(`indus --help lists "${name}" but there is no such subcommand`);
      return { name, summary, def: (await load()).def };
    }),
  );
}

export function mainUsage(): string {
  const width = Math.max(...SUMMARIES.map(([n]) => n.length)) + 2;
  const globals = Object.entries(globalFlags).map(([name, f]) => [`--${name} VALUE`, f.description] as const);
  const flagWidth = Math.max(...globals.map(([f]) => f.length)) + 2;
  return [
    "indus — distributed HTTP load testing for CI/CD, staging and load-balancer validation",
    "",
    "Usage:",
    "  indus [global flags] <command> [flags]",
    "",
    "Available Commands:",
    ...SUMMARIES.map(([n, d]) => `  ${n.padEnd(width)}${d}`),
    "",
    "Global flags (before or after the command, for the commands that take them):",
    ...globals.map(([f, d]) => `  ${f.padEnd(flagWidth)}${d}`),
    "",
    "Flags:",
    "  -h, --help      Show help (also: indus <command> --help)",
    "  -v, --version   Print version, commit and target",
    "",
    "Exit codes: 0 all thresholds passed, 1 a threshold failed or the run failed, 2 bad input.",
    "",
  ].join("\n");
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const { command: name, rest } = splitGlobalFlags(argv);
    if (name === undefined || name === "help" || name === "--help" || name === "-h") {
      io.stdout.write(mainUsage());
      return name === undefined ? ExitCode.badInput : ExitCode.ok;
    }
    if (name === "--version" || name === "-v" || name === "version") {
      io.stdout.write(versionLine() + "\n");
      return ExitCode.ok;
    }
    const load = SUBCOMMANDS[name];
    const sub = load ? await load() : undefined;
    if (!sub) throw new IndusError("bad_command", `unknown command "${name}"`, { hint: "run 'indus --help' for the list of commands" });
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout.write((await renderUsage(sub.def)).replace(/\x1b\[[0-9;]*m/g, "") + "\n");
      return ExitCode.ok;
    }
    const argsDef = (sub.def.args ?? {}) as ArgsDef;
    rejectUnknownFlags(name, rest, argsDef);
    let code: number = ExitCode.ok;
    const def: CommandDef<ArgsDef> = {
      ...sub.def,
      run: async (ctx) => {
        refuseExtraArguments(name, argsDef, (ctx.args as { _?: unknown[] })._ ?? [], rest);
        code = await sub.run(io, ctx.args as Record<string, unknown>, rest);
      },
    };
    await runCommand(def, { rawArgs: rest });
    return code;
  } catch (e) {
    return reportError(io, e, argv);
  }
}

function reportError(io: CliIo, e: unknown, argv: string[]): number {
  if (e instanceof IndusError) {
    io.stderr.write(`error: ${e.message}\n`);
    if (e.hint) io.stderr.write(`hint: ${e.hint}\n`);
    return e.exitCode;
  }
  const err = e as { code?: string; message?: string };
  // citty's own errors (a missing positional is "EARG", the rest "E_...") are bad input too
  if (typeof err?.code === "string" && /^E(ARG|_)/.test(err.code)) {
    const command = splitGlobalFlagsOrUndefined(argv);
    io.stderr.write(`error: ${(err.message ?? "").replace(/\x1b\[[0-9;]*m/g, "")}\n`);
    if (command) io.stderr.write(`hint: run 'indus ${command} --help' for its usage\n`);
    return ExitCode.badInput;
  }
  io.stderr.write(`internal error: ${err?.message ?? String(e)}\n`);
  if (io.env.INDUS_DEBUG) io.stderr.write(`${(e as Error)?.stack}\n`);
  return ExitCode.failed;
}

function splitGlobalFlagsOrUndefined(argv: string[]): string | undefined {
  try {
    return splitGlobalFlags(argv).command;
  } catch {
    return undefined;
  }
}

/** `indus run a.yaml b.yaml` ran a.yaml alone, silently: an argument the command has no place for is refused. */
function refuseExtraArguments(command: string, def: ArgsDef, positionals: unknown[], rawArgs: string[]): void {
  const places = Object.values(def).filter((a) => a.type === "positional").length;
  const extra = positionals.slice(places).map(String);
  if (extra.length === 0) return;
  // "--dashboard 127.0.0.1:5665": a switch takes its value only as --dashboard=VALUE
  for (const value of extra) {
    const before = rawArgs[rawArgs.indexOf(value) - 1];
    const flag = before?.startsWith("--") ? before.slice(2) : undefined;
    if (flag !== undefined && def[flag]?.type === "boolean") {
      throw new IndusError("bad_argument", `unexpected argument "${value}" after --${flag}`, { hint: `write --${flag}=${value}` });
    }
  }
  const usage = Object.entries(def).filter(([, a]) => a.type === "positional").map(([n]) => n.toUpperCase());
  throw new IndusError("bad_argument", `unexpected argument${extra.length > 1 ? "s" : ""} ${extra.map((a) => `"${a}"`).join(", ")} for 'indus ${command}'`, {
    hint: `usage: indus ${command}${usage.length ? " " + usage.join(" ") : ""} [flags]${command === "run" ? " (one plan per run: put several scenarios in one plan)" : ""}`,
  });
}
