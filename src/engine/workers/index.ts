// The worker pool's public face: a LoadExecutor whose VUs run on Bun Workers, one per core by default (or, for a run with one worker and no scripts, in the caller's thread).
export { createLoadExecutor, runsInThread } from "./choose.ts";
export { createWorkerPoolExecutor, defaultWorkerCount, openWorkerPool, type WorkerPoolExecutor, type WorkerPoolOptions } from "./pool.ts";
export type { WorkerFault } from "./protocol.ts";
