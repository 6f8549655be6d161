// `indus status [ID]` and `indus agents`: what a controller (or the local run store) knows.
import { defineCommand } from "citty";
import { ExitCode } from "../core/errors.ts";
import { formatRunStatus } from "../report/text/index.ts";
import { formatThresholdResults } from "../threshold/index.ts";
import { createControllerClient } from "../transport/grpc/controller-client.ts";
import type { RunResult } from "../run/types.ts";
import { intFlag } from "./args.ts";
import type { CliIo } from "./io.ts";
import { findReportInput } from "./run-lookup.ts";
import { dataDirFlags, openStore } from "./store-access.ts";
import { securityFlags, securityFromFlags } from "./security-flags.ts";

export const statusArgs = {
  id: { type: "positional", description: "Run id (or a unique prefix); without it, recent runs are listed", required: false },
  controller: { type: "string", description: "Controller gRPC address (default: the local run store, then localhost:50051)" },
  limit: { type: "string", description: "How many runs to list", default: "20" },
  ...dataDirFlags,
  ...securityFlags,
} as const;

export const statusCommand = defineCommand({
  meta: { name: "status", description: "Get run status by ID (or list recent runs)" },
  args: statusArgs,
});

export const agentsArgs = {
  controller: { type: "string", description: "Controller gRPC address", default: "localhost:50051" },
  ...securityFlags,
} as const;

export const agentsCommand = defineCommand({
  meta: { name: "agents", description: "List the controller's agents" },
  args: agentsArgs,
});

export async function runStatus(io: CliIo, args: Record<string, unknown>): Promise<number> {
  // "--limit=abc" or 0 listed 20 runs as if nothing were wrong
  intFlag("limit", args.limit, 1);
  if (!args.controller) return localStatus(io, args);
  const client = createControllerClient({ address: String(args.controller), ...securityFromFlags(io, args) });
  try {
    if (!args.id) {
      const runs = await client.listRuns(intFlag("limit", args.limit, 1) ?? 20);
      io.stdout.write(formatRunList(runs) + "\n");
      return ExitCode.ok;
    }
    const run = await client.getRun(String(args.id));
    io.stdout.write(formatStatus(run));
    return ExitCode.ok;
  } finally {
    client.close();
  }
}

/** Without --controller: the local run store (local runs), falling back to the default controller. */
async function localStatus(io: CliIo, args: Record<string, unknown>): Promise<number> {
  if (!args.id) {
    const store = openStore(io, args);
    try {
      const runs = store.listRuns({ limit: intFlag("limit", args.limit, 1) ?? 20 });
      io.stdout.write(formatRunList(runs.map((r) => ({ runId: r.id, planName: r.planName, state: r.state, startedAt: r.startedAt, durationMs: r.durationMs, passed: r.passed ?? false }))) + "\n");
      return ExitCode.ok;
    } finally {
      store.close();
    }
  }
  const input = await findReportInput(io, args, String(args.id));
  io.stdout.write(
    formatStatus({
      runId: input.runId,
      state: input.state,
      durationMs: input.durationMs,
      summary: input.summary,
      reason: input.reason,
      agents: input.agents,
      thresholds: input.thresholds,
    }),
  );
  return ExitCode.ok;
}

function formatStatus(run: Pick<RunResult, "runId" | "state" | "durationMs" | "summary" | "reason" | "agents" | "thresholds">): string {
  const lines = [formatRunStatus({ id: run.runId, state: run.state, durationMs: run.durationMs, global: run.summary.global })];
  if (run.reason) lines.push(`Reason: ${run.reason}`);
  for (const a of run.agents.filter((x) => x.state === "lost")) {
    lines.push(`Agent lost: ${a.id} (${a.address}) at ${Math.round((a.lostAtMs ?? 0) / 1000)}s`);
  }
  if (run.agents.length > 1) lines.push(`Agents: ${run.agents.map((a) => `${a.id} ${a.requests} requests (${a.state})`).join(", ")}`);
  if (run.thresholds.length) lines.push("", formatThresholdResults(run.thresholds));
  return lines.join("\n") + "\n";
}

export function formatRunList(runs: { runId: string; planName: string; state: string; startedAt: Date; durationMs: number; passed: boolean }[]): string {
  if (runs.length === 0) return "No runs yet.";
  const rows = [["ID", "PLAN", "STATE", "STARTED", "DURATION", "VERDICT"]];
  for (const r of runs) {
    rows.push([r.runId, r.planName, r.state, r.startedAt.toISOString().replace("T", " ").slice(0, 19), `${Math.round(r.durationMs / 1000)}s`, r.passed ? "pass" : "fail"]);
  }
  return alignRows(rows);
}

export async function runAgents(io: CliIo, args: Record<string, unknown>): Promise<number> {
  const client = createControllerClient({ address: String(args.controller), ...securityFromFlags(io, args) });
  try {
    const agents = await client.listAgents();
    const rows = [["ID", "ADDRESS", "STATE", "VUs", "SOURCE"]];
    for (const a of agents) rows.push([a.id, a.address, a.state === "busy" ? "active" : a.state, String(a.vus), a.source || "static"]);
    io.stdout.write((agents.length ? alignRows(rows) : "No agents.") + "\n");
    for (const a of agents.filter((x) => x.error)) io.stdout.write(`  ${a.address}: ${a.error}\n`);
    return ExitCode.ok;
  } finally {
    client.close();
  }
}

function alignRows(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 2))).join("").trimEnd()).join("\n");
}
