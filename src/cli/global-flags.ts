// Flags that may come before the subcommand as well as after it (`indus --controller=X run plan.yaml`), as in the seed.
import { IndusError } from "../core/errors.ts";
import { logFlags } from "./logging.ts";
import { securityFlags } from "./security-flags.ts";
import { dataDirFlags } from "./store-access.ts";

/** Every global flag takes a value; shown by `indus --help`. */
export const globalFlags = {
  controller: { type: "string", description: "Controller gRPC address host:port" },
  ...securityFlags,
  ...dataDirFlags,
  ...logFlags,
} as const;

const NAMES = new Set(Object.keys(globalFlags));

export interface SplitArgs {
  /** the subcommand, or a leading --help/-h/--version/-v, or undefined */
  command: string | undefined;
  /** what the subcommand parses: the global flags given before it (as --name=value), then everything after it */
  rest: string[];
}

/**
 * Takes the global flags written before the subcommand and hands them to it, so they mean what they mean
 * after it. A subcommand that does not take one still refuses it by name (rejectUnknownFlags).
 */
export function splitGlobalFlags(argv: readonly string[]): SplitArgs {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-") || arg === "-" || arg === "--") break;
    if (["--help", "-h", "--version", "-v"].includes(arg)) return { command: arg, rest: [...globals, ...argv.slice(i + 1)] };
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!arg.startsWith("--") || !NAMES.has(name)) {
      throw new IndusError("bad_flag", `unknown flag ${eq < 0 ? arg : arg.slice(0, eq)} before the command`, {
        hint: `flags before the command: ${[...NAMES].map((n) => `--${n}`).join(", ")}; the others go after it (indus <command> --help)`,
      });
    }
    if (eq >= 0) {
      globals.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new IndusError("bad_flag", `--${name} needs a value (--${name}=VALUE)`);
    globals.push(`--${name}=${value}`);
    i++;
  }
  if (i >= argv.length) return { command: undefined, rest: globals };
  if (argv[i] === "--") throw new IndusError("bad_command", "no command before --", { hint: "run 'indus --help' for the list of commands" });
  return { command: argv[i], rest: [...globals, ...argv.slice(i + 1)] };
}
