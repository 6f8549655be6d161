// The connection ramp: one run's from its samples, the rounds' combined, and the sentence the README prints.
import { describe, expect, test } from "bun:test";
import { combineRamps, rampOf, rampSentence, type Ramp } from "../../bench/support/ramp.ts";

/** samples every 50 ms from t = 0: `opened[i]` connections accepted by then */
const every50 = (...opened: number[]) => opened.map((n, i) => ({ t: i * 50, opened: n }));

describe("rampOf", () => {
  test.each([
    ["steady: 10 of 100 at 100 ms, 90 at 250", every50(0, 5, 10, 40, 70, 90, 100), { t10Ms: 50, t90Ms: 200, spanMs: 150, peakPer100Ms: 60 }],
    ["all at once", every50(0, 100, 100), { t10Ms: 0, t90Ms: 0, spanMs: 0, peakPer100Ms: 100 }],
    ["never 90% while watched", every50(0, 20, 40, 60), { t10Ms: 0, t90Ms: NaN, spanMs: NaN, peakPer100Ms: 40 }],
    ["nothing opened", every50(0, 0, 0), { t10Ms: NaN, t90Ms: NaN, spanMs: NaN, peakPer100Ms: 0 }],
  ])("%s", (_name, samples, ramp) => {
    expect(rampOf(samples, 100)).toEqual(ramp);
  });
});

describe("combineRamps", () => {
  test("the span is the median of each round's span, not the difference of two medians", () => {
    // one slow round and one that never got to 90%: medians taken apart gave t10 3,170 and no t90
    const rounds: Ramp[] = [
      { t10Ms: 100, t90Ms: 900, spanMs: 800, peakPer100Ms: 500 },
      { t10Ms: 3000, t90Ms: 3200, spanMs: 200, peakPer100Ms: 300 },
      { t10Ms: 3300, t90Ms: NaN, spanMs: NaN, peakPer100Ms: 200 },
    ];
    expect(combineRamps(rounds)).toEqual({ t10Ms: 3000, t90Ms: 2050, spanMs: 500, peakPer100Ms: 300 });
  });

  test("no round reached 90%: no span", () => {
    expect(combineRamps([{ t10Ms: 3170, t90Ms: NaN, spanMs: NaN, peakPer100Ms: 226 }]).spanMs).toBeNaN();
  });
});

describe("rampSentence", () => {
  test.each([
    ["a span", { t10Ms: 25, t90Ms: 277, spanMs: 252, peakPer100Ms: 2033 }, "wrk opened 10% → 90% of its connections in 252 ms, at most 2,033 in any 100 ms"],
    // an older bench file: no spanMs; JSON wrote the missing t90 as null
    ["an older file's ramp", { t10Ms: 100.7, t90Ms: 907.8, peakPer100Ms: 558.5 }, "wrk opened 10% → 90% of its connections in 807 ms, at most 559 in any 100 ms"],
    [
      "never 90% (what printed -3,170 ms before)",
      { t10Ms: 3169.8, t90Ms: null as unknown as number, peakPer100Ms: 226 },
      "wrk did not open 90% of its 10,000 connections in the 4 s watched (10% of them after 3,170 ms, at most 226 in any 100 ms)",
    ],
    ["nothing opened", { t10Ms: NaN, t90Ms: NaN, spanMs: NaN, peakPer100Ms: 0 }, "wrk did not open 90% of its 10,000 connections in the 4 s watched (at most 0 in any 100 ms)"],
  ])("%s", (_name, ramp, sentence) => {
    expect(rampSentence("wrk", ramp, 10_000)).toBe(sentence);
  });
});
