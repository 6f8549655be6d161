import { describe, expect, test } from "bun:test";
import { formatDuration, parseDuration } from "../../src/core/duration.ts";

describe("durations", () => {
  test.each([
    ["200ms", 200],
    ["30s", 30_000],
    ["2m", 120_000],
    ["1h30m", 5_400_000],
    ["1m30s", 90_000],
    ["1.5s", 1500],
    ["0", 0],
    [" 5s ", 5000],
  ])("%s → %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(["", "30", "s", "5 s", "5x", "1h-3m", "ms30"])("%p is not a duration", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  test.each([
    [200, "200ms"],
    [1500, "1.5s"],
    [30_000, "30s"],
    [90_000, "1m30s"],
    [5_400_000, "1h30m"],
  ])("%d ms → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});
