// Checks a container's argv against the real CLI: the subcommand exists and every --flag is one it defines.
import { agentArgs } from "../../src/cli/agent.ts";
import { controllerArgs } from "../../src/cli/controller.ts";
import { runArgs } from "../../src/cli/run.ts";
import { parseMockArgs } from "../../src/mock/index.ts";

type ArgDefs = Record<string, { type: string }>;
const DEFS: Record<string, ArgDefs> = { agent: agentArgs, controller: controllerArgs, run: runArgs };

/** Problems with `indus <argv>`, in words; [] when the command line is one indus accepts. */
export function cliProblems(argv: readonly string[]): string[] {
  const [command, ...rest] = argv;
  if (command === "mock-server") {
    try {
      parseMockArgs([...rest]);
      return [];
    } catch (e) {
      return [`mock-server: ${(e as Error).message}`];
    }
  }
  const defs = command ? DEFS[command] : undefined;
  if (!defs) return [`unknown subcommand ${command}`];
  const problems: string[] = [];
  for (const arg of rest) {
    if (!arg.startsWith("--")) continue;
    const name = arg.slice(2).split("=")[0]!;
    const def = defs[name];
    if (!def || def.type === "positional") problems.push(`${command}: unknown flag --${name}`);
    else if (def.type === "string" && !arg.includes("=")) problems.push(`${command}: write --${name}=VALUE (one argv entry)`);
  }
  return problems;
}

/** The value of --name=value in argv. */
export function flag(argv: readonly string[], name: string): string | undefined {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

/** ":9091" → 9091 */
export const portOf = (address: string | undefined) => Number(address?.slice(address.lastIndexOf(":") + 1));
