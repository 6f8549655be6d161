// `indus types`: prints the TypeScript declarations of `import type { VU } from "indus"`, for scripts' editors.
import { defineCommand } from "citty";
import { ExitCode } from "../core/errors.ts";
import { SCRIPT_TYPES } from "../engine/script/index.ts";
import type { CliIo } from "./io.ts";

export const typesCommand = defineCommand({
  meta: { name: "types", description: "Print the TypeScript types for scenario scripts (indus types > indus.d.ts)" },
  args: {},
});

export async function runTypes(io: CliIo): Promise<number> {
  io.stdout.write(SCRIPT_TYPES);
  return ExitCode.ok;
}
