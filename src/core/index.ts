// Core: errors with exit codes, durations, clock.
export * from "./errors.ts";
export * from "./duration.ts";
export * from "./clock.ts";
export * from "./failure.ts";
