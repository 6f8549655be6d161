// Core: errors with exit codes, durations, clock, the output writer.
export * from "./errors.ts";
export * from "./duration.ts";
export * from "./clock.ts";
export * from "./output.ts";
