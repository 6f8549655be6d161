// The schedule chart's layout: legend, axes, width, height, shared time axis, and the edges of its input.
import { describe, expect, test } from "bun:test";
import { planSchedule, renderScheduleChart } from "../../src/schedule/index.ts";

const REFERENCE = planSchedule([
  { name: "checkout-spike", duration: 90_000, profile: { type: "spike", base_vus: 5, spike_vus: 100, spike_at: 30_000, spike_duration: 15_000 } },
  { name: "step-api", duration: 120_000, profile: { type: "step", start_vus: 10, step_vus: 20, step_duration: 30_000 } },
  { name: "cool-down", duration: 7000, profile: { type: "ramp_down", start_vus: 7, end_vus: 0 } },
]);
const columns = (line: string) => [...line].length;
// Lines of one chart: legend, `height` rows, axis, tick labels.
const chartsOf = (text: string) => text.split("\n\n").map((c) => c.split("\n"));

describe("renderScheduleChart", () => {
  const text = renderScheduleChart(REFERENCE);

  test("a legend per scenario with its peak and duration, and one for all scenarios together", () => {
    expect(text).toContain("checkout-spike  (peak 100 VUs, 1m30s)");
    expect(text).toContain("step-api  (peak 70 VUs, 2m)");
    expect(text).toContain("cool-down  (peak 7 VUs, 7s)");
    expect(text).toContain("all scenarios together  (peak 130 VUs, 2m)"); // the spike (100) over step 2 (30)
  });

  test("every line fits in 80 columns, with no control codes and no trailing spaces", () => {
    for (const line of text.split("\n")) {
      expect(columns(line)).toBeLessThanOrEqual(80);
      expect(line).not.toMatch(/[\x00-\x1f\x7f]/);
      expect(line).toBe(line.trimEnd());
    }
  });

  test("the y axis is labelled with VU counts: peak on top, 0 on the axis", () => {
    const [legend, top, ...rest] = chartsOf(text)[0]!;
    expect(legend).toStartWith("checkout-spike");
    expect(top).toMatch(/^100 ┤/);
    expect(rest).toContainEqual(expect.stringMatching(/^ {2}0 └─/));
    expect(rest).toContainEqual(expect.stringMatching(/^ 50 ┤/));
  });

  test("the x axis is labelled in durations, up to the longest scenario", () => {
    const labels = chartsOf(text)[0]!.at(-1)!;
    expect(labels.trim().split(/\s+/)).toEqual(["0s", "30s", "1m", "1m30s", "2m"]);
    expect(columns(labels)).toBe(80); // the end label sits at the right edge
  });

  test("all charts share one time axis, column for column", () => {
    const axes = chartsOf(text).slice(0, 3).map((lines) => lines.at(-2)!.replace(/^ *\d+/, ""));
    expect(new Set(axes).size).toBe(1);
  });

  test("height rows of plot between legend and axis; default 8", () => {
    expect(chartsOf(text)[0]!.length).toBe(1 + 8 + 2);
    expect(chartsOf(renderScheduleChart(REFERENCE.slice(0, 1), { height: 4 }))[0]!.length).toBe(1 + 4 + 2);
  });

  test("a narrower width is respected", () => {
    for (const line of renderScheduleChart(REFERENCE, { width: 50 }).split("\n")) expect(columns(line)).toBeLessThanOrEqual(50);
  });

  test("the spike fills its columns to the top, and the base shows under it", () => {
    const [, top, ...rows] = chartsOf(text)[0]!;
    expect(top).toContain("██");
    const bottom = rows[6]!; // the last plot row
    expect(bottom).toMatch(/│[▁▂▃▄]+█+[▁▂▃▄]+$/);
  });

  test("a shorter scenario leaves the rest of the shared axis empty", () => {
    const coolDown = chartsOf(text)[2]!;
    const bottomRow = coolDown[8]!;
    expect(bottomRow.replace(/^ *\d* *[│┤]/, "").length).toBeLessThan(10);
  });

  test("a one-second schedule, a zero peak, no duration, no scenarios", () => {
    expect(renderScheduleChart([{ name: "one", vus: [3] }])).toContain("one  (peak 3 VUs, 1s)");
    const idle = renderScheduleChart([{ name: "idle", vus: [0, 0, 0] }]);
    expect(idle).toContain("idle  (peak 0 VUs, 3s)");
    expect(idle).not.toContain("█");
    expect(renderScheduleChart([{ name: "empty", vus: [] }])).toBe("empty  (peak 0 VUs, 0s)\n(no duration)");
    expect(renderScheduleChart([])).toBe("(no scenarios)");
  });

  test("an hour and a half fits, with a one-second spike still visible", () => {
    const vus = Array.from({ length: 5400 }, (_, t) => (t === 4000 ? 1000 : 10));
    const chart = renderScheduleChart([{ name: "soak", vus }]);
    const lines = chart.split("\n");
    expect(lines[0]).toBe("soak  (peak 1000 VUs, 1h30m)");
    expect(lines[1]).toContain("█");
    for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(80);
  });
});
