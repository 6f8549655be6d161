// Plans for the distributed tests: the shipped examples, shortened and aimed at a test target, and small ad-hoc plans.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { parsePlan } from "../../src/plan/index.ts";
import { planSchedule, totalVus } from "../../src/schedule/index.ts";
import { ROOT, writePlan } from "../helpers.ts";

type Edit = (doc: ReturnType<typeof parseDocument>) => void;

/** examples/NAME.yaml with its URLs pointed at `target` and the edits applied, written into dir; returns the file. */
export function shortenedExample(name: string, target: string, edit: Edit, dir: string): string {
  const text = readFileSync(join(ROOT, "examples", `${name}.yaml`), "utf8").replaceAll("http://localhost:8080", target);
  const doc = parseDocument(text);
  edit(doc);
  return writePlan(doc.toString(), dir);
}

/** Total VUs the schedule sets for each second (all scenarios). */
export function scheduleOf(file: string): number[] {
  const plan = parsePlan(readFileSync(file, "utf8"), file);
  return totalVus(planSchedule(plan.scenarios));
}

/** A constant-load plan of `seconds` on one step, written into dir. */
export function constantPlan(opts: { target: string; vus: number; seconds: number; thinkMs?: number; policy?: string; name?: string; extra?: string }, dir: string): string {
  return writePlan(
    `name: ${opts.name ?? "constant"}
${opts.policy ? `on_agent_loss: ${opts.policy}\n` : ""}scenarios:
  steady:
    duration: ${opts.seconds}s
    think_time: ${opts.thinkMs ?? 50}ms
    profile: { type: constant, vus: ${opts.vus} }
    steps:
      - { name: users, url: ${opts.target}/api/users }
${opts.extra ?? ""}`,
    dir,
  );
}
