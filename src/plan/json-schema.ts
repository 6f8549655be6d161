// The plan's JSON Schema, generated from the zod schema, for editors and CI linters.

import { z } from "zod";
import { planSchema } from "./schema.ts";

/** The schema of what a plan file may say (durations as strings), not of the parsed Plan. */
export function planJsonSchema(): object {
  return z.toJSONSchema(planSchema, { io: "input", target: "draft-2020-12", unrepresentable: "any" });
}
