// Edit distance and "did you mean" suggestions.
import { describe, expect, test } from "bun:test";
import { closest, didYouMean, editDistance } from "../../src/plan/suggest.ts";

describe("editDistance", () => {
  test.each([
    ["", "", 0],
    ["abc", "abc", 0],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
    ["thinktime", "think_time", 1],
    ["p59", "p95", 1],
    ["metod", "method", 1],
  ])("%s → %s is %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("closest", () => {
  const keys = ["duration", "think_time", "profile", "steps"];
  test.each([
    ["thinktime", keys, "think_time"],
    ["duraton", keys, "duration"],
    ["STEPS", keys, "steps"],
    ["profil", keys, "profile"],
    ["colour", keys, undefined],
    ["", keys, undefined],
    ["p59", ["p50", "p90", "p95", "p99"], "p95"],
    ["FETCH", ["GET", "POST", "PATCH"], undefined],
  ] as const)("%s among %p → %p", (word, known, expected) => {
    expect(closest(word, known)).toBe(expected);
  });

  test("didYouMean words the suggestion, or says nothing", () => {
    expect(didYouMean("thinktime", keys)).toBe(' (did you mean "think_time"?)');
    expect(didYouMean("zzz", keys)).toBe("");
  });
});
