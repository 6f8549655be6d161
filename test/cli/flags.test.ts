// Global flags before the command, and run flags that cannot apply: refused with exit 2 and the flag's name.
import { describe, expect, test } from "bun:test";
import { runCli } from "../../src/cli/index.ts";
import type { CliIo } from "../../src/cli/io.ts";
import { splitGlobalFlags } from "../../src/cli/global-flags.ts";
import { IndusError } from "../../src/core/errors.ts";
import { runIndus } from "../helpers.ts";

function recordingIo(): { io: CliIo; out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const io: CliIo = {
    stdout: { write: (s) => void (out += s) },
    stderr: { write: (s) => void (err += s) },
    env: {},
    onSignal: () => () => {},
    exitNow: (code) => {
      throw new Error(`exit ${code}`);
    },
  };
  return { io, out: () => out, err: () => err };
}

describe("splitGlobalFlags", () => {
  test.each([
    [["run", "plan.yaml"], "run", ["plan.yaml"]],
    [["--controller=h:1", "run", "plan.yaml"], "run", ["--controller=h:1", "plan.yaml"]],
    [["--controller", "h:1", "--token", "t", "status", "ID"], "status", ["--controller=h:1", "--token=t", "ID"]],
    [["--data-dir=/d", "--log-level=debug", "report", "ID", "-o", "r.html"], "report", ["--data-dir=/d", "--log-level=debug", "ID", "-o", "r.html"]],
    [["--controller=h:1", "--help"], "--help", ["--controller=h:1"]],
    [["--controller=h:1"], undefined, ["--controller=h:1"]],
  ] as const)("%p → %p %p", (argv, command, rest) => {
    expect(splitGlobalFlags(argv)).toEqual({ command, rest: [...rest] });
  });

  test("an unknown flag before the command is named, with the ones that may go there", () => {
    expect(() => splitGlobalFlags(["--workers=2", "run", "p.yaml"])).toThrow(/unknown flag --workers before the command/);
    expect(() => splitGlobalFlags(["--controller"])).toThrow(IndusError);
  });
});

describe("indus with global flags (in process)", () => {
  test("a global flag the command does not take: exit 2, named", async () => {
    const r = recordingIo();
    expect(await runCli(["--controller=h:1", "validate", "examples/basic.yaml"], r.io)).toBe(2);
    expect(r.err()).toContain("unknown flag --controller for 'indus validate'");
    expect(r.out()).toBe("");
  });

  test.each([
    [["run", "examples/basic.yaml", "--no-stream"], "--no-stream needs --controller"],
    [["run", "examples/basic.yaml", "--detach"], "--detach needs --controller"],
    [["--controller=127.0.0.1:1", "run", "examples/basic.yaml", "--workers=2"], "--workers does not apply with --controller"],
    [["--controller=127.0.0.1:1", "run", "examples/basic.yaml", "--engine=fetch"], "--engine does not apply with --controller"],
    [["run", "examples/basic.yaml", "--baseline=abc"], "--baseline compares reports: it needs --report"],
  ])("%p is refused before any load: %s", async (argv, message) => {
    const r = recordingIo();
    expect(await runCli([...argv], r.io)).toBe(2);
    expect(r.err()).toContain(`error: ${message}`);
    expect(r.err()).toContain("hint: ");
    expect(r.out()).toBe("");
  });
});

describe("indus --help (compiled binary)", () => {
  test("shows the global flags and where they go", async () => {
    const r = await runIndus(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("indus [global flags] <command> [flags]");
    for (const flag of ["--controller", "--token", "--tls-cert", "--tls-key", "--tls-ca", "--data-dir", "--log-format", "--log-level"]) {
      expect(r.stdout).toContain(`  ${flag} VALUE`);
    }
  });

  test("an unknown flag before the command: exit 2, named, no usage dump", async () => {
    const r = await runIndus(["--bogus", "run", "plan.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toStartWith("error: unknown flag --bogus before the command\n");
    expect(r.stdout).toBe("");
  });
});
