// Run store: the public face of src/store — runs, timelines and verdicts in SQLite under --data-dir.
export { openRunStore, DB_FILE } from "./run-store.ts";
export { summaryFromTimeline, rebuildFromTimeline } from "./summary.ts";
export { encodeSnapshot, decodeSnapshot } from "./snapshot-codec.ts";
export { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
export type * from "./types.ts";
export { resultOfStored } from "./result.ts";
