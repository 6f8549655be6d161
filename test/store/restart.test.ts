// Restart survival: a process killed with SIGKILL mid-run leaves a run the next process marks aborted and can report.
import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { renderHtmlReport } from "../../src/report/html/index.ts";
import { renderJsonReport, reportSchema } from "../../src/report/json/index.ts";
import { renderJunitReport } from "../../src/report/junit/index.ts";
import { reportInputFromStored } from "../../src/report/model.ts";
import { openRunStore } from "../../src/store/index.ts";
import { readUntil, tempDir } from "../helpers.ts";

describe("a run store after its process was killed", () => {
  const dir = tempDir("indus-restart-");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("marks the run aborted, keeps what it had, and reports from it", async () => {
    const child = Bun.spawn([process.execPath, join(import.meta.dir, "fixtures", "crash-run.ts"), dir, "dead0001"], { stdout: "pipe", stderr: "pipe" });
    const deadline = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const out = await readUntil(child.stdout.getReader(), "appended 5");
    if (!out.includes("appended 5")) throw new Error(`child ended early: ${await new Response(child.stderr).text()}`);
    await Bun.sleep(60); // a few more seconds land
    child.kill("SIGKILL");
    expect(await child.exited).not.toBe(0);
    clearTimeout(deadline);
    expect(child.signalCode).toBe("SIGKILL");

    const store = openRunStore(dir);
    expect(store.getRun("dead")!.state).toBe("running");
    expect(store.markInFlightAborted()).toEqual(["dead0001"]);
    const run = store.getRun("dead0001")!;
    store.close();
    expect(run).toMatchObject({ state: "aborted", reason: "process died", passed: false, summaryFromTimeline: true });
    expect(run.timeline.length).toBeGreaterThanOrEqual(5);
    expect(run.timeline.map((e) => e.t)).toEqual(run.timeline.map((_, i) => i + 1));
    expect(run.durationMs).toBe(run.timeline.length * 1000);
    expect(run.summary.global.requests).toBeGreaterThan(0);
    expect(run.scriptErrors).toEqual([{ scenario: "s0", step: "get", message: "boom", frame: "flows/x.ts:3:9", agent: "agent-1" }]);

    const input = reportInputFromStored(run);
    const json = JSON.parse(renderJsonReport(input));
    expect(reportSchema.safeParse(json).success).toBe(true);
    expect(json.run).toMatchObject({ state: "aborted", reason: "process died", passed: false, summary_from_timeline: true });
    expect(json.timeline).toHaveLength(run.timeline.length);
    expect(json.run.script_errors).toEqual([{ scenario: "s0", step: "get", message: "boom", frame: "flows/x.ts:3:9", agent: "agent-1" }]);

    const html = renderHtmlReport(input);
    expect(html).toContain("Ended early: process died");
    expect(html).toContain("This run never finished");
    expect(html).toContain('id="chart-latency"');

    expect(renderJunitReport(input)).toContain('message="run aborted: process died"');
  }, 30_000);
});
