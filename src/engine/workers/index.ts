// The worker pool's public face: a LoadExecutor whose VUs run on Bun Workers, one per core by default.
export { createWorkerPoolExecutor, defaultWorkerCount, openWorkerPool, type WorkerPoolExecutor, type WorkerPoolOptions } from "./pool.ts";
export type { WorkerFault } from "./protocol.ts";
