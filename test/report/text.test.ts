// The text report: live table rows and header, the end-of-run summary, the status block, the live table's output.
import { describe, expect, test } from "bun:test";
import type { ProgressRow, RunSummary } from "../../src/run/types.ts";
import type { Stats } from "../../src/metrics/stats.ts";
import {
  createLiveTable,
  formatErrorsByClass,
  formatProgressRow,
  formatRunStatus,
  formatSummary,
  formatTableHeader,
} from "../../src/report/text/index.ts";

const row = (over: Partial<ProgressRow> = {}): ProgressRow => ({
  state: "running",
  elapsedMs: 8000,
  vus: 10,
  rps: 1.7,
  p95: 494.67,
  errorRatio: 0,
  ...over,
});

const stats = (over: Partial<Stats> = {}): Stats => ({
  requests: 62,
  errors: 0,
  errorsByClass: {},
  iterations: 62,
  bytesIn: 0,
  bytesOut: 0,
  rps: 2.07,
  error_ratio: 0,
  min: 100,
  max: 520,
  mean: 300,
  p50: 312.2,
  p90: 450,
  p95: 487.4,
  p99: 503.1,
  ...over,
});

describe("live table header and rows", () => {
  test("header as the reference", () => {
    expect(formatTableHeader()).toBe(
      "STATE      ELAPSED    VUs      RPS        p95(ms)    ERRORS\n" +
        "────────── ────────── ──────── ────────── ────────── ──────────",
    );
  });

  test("row as the reference", () => {
    expect(formatProgressRow(row())).toBe("running    8s         10       1.7        494.67     0.00%");
  });

  test("columns line up with the header", () => {
    const [titles] = formatTableHeader().split("\n");
    const line = formatProgressRow(row({ elapsedMs: 125_000, vus: 200, rps: 101.23, p95: 994.449, errorRatio: 0.048 }));
    expect(line).toBe("running    2m5s       200      101.2      994.45     4.80%");
    for (const title of ["ELAPSED", "VUs", "RPS", "p95(ms)", "ERRORS"])
      expect(line[titles!.indexOf(title) - 1]).toBe(" ");
    expect(titles!.indexOf("ERRORS")).toBe(line.indexOf("4.80%"));
  });

  test.each([
    [0, "0s"],
    [499, "0s"],
    [7_998, "8s"],
    [59_400, "59s"],
    [60_000, "1m0s"],
    [90_000, "1m30s"],
    [3_725_000, "1h2m5s"],
  ])("elapsed %p ms shows as %p", (elapsedMs, shown) => {
    expect(formatProgressRow(row({ elapsedMs })).split(/\s+/)[1]).toBe(shown);
  });

  test("p95 is - before the first sample; errors are a percentage with 2 decimals", () => {
    expect(formatProgressRow(row({ p95: NaN, rps: 0, errorRatio: 0.12345 }))).toBe(
      "running    8s         10       0.0        -          12.35%",
    );
    expect(formatProgressRow(row({ errorRatio: 1 }))).toEndWith(" 100.00%");
  });

  test("a value wider than its column pushes the line but keeps a space", () => {
    expect(formatProgressRow(row({ vus: 123456789 }))).toContain(" 123456789 1.7");
  });
});

describe("summary", () => {
  const summary: RunSummary = {
    global: stats({ requests: 1262, errors: 15, error_ratio: 15 / 1262, errorsByClass: { http_5xx: 12, timeout: 3 } }),
    scenarios: [
      {
        name: "get-users",
        stats: stats(),
        steps: [{ name: "list-users", stats: stats() }],
      },
      {
        name: "a-scenario-with-a-rather-long-name",
        stats: stats({ requests: 1200, errors: 15, error_ratio: 0.0125, errorsByClass: { timeout: 3, http_5xx: 12 } }),
        steps: [
          { name: "create-order", stats: stats({ requests: 600, p50: NaN, p95: NaN, p99: NaN }) },
          {
            name: "checkout",
            stats: stats({ requests: 600, errors: 15, error_ratio: 0.025, errorsByClass: { http_5xx: 12, timeout: 3 } }),
          },
        ],
      },
    ],
  };

  test("layout", () => {
    expect(formatSummary(summary, { durationMs: 30_000 })).toBe(
      [
        "SUMMARY (30s):",
        "SCENARIO / STEP                     REQUESTS   RPS  p50(ms)  p95(ms)  p99(ms)      ERRORS",
        "get-users                                 62  2.07   312.20   487.40   503.10   0 (0.00%)",
        "  list-users                              62  2.07   312.20   487.40   503.10   0 (0.00%)",
        "a-scenario-with-a-rather-long-name      1200  2.07   312.20   487.40   503.10  15 (1.25%)",
        "  errors by class: http_5xx 12, timeout 3",
        "  create-order                           600  2.07        -        -        -   0 (0.00%)",
        "  checkout                               600  2.07   312.20   487.40   503.10  15 (2.50%)",
        "    errors by class: http_5xx 12, timeout 3",
        "total                                   1262  2.07   312.20   487.40   503.10  15 (1.19%)",
        "  errors by class: http_5xx 12, timeout 3",
      ].join("\n"),
    );
  });

  test("every table row has its columns at the same offsets, and no trailing spaces", () => {
    const lines = formatSummary(summary).split("\n");
    expect(lines[0]).toBe("SUMMARY:");
    const table = lines.slice(1).filter((l) => !l.includes("errors by class"));
    const [header, ...rows] = table;
    for (const l of table) {
      expect(l).toBe(l.trimEnd());
      expect(l.length).toBe(header!.length);
    }
    for (const title of ["REQUESTS", "RPS", "p50(ms)", "p95(ms)", "p99(ms)"]) {
      const end = header!.indexOf(title) + title.length;
      for (const l of rows) expect([l[end - 1] !== " ", l[end]]).toEqual([true, " "]);
    }
  });

  test("one scenario: no total row", () => {
    const one: RunSummary = { global: stats(), scenarios: [summary.scenarios[0]!] };
    const text = formatSummary(one);
    expect(text).not.toContain("total");
    expect(text.split("\n")).toHaveLength(4);
  });

  test("errors by class: most frequent first, ties in class order", () => {
    expect(formatErrorsByClass({ timeout: 3, http_5xx: 12 })).toBe("http_5xx 12, timeout 3");
    expect(formatErrorsByClass({ other: 2, connect_refused: 2, reset: 0 })).toBe("connect_refused 2, other 2");
    expect(formatErrorsByClass({})).toBe("");
  });
});

describe("status", () => {
  test("as the reference's indus status", () => {
    expect(formatRunStatus({ id: "059a8d29", state: "completed", durationMs: 30_000, global: stats() })).toBe(
      [
        "Run: 059a8d29",
        "State: completed",
        "Duration: 30s",
        "Requests: 62 Errors: 0 RPS: 2.07",
        "p50: 312ms p95: 487ms p99: 503ms",
      ].join("\n"),
    );
  });

  test("a run with no samples yet", () => {
    const empty = stats({ requests: 0, rps: 0, p50: NaN, p95: NaN, p99: NaN });
    const text = formatRunStatus({ id: "eb0ef8fb", state: "running", durationMs: 90_000, global: empty });
    expect(text).toContain("Duration: 1m30s");
    expect(text).toContain("Requests: 0 Errors: 0 RPS: 0.00");
    expect(text).toEndWith("p50: - p95: - p99: -");
  });
});

describe("live table", () => {
  const recorder = () => {
    const writes: string[] = [];
    return { writes, write: (s: string) => void writes.push(s), text: () => writes.join("") };
  };
  /** rows as a controller sends them: once a second, a few ms late or early */
  const ticks = (seconds: number, last: Partial<ProgressRow> = {}) =>
    Array.from({ length: seconds }, (_, i) =>
      row({ elapsedMs: (i + 1) * 1000 + (i % 2 ? 3 : -4), vus: 10, ...(i === seconds - 1 ? last : {}) }),
    );

  test("non-TTY: the header once, exactly one line per interval, the final row, no control codes", () => {
    const out = recorder();
    const table = createLiveTable(out, { tty: false, intervalMs: 8000 });
    for (const r of ticks(30)) table.update(r);
    table.update(row({ state: "completed", elapsedMs: 30_050 }));
    table.finish();
    table.finish();
    table.update(row({ elapsedMs: 40_000 }));
    const text = out.text();
    expect(text).not.toContain("\x1b");
    expect(text).not.toContain("\r");
    const lines = text.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.slice(0, 2).join("\n")).toBe(formatTableHeader());
    expect(lines.slice(2).map((l) => l.split(/\s+/).slice(0, 2).join(" "))).toEqual([
      "running 8s",
      "running 16s",
      "running 24s",
      "completed 30s",
    ]);
  });

  test("non-TTY: a row that skips intervals gives one line, not one per boundary", () => {
    const out = recorder();
    const table = createLiveTable(out, { tty: false, intervalMs: 1000 });
    table.update(row({ elapsedMs: 1000 }));
    table.update(row({ elapsedMs: 5000 }));
    table.update(row({ elapsedMs: 5600 }));
    table.update(row({ elapsedMs: 6000 }));
    const lines = out.text().trimEnd().split("\n").slice(2);
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual(["1s", "5s", "6s"]);
  });

  test("the final row is not printed twice when it already landed on an interval", () => {
    const out = recorder();
    const table = createLiveTable(out, { tty: false, intervalMs: 10_000 });
    for (const r of ticks(20, { state: "completed" })) table.update(r);
    table.finish();
    const lines = out.text().trimEnd().split("\n").slice(2);
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(" "))).toEqual(["running 10s", "completed 20s"]);
  });

  test("nothing is written before the first row", () => {
    const out = recorder();
    createLiveTable(out, { tty: true, intervalMs: 1000 }).finish();
    expect(out.writes).toEqual([]);
  });

  test("TTY: the last line is redrawn in place at each update and committed at each interval", () => {
    const out = recorder();
    const table = createLiveTable(out, { tty: true, intervalMs: 2000 });
    table.update(row({ elapsedMs: 1000 }));
    table.update(row({ elapsedMs: 2000 }));
    table.update(row({ elapsedMs: 3000 }));
    table.update(row({ elapsedMs: 3300, state: "completed" }));
    table.finish();
    const f = (ms: number, state: ProgressRow["state"] = "running") => formatProgressRow(row({ elapsedMs: ms, state }));
    expect(out.writes).toEqual([
      formatTableHeader() + "\n",
      "\r\x1b[2K" + f(1000),
      "\r\x1b[2K" + f(2000) + "\n",
      "\r\x1b[2K" + f(3000),
      "\r\x1b[2K" + f(3300, "completed"),
      "\r\x1b[2K" + f(3300, "completed") + "\n",
    ]);
    // What a terminal would show: the header, then the committed lines.
    expect(renderTerminal(out.text())).toEqual([...formatTableHeader().split("\n"), f(2000), f(3300, "completed")]);
  });
});

/** Applies \r, clear-line and \n as a terminal would; returns the visible lines. */
function renderTerminal(text: string): string[] {
  const lines: string[] = [""];
  for (const part of text.split(/(\r\x1b\[2K|\n)/)) {
    if (part === "\n") lines.push("");
    else if (part === "\r\x1b[2K") lines[lines.length - 1] = "";
    else lines[lines.length - 1] += part;
  }
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
