// The run book's script errors (src/controller/run-book.ts): agents report each distinct message once; the run keeps
// one per scenario, step and message whichever agents threw it, in the order they came, at most MAX_RUN_SCRIPT_ERRORS,
// and every later update and the result carry them.
import { describe, expect, test } from "bun:test";
import { createRunBook, MAX_RUN_SCRIPT_ERRORS } from "../../src/controller/run-book.ts";
import { parsePlan } from "../../src/plan/index.ts";

const plan = parsePlan(
  `name: p
scenarios:
  s:
    duration: 5s
    profile: { type: constant, vus: 1 }
    steps: [{ name: a, url: "http://127.0.0.1:9/a" }]
`,
  "p.yaml",
);

const agents = [
  { id: "agent-1", address: "10.0.0.1:7100", state: "finished" as const, requests: 0, errors: 0 },
  { id: "agent-2", address: "10.0.0.2:7100", state: "finished" as const, requests: 0, errors: 0 },
];

describe("run book: script errors", () => {
  test("none: neither the updates nor the result have the field", () => {
    const book = createRunBook("r1", plan, 2);
    book.closeSecond(1, { s: 1 });
    expect(book.judge(1, "running").update.scriptErrors).toBeUndefined();
    const { result, update } = book.finish({ elapsedS: 1, stopped: undefined, agents }, new Date(0));
    expect(result.scriptErrors).toBeUndefined();
    expect(update.scriptErrors).toBeUndefined();
  });

  test("one per scenario, step and message, naming the agent that reported it first, in every later update and the result", () => {
    const book = createRunBook("r1", plan, 2);
    book.scriptError("agent-2", { scenario: "s", step: "a", message: "boom", frame: "flows/x.ts:3:9" });
    book.closeSecond(1, { s: 1 });
    const first = book.judge(1, "running").update.scriptErrors;
    expect(first).toEqual([{ scenario: "s", step: "a", message: "boom", frame: "flows/x.ts:3:9", agent: "agent-2" }]);
    // the same from the other agent, then a message of another step, and one without a frame
    book.scriptError("agent-1", { scenario: "s", step: "a", message: "boom", frame: "flows/x.ts:3:9" });
    book.scriptError("agent-1", { scenario: "s", step: "b", message: "boom" });
    book.scriptError("agent-1", { scenario: "s", step: "a", message: "other" });
    book.closeSecond(2, { s: 1 });
    const second = book.judge(2, "running").update.scriptErrors!;
    expect(second.map((e) => [e.step, e.message, e.agent, e.frame])).toEqual([
      ["a", "boom", "agent-2", "flows/x.ts:3:9"],
      ["b", "boom", "agent-1", undefined],
      ["a", "other", "agent-1", undefined],
    ]);
    expect("frame" in second[1]!).toBe(false);
    // an update handed out earlier is not changed by what came later
    expect(first).toHaveLength(1);
    const { result, update } = book.finish({ elapsedS: 2, stopped: undefined, agents }, new Date(0));
    expect(result.scriptErrors).toEqual(second);
    expect(update.scriptErrors).toEqual(second);
  });

  test(`at most ${MAX_RUN_SCRIPT_ERRORS} a run: the first ones`, () => {
    const book = createRunBook("r1", plan, 2);
    for (let i = 0; i < MAX_RUN_SCRIPT_ERRORS + 5; i++) book.scriptError(`agent-${(i % 2) + 1}`, { scenario: "s", step: "a", message: `m${i}` });
    const { result } = book.finish({ elapsedS: 1, stopped: undefined, agents }, new Date(0));
    expect(result.scriptErrors!.map((e) => e.message)).toEqual(Array.from({ length: MAX_RUN_SCRIPT_ERRORS }, (_, i) => `m${i}`));
  });
});
