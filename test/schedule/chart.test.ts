import { describe, expect, test } from "bun:test";
import { renderScheduleChart } from "../../src/schedule/index.ts";

describe("schedule chart", () => {
  const chart = renderScheduleChart([
    { name: "api-stress", vus: Array.from({ length: 120 }, (_, t) => 5 + Math.round((195 * t) / 119)) },
    { name: "flash", vus: Array.from({ length: 90 }, (_, t) => (t >= 30 && t < 45 ? 100 : 5)) },
  ]);

  test("names each scenario with its peak and duration", () => {
    expect(chart).toContain("api-stress  (peak 200 VUs, 2m)");
    expect(chart).toContain("flash  (peak 100 VUs, 1m30s)");
  });

  test("fits in 80 columns and has no control codes", () => {
    for (const line of chart.split("\n")) expect([...line].length).toBeLessThanOrEqual(80);
    expect(chart).not.toContain("\x1b");
  });

  test("a spike shorter than a column still shows", () => {
    const c = renderScheduleChart([{ name: "blip", vus: Array.from({ length: 600 }, (_, t) => (t === 300 ? 50 : 1)) }]);
    expect(c.split("\n")[1]).toContain("█");
  });
});
