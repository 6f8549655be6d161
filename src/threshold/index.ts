// Thresholds: pure evaluation and formatting.
export * from "./evaluate.ts";
export * from "./format.ts";
