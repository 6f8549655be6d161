// Writing reports: format from the file name (or a "format:" prefix), rendered from one ReportInput.
import { accessSync, constants, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { IndusError } from "../core/errors.ts";
import type { ReportInput } from "../report/model.ts";

export type ReportFormat = "html" | "json" | "junit" | "markdown";
export const REPORT_FORMATS: readonly ReportFormat[] = ["html", "json", "junit", "markdown"];

export interface ReportTarget {
  format: ReportFormat;
  /** undefined: stdout */
  file: string | undefined;
}

/** "out.html", "out.json", "junit.xml", "summary.md", or "junit:results.txt"; checked before any load is sent. */
export function parseReportTarget(spec: string): ReportTarget {
  const prefixed = /^(html|json|junit|markdown):(.+)$/.exec(spec);
  if (prefixed) return { format: prefixed[1] as ReportFormat, file: prefixed[2] };
  const ext = spec.toLowerCase().split(".").pop();
  if (ext === "html" || ext === "htm") return { format: "html", file: spec };
  if (ext === "json") return { format: "json", file: spec };
  if (ext === "xml") return { format: "junit", file: spec };
  if (ext === "md" || ext === "markdown") return { format: "markdown", file: spec };
  throw new IndusError("bad_flag", `--report ${spec}: cannot tell the format from the name`, {
    hint: "end it in .html, .json, .xml (JUnit) or .md (Markdown summary), or write html:FILE, json:FILE, junit:FILE, markdown:FILE",
  });
}

/** A report that could not be written would be lost after the whole run: its folder is checked before any load is sent. */
export function checkReportDestination(file: string | undefined, flag: string): void {
  if (file === undefined || (file === "-" && flag !== "--report")) return;
  // indus run prints its table and summary on stdout: a report there would be mixed into them, unusable
  if (file === "-") {
    throw new IndusError("bad_flag", `${flag} to stdout ("-") would be mixed into the run's own output`, {
      hint: "write it to a file (--report=out.json), or print a stored run with: indus report ID --format=json",
    });
  }
  const path = resolve(file);
  const dir = dirname(path);
  const problem = (why: string) =>
    new IndusError("bad_flag", `${flag} ${file}: ${why}`, { hint: "write it into an existing folder you can write to" });
  const dirStat = statSync(dir, { throwIfNoEntry: false });
  if (dirStat === undefined) throw problem(`the folder ${dir} does not exist`);
  if (!dirStat.isDirectory()) throw problem(`${dir} is not a folder`);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw problem("it is a folder");
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw problem(`the folder ${dir} is not writable`);
  }
}

export async function renderReport(format: ReportFormat, input: ReportInput, baseline?: ReportInput): Promise<string> {
  switch (format) {
    case "html":
      return (await import("../report/html/index.ts")).renderHtmlReport(input, baseline);
    case "json":
      return (await import("../report/json/index.ts")).renderJsonReport(input, baseline);
    case "junit":
      return (await import("../report/junit/index.ts")).renderJunitReport(input);
    case "markdown":
      return (await import("../report/markdown/index.ts")).renderMarkdownReport(input);
  }
}

export async function writeReport(target: ReportTarget, input: ReportInput, baseline: ReportInput | undefined, stdout: { write(s: string): void }): Promise<void> {
  const text = await renderReport(target.format, input, baseline);
  if (target.file === undefined || target.file === "-") {
    stdout.write(text.endsWith("\n") ? text : text + "\n");
    return;
  }
  try {
    writeFileSync(target.file, text);
  } catch (e) {
    throw new IndusError("report_write", `cannot write report ${target.file}: ${(e as Error).message}`, { exitCode: 1 });
  }
}

/** Every report is attempted: one that cannot be written does not cost the others; the first failure is thrown after. */
export async function writeReports(targets: ReportTarget[], input: ReportInput, baseline: ReportInput | undefined, stdout: { write(s: string): void }): Promise<void> {
  let failure: unknown;
  for (const target of targets) {
    try {
      await writeReport(target, input, baseline, stdout);
    } catch (e) {
      failure ??= e;
    }
  }
  if (failure !== undefined) throw failure;
}
