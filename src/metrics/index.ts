// Metrics: HDR settings and encoding, snapshots, recording, exact merging, stats.
export * from "./hdr.ts";
export * from "./snapshot.ts";
export * from "./recorder.ts";
export * from "./accumulator.ts";
export * from "./stats-of.ts";
export * from "./generator.ts";
export type * from "./stats.ts";
export * from "./error-class.ts";
