// Core: errors with exit codes, durations and the plan values built on them, clock, the output writer.
export * from "./errors.ts";
export * from "./duration.ts";
export * from "./clock.ts";
export * from "./failure.ts";
export * from "./output.ts";
export * from "./plan-values.ts";
export * from "./concurrent.ts";
