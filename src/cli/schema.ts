// `indus schema`: prints the plan file's JSON Schema, for editors (yaml-language-server) and CI linters.
import { defineCommand } from "citty";
import { ExitCode } from "../core/errors.ts";
import { planJsonSchema } from "../plan/index.ts";
import type { CliIo } from "./io.ts";

export const schemaCommand = defineCommand({
  meta: { name: "schema", description: "Print the plan file's JSON Schema (npm run schema writes schema/plan.schema.json)" },
  args: {},
});

/** The text `indus schema` prints and schema/plan.schema.json holds: pretty JSON, one trailing newline. */
export function planSchemaText(): string {
  return JSON.stringify(planJsonSchema(), null, 2) + "\n";
}

export async function runSchema(io: CliIo): Promise<number> {
  io.stdout.write(planSchemaText());
  return ExitCode.ok;
}
