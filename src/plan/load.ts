// loadPlanFile: read a plan from disk; a file that cannot be read is a plan problem like any other.

import { readFile } from "node:fs/promises";
import { PlanError } from "../core/errors.ts";
import { parsePlan } from "./parse.ts";
import type { Plan } from "./types.ts";

export async function loadPlanFile(path: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new PlanError([{ file: path, line: 0, column: 0, path: "", message: readFailure(error) }]);
  }
  return parsePlan(text, path);
}

function readFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "ENOENT":
      return "cannot read the plan: no such file";
    case "EACCES":
    case "EPERM":
      return "cannot read the plan: permission denied";
    case "EISDIR":
      return "cannot read the plan: it is a directory";
    default:
      return `cannot read the plan: ${error instanceof Error ? error.message : String(error)}`;
  }
}
