// Errors that reach the user: each carries the exit code the CLI returns and an optional hint.

export const ExitCode = {
  ok: 0,
  failed: 1,
  badInput: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class IndusError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { exitCode?: ExitCode; hint?: string } = {}) {
    super(message);
    this.name = "IndusError";
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.badInput;
    this.hint = options.hint;
  }
}

/** One thing wrong in a plan file, located by line/column and by the dotted path of the key. */
export interface PlanProblem {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}

export class PlanError extends IndusError {
  readonly problems: PlanProblem[];

  constructor(problems: PlanProblem[]) {
    super("plan_invalid", formatProblems(problems), { exitCode: ExitCode.badInput });
    this.name = "PlanError";
    this.problems = problems;
  }
}

export function formatProblem(p: PlanProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

function formatProblems(problems: PlanProblem[]): string {
  const head = problems.length === 1 ? "1 problem in plan" : `${problems.length} problems in plan`;
  return [head + ":", ...problems.map((p) => "  " + formatProblem(p))].join("\n");
}
