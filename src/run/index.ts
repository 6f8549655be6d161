// The run model: its types, its one judge, its one encoding. Wire, store and reports all go through here.
export type * from "./types.ts";
export { createJudge, judgeTimeline, type Judge } from "./judge.ts";
export { NOTHING_MERGED, summarize, summarizeTags, type SummarySource } from "./summary.ts";
export { windowStats } from "./window.ts";
export { encodeRun, decodeRun } from "./codec.ts";
export { failedRunResult } from "./failed.ts";
