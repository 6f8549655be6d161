// Which processes start again with the load settings, and with what: the pure decision (the compiled binary's
// wiring: test/e2e/restart.test.ts).
import { describe, expect, test } from "bun:test";
import { commandWord, LOAD_PROCESS_ENV, restartForLoad } from "../../src/cli/restart.ts";

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

describe("restartForLoad", () => {
  const facts = { args: ["run", "plan.yaml", "--workers", "1"], env: { HOME: "/h", EMPTY: undefined }, compiled: true, canExec: true };

  test("the settings: FTL off, mimalloc's purge delay 1 s", () => {
    expect(LOAD_PROCESS_ENV).toEqual({ BUN_JSC_useFTLJIT: "0", MIMALLOC_PURGE_DELAY: "1000" });
  });

  test("run and agent start again with the same arguments and environment, plus the settings", () => {
    expect(restartForLoad(facts)).toEqual({ args: ["run", "plan.yaml", "--workers", "1"], env: { HOME: "/h", ...LOAD_PROCESS_ENV } });
    expect(restartForLoad({ ...facts, args: ["--controller=c:7000", "agent"] })?.env).toEqual({ HOME: "/h", ...LOAD_PROCESS_ENV });
  });

  test("a user's own value wins; the others are still set", () => {
    const r = restartForLoad({ ...facts, env: { BUN_JSC_useFTLJIT: "1" } });
    expect(r?.env).toEqual({ BUN_JSC_useFTLJIT: "1", MIMALLOC_PURGE_DELAY: "1000" });
  });

  test.each([
    ["a command that generates no load", { args: ["controller"] }],
    ["validate", { args: ["validate", "plan.yaml"] }],
    ["no command", { args: [] }],
    ["not the compiled binary (bun src/main.ts)", { compiled: false }],
    ["no execve (Windows)", { canExec: false }],
    ["an ahead-of-time build (no JIT to set)", { aot: true }],
    ["every setting already there (the restarted process itself, or the user's)", { env: { ...LOAD_PROCESS_ENV, BUN_JSC_useFTLJIT: "1", MIMALLOC_PURGE_DELAY: "0" } }],
  ])("no restart: %s", (_why, change) => {
    expect(restartForLoad({ ...facts, ...change })).toBeNull();
  });
});
