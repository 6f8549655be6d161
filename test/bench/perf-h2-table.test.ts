// The README's HTTP/2 table is rendered from bench/results/h2.json: both tools per connection count, ratios to h2load, noise said.
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { H2_BEGIN, H2_END, renderH2Table, spliceH2, type H2BenchFile } from "../../scripts/perf-h2-table.ts";
import { ROOT } from "../helpers.ts";

const bench: H2BenchFile = {
  date: "2026-12-05T12:00:00.000Z",
  machine: { nproc: 2, cpuModel: "AMD EPYC", kernel: "6.1.0" },
  versions: { indus: "indus 0.1.0", h2load: "h2load nghttp2/1.52.0", nginx: "nginx version: nginx/1.22.1" },
  seconds: 10,
  rounds: 3,
  runs: [{ tool: "indus", connections: 64, otherCores: 0.2 }, { tool: "h2load", connections: 64, otherCores: 0.8 }],
  summary: [
    { tool: "h2load", connections: 64, rounds: 3, rps: 10_000, cpuUsPerRequest: 10, errors: 0 },
    { tool: "indus", connections: 64, rounds: 3, rps: 8_000, cpuUsPerRequest: 20, errors: 0 },
  ],
};

test("rows per tool, indus as a ratio to h2load, the noise and the missed goal said", () => {
  const md = renderH2Table(bench);
  expect(md).toContain("| 64 | h2load | 10,000 | 10.00 | 0 |");
  expect(md).toContain("| 64 | *indus ÷ h2load* | ×0.80 | ×2.00 | |");
  expect(md).toContain("figures are noisy");
  expect(md).toContain("0.2–0.8 cores");
  expect(md).toContain("not met here (×2.00 at 64 connections)");
  expect(md).toContain("nginx/1.22.1");
});

test("README.md holds the table rendered from the committed bench/results/h2.json", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const file = JSON.parse(readFileSync(join(ROOT, "bench", "results", "h2.json"), "utf8")) as H2BenchFile;
  expect(spliceH2(readme, renderH2Table(file))).toBe(readme);
  expect(readme.indexOf(H2_BEGIN)).toBeLessThan(readme.indexOf(H2_END));
});
