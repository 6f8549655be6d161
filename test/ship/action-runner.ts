// Runs action.yml's composite steps the way a GitHub runner does, on this machine: GitHub's own expression evaluator
// (@actions/expressions) for ${{ }} and if:, each `shell: bash` step as `bash --noprofile --norc -eo pipefail FILE`
// with fresh GITHUB_OUTPUT/GITHUB_STEP_SUMMARY files, GITHUB_PATH applied to later steps. `uses:` steps cannot run here
// (they are other repositories' actions): the caller fakes them and says so.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { data, Evaluator, Lexer, Parser, type Expr } from "@actions/expressions";
import { parse } from "yaml";
import { ROOT, tempDir } from "../helpers.ts";

interface Step {
  id?: string;
  name: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
export interface ActionFile {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

export const ACTION_YML = join(ROOT, "action.yml");
export const readAction = () => parse(readFileSync(ACTION_YML, "utf8")) as ActionFile;

export interface StepRun {
  name: string;
  ran: boolean;
  code: number;
  stdout: string;
  stderr: string;
}
export interface ActionRun {
  steps: StepRun[];
  outputs: Record<string, string>;
  /** the job summary, every step's part in order */
  summary: string;
  /** false when a step failed (the action's conclusion) */
  success: boolean;
  workspace: string;
  /** where the install step put the binary (remove it after the test) */
  runnerTemp: string;
}

const STATUS_FUNCS = ["always", "success", "failure", "cancelled"].map((name) => ({ name, minArgs: 0, maxArgs: 0 }));

function evaluate(expression: string, contexts: Record<string, unknown>, failed: boolean): data.ExpressionData {
  const lexed = new Lexer(expression).lex();
  const tree: Expr = new Parser(lexed.tokens, Object.keys(contexts), STATUS_FUNCS).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
  const funcs = new Map(
    STATUS_FUNCS.map((f) => {
      const value = f.name === "always" ? true : f.name === "success" ? !failed : f.name === "failure" ? failed : false;
      return [f.name, { ...f, call: () => new data.BooleanData(value) }];
    }),
  );
  return new Evaluator(tree, context, funcs).evaluate();
}

/** "${{ a }}-x" → the string with each expression's value; a plain string stays as it is. */
function interpolate(text: string, contexts: Record<string, unknown>, failed: boolean): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expr: string) => evaluate(expr.trim(), contexts, failed).coerceString());
}

function condition(text: string | undefined, contexts: Record<string, unknown>, failed: boolean): boolean {
  if (text === undefined) return !failed; // success() is the default
  const expr = text.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1").trim();
  const v = evaluate(expr, contexts, failed);
  return v.kind === data.Kind.Boolean ? (v as data.BooleanData).value : v.coerceString() !== "" && v.coerceString() !== "false";
}

function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = readFileSync(file, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i]!);
      outputs[heredoc[1]!] = body.join("\n");
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return outputs;
}

export async function runAction(opts: {
  inputs: Record<string, string>;
  /** the job's environment on top of the runner's (e.g. INDUS_DOWNLOAD_BASE) */
  env?: Record<string, string>;
  /** fakes for `uses:` steps: their outputs */
  uses?: (step: Step & { with: Record<string, string> }) => Record<string, string>;
  workspace?: string;
}): Promise<ActionRun> {
  const action = readAction();
  const workspace = opts.workspace ?? tempDir("indus-gh-workspace-");
  const runnerTemp = tempDir("indus-gh-runner-temp-");
  const pathFile = join(runnerTemp, "_path");
  writeFileSync(pathFile, "");
  const inputs: Record<string, string> = {};
  for (const [name, def] of Object.entries(action.inputs)) {
    const given = opts.inputs[name];
    if (given === undefined && def.required) throw new Error(`input ${name} is required`);
    inputs[name] = given ?? def.default ?? "";
  }
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const github = { action_path: ROOT, workspace, run_attempt: "1", run_id: "4242", repository: "indus-dev/indus-demo" };
  const runner = { temp: runnerTemp, os: "Linux" };
  const results: StepRun[] = [];
  let summary = "";
  let failed = false;

  for (const [i, step] of action.runs.steps.entries()) {
    const contexts = { inputs, github, runner, steps, env: opts.env ?? {} };
    if (!condition(step.if, contexts, failed)) {
      results.push({ name: step.name, ran: false, code: 0, stdout: "", stderr: "" });
      if (step.id) steps[step.id] = { outputs: {}, outcome: "skipped", conclusion: "skipped" };
      continue;
    }
    let outputs: Record<string, string> = {};
    let run: StepRun;
    if (step.uses) {
      if (!opts.uses) throw new Error(`step "${step.name}" uses ${step.uses}: give a fake`);
      const withs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), contexts, failed)]));
      outputs = opts.uses({ ...step, with: withs });
      run = { name: step.name, ran: true, code: 0, stdout: "", stderr: "" };
    } else {
      if (step.shell !== "bash") throw new Error(`step "${step.name}": only shell: bash is run here, not ${step.shell}`);
      const outputFile = join(runnerTemp, `_output_${i}`);
      const summaryFile = join(runnerTemp, `_summary_${i}`);
      const script = join(runnerTemp, `_step_${i}.sh`);
      writeFileSync(outputFile, "");
      writeFileSync(summaryFile, "");
      writeFileSync(script, interpolate(step.run ?? "", contexts, failed));
      const added = readFileSync(pathFile, "utf8").split("\n").filter(Boolean).reverse();
      const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), contexts, failed)]));
      const proc = Bun.spawn(["bash", "--noprofile", "--norc", "-eo", "pipefail", script], {
        cwd: workspace,
        stdout: "pipe",
        stderr: "pipe",
        env: {
          PATH: [...added, process.env.PATH ?? "/usr/bin:/bin"].join(":"),
          HOME: process.env.HOME ?? workspace,
          CI: "true",
          NO_COLOR: "1",
          GITHUB_ACTIONS: "true",
          GITHUB_WORKSPACE: workspace,
          GITHUB_ACTION_PATH: ROOT,
          GITHUB_RUN_ID: github.run_id,
          GITHUB_REPOSITORY: github.repository,
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: summaryFile,
          GITHUB_PATH: pathFile,
          GITHUB_ENV: join(runnerTemp, "_env"),
          RUNNER_TEMP: runnerTemp,
          RUNNER_OS: "Linux",
          ...opts.env,
          ...stepEnv,
        },
      });
      const timer = setTimeout(() => proc.kill("SIGKILL"), 120_000);
      const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      clearTimeout(timer);
      outputs = readOutputs(outputFile);
      summary += readFileSync(summaryFile, "utf8");
      run = { name: step.name, ran: true, code, stdout, stderr };
    }
    results.push(run);
    if (run.code !== 0) failed = true;
    if (step.id) steps[step.id] = { outputs, outcome: run.code === 0 ? "success" : "failure", conclusion: run.code === 0 ? "success" : "failure" };
  }
  const contexts = { inputs, github, runner, steps, env: opts.env ?? {} };
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, o]) => [k, interpolate(o.value, contexts, failed)]));
  return { steps: results, outputs, summary, success: !failed, workspace, runnerTemp };
}
