// `indus report ID --format=html|json|junit|markdown -o FILE [--baseline ID]`: a stored run rendered as a report.
import { defineCommand } from "citty";
import { ExitCode } from "../core/errors.ts";
import { enumFlag } from "./args.ts";
import type { CliIo } from "./io.ts";
import { checkReportDestination, REPORT_FORMATS, writeReport } from "./reports.ts";
import { findReportInput } from "./run-lookup.ts";
import { securityFlags } from "./security-flags.ts";
import { dataDirFlags } from "./store-access.ts";

export const reportArgs = {
  id: { type: "positional", description: "Run id (or a unique prefix)", required: true },
  format: { type: "string", description: "html | json | junit | markdown", default: "html" },
  output: { type: "string", alias: "o", description: "Output file (default: stdout)" },
  baseline: { type: "string", description: "Compare with this earlier run (p95 +12%, rps −3%)" },
  controller: { type: "string", description: "Controller gRPC address (default: the local run store, then localhost:50051)" },
  ...dataDirFlags,
  ...securityFlags,
} as const;

export const reportCommand = defineCommand({
  meta: { name: "report", description: "Generate an HTML, JSON, JUnit or Markdown report of a run" },
  args: reportArgs,
});

export async function runReport(io: CliIo, args: Record<string, unknown>): Promise<number> {
  const format = enumFlag("format", args.format, REPORT_FORMATS) ?? "html";
  checkReportDestination(args.output as string | undefined, "-o");
  const input = await findReportInput(io, args, String(args.id));
  const baseline = args.baseline ? await findReportInput(io, args, String(args.baseline)) : undefined;
  await writeReport({ format, file: args.output as string | undefined }, input, baseline, io.stdout);
  if (args.output && args.output !== "-") io.stderr.write(`wrote ${format} report of run ${input.runId} to ${args.output}\n`);
  return ExitCode.ok;
}
