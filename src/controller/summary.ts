// The end-of-run summary is part of the run model (src/run/summary.ts).
export { summarize } from "../run/summary.ts";
