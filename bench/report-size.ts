// Report sizes and times for a synthetic one-hour run (10 scenarios × 5 steps): the store's size, each report's size and render time.
// Run: bun bench/report-size.ts [seconds] [scenarios] [steps]
import { rmSync, statSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { renderHtmlReport } from "../src/report/html/index.ts";
import { renderJsonReport } from "../src/report/json/index.ts";
import { renderJunitReport } from "../src/report/junit/index.ts";
import { reportInputFromStored } from "../src/report/model.ts";
import { openRunStore, summaryFromTimeline } from "../src/store/index.ts";
import { syntheticRun } from "../test/store/fixtures/synthetic-run.ts";

const [seconds = 3600, scenarios = 10, steps = 5] = process.argv.slice(2).map(Number);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const out = f();
  return [out, performance.now() - t0];
};

const [run, genMs] = time(() => syntheticRun({ seconds, scenarios, steps, loseAgentAt: Math.floor(seconds * 0.7), agents: 3 }));
const { result, plan, planYaml } = run;
console.log(`synthetic run: ${seconds}s, ${scenarios} scenarios × ${steps} steps, ${result.summary.global.requests.toLocaleString("en-US")} requests (generated in ${(genMs / 1000).toFixed(1)}s)`);

const dir = mkdtempSync(join(tmpdir(), "indus-bench-"));
const store = openRunStore(dir);
store.createRun({ id: result.runId, planName: plan.name, planYaml, planFile: "synthetic.yaml", plan, startedAt: result.startedAt, origin: "controller", agents: result.agents });
const appendTimes: number[] = [];
for (const entry of result.timeline) {
  const t0 = performance.now();
  store.appendSecond(result.runId, entry);
  appendTimes.push(performance.now() - t0);
}
const [, finishMs] = time(() => store.finishRun(result.runId, result));
store.close();
// fold the WAL into the file so the size is what stays on disk
const db = new Database(join(dir, "indus.db"));
db.run("PRAGMA wal_checkpoint(TRUNCATE)");
const blobBytes = (db.query("SELECT SUM(length(snapshot)) AS n FROM timeline").get() as { n: number }).n;
db.close();
const dbBytes = statSync(join(dir, "indus.db")).size;
appendTimes.sort((a, b) => a - b);
const pct = (p: number) => appendTimes[Math.min(appendTimes.length - 1, Math.floor((p / 100) * appendTimes.length))]!.toFixed(3);
console.log(`appendSecond: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms · finishRun ${finishMs.toFixed(0)} ms`);
console.log(`database: ${mb(dbBytes)} (timeline BLOBs ${mb(blobBytes)}, ${(blobBytes / seconds / 1024).toFixed(1)} KB per second)`);

const reopened = openRunStore(dir);
const [stored, getMs] = time(() => reopened.getRun(result.runId)!);
reopened.close();
const [, rebuildMs] = time(() => summaryFromTimeline(plan, stored.timeline, stored.durationMs));
console.log(`getRun: ${getMs.toFixed(0)} ms · summaryFromTimeline (an aborted run's summary): ${rebuildMs.toFixed(0)} ms`);

const input = reportInputFromStored(stored);
const [json, jsonMs] = time(() => renderJsonReport(input));
const [html, htmlMs] = time(() => renderHtmlReport(input));
const [htmlBase, htmlBaseMs] = time(() => renderHtmlReport(input, input));
const [junit, junitMs] = time(() => renderJunitReport(input));
const gz = (s: string) => Bun.gzipSync(new TextEncoder().encode(s)).length;
console.log(`JSON report:  ${mb(json.length)} (${mb(gz(json))} gzipped), rendered in ${jsonMs.toFixed(0)} ms`);
console.log(`HTML report:  ${mb(html.length)} (${mb(gz(html))} gzipped), rendered in ${htmlMs.toFixed(0)} ms; with a baseline ${mb(htmlBase.length)} in ${htmlBaseMs.toFixed(0)} ms`);
console.log(`JUnit report: ${junit.length} bytes, rendered in ${junitMs.toFixed(1)} ms`);
rmSync(dir, { recursive: true, force: true });
