// Which processes start again without the FTL tier: the pure decision (the compiled binary's wiring: test/e2e/jit-tiers.test.ts).
import { describe, expect, test } from "bun:test";
import { commandWord, FTL_OPTION, restartWithoutFtl } from "../../src/cli/jit-tiers.ts";

describe("commandWord", () => {
  test.each([
    [["run", "plan.yaml"], "run"],
    [["--controller=h:1", "run", "plan.yaml"], "run"],
    [["--controller", "h:1", "run", "plan.yaml"], "run"],
    [["--data-dir", "/d", "--controller", "h:1", "agent"], "agent"],
    [["validate", "run"], "validate"],
    [["--help"], undefined],
    [["--version", "run"], "run"],
    [["--", "run"], undefined],
    [[], undefined],
    [["--controller"], undefined],
  ] as [string[], string | undefined][])("%j -> %s", (args, word) => {
    expect(commandWord(args)).toBe(word);
  });
});

describe("restartWithoutFtl", () => {
  const facts = { args: ["run", "plan.yaml", "--workers", "1"], env: { HOME: "/h", EMPTY: undefined }, compiled: true, canExec: true };

  test("run and agent start again with the same arguments and environment, and FTL off", () => {
    expect(restartWithoutFtl(facts)).toEqual({ args: ["run", "plan.yaml", "--workers", "1"], env: { HOME: "/h", [FTL_OPTION]: "0" } });
    expect(restartWithoutFtl({ ...facts, args: ["--controller=c:7000", "agent"] })?.env[FTL_OPTION]).toBe("0");
  });

  test.each([
    ["a command that generates no load", { args: ["controller"] }],
    ["validate", { args: ["validate", "plan.yaml"] }],
    ["no command", { args: [] }],
    ["not the compiled binary (bun src/main.ts)", { compiled: false }],
    ["no execve (Windows)", { canExec: false }],
    ["the user set the option (either way)", { env: { [FTL_OPTION]: "1" } }],
    ["the restarted process itself", { env: { [FTL_OPTION]: "0" } }],
  ])("no restart: %s", (_why, change) => {
    expect(restartWithoutFtl({ ...facts, ...change })).toBeNull();
  });
});
