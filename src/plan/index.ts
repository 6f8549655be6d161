// The plan module's public face: parse and load plan files, and export their JSON Schema.

export { parsePlan } from "./parse.ts";
export { loadPlanFile } from "./load.ts";
export { planJsonSchema } from "./json-schema.ts";
export { attachPlanInputs, collectPlanInputs, withScriptRecord, MAX_DATA_BYTES, type PlanInputs } from "./inputs.ts";
export * from "./types.ts";
