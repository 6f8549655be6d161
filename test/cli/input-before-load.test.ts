// Bad input a newcomer types (a missing argument, a report nowhere, an unknown baseline, empty flags) is refused
// by the compiled binary with exit 2 and one message, before any load is sent.
import { describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { runIndus, tempDir, writePlan } from "../helpers.ts";

// nothing listens on port 1: had the run started, it would print "Run started" and count connect_refused
const PLAN = `name: nowhere
scenarios:
  s:
    duration: "1s"
    profile: { type: constant, vus: 1 }
    steps:
      - { name: get, url: "http://127.0.0.1:1/" }
`;

describe("indus refuses bad input before any load", () => {
  const dir = tempDir("indus-input-");
  const plan = writePlan(PLAN, dir);
  const env = { INDUS_DATA_DIR: join(dir, "store") };

  test.each([
    [["run"], "Missing required positional argument: PLAN", "indus run --help"],
    [["validate"], "Missing required positional argument: PLAN", "indus validate --help"],
    [["--data-dir", dir, "report", "--format=json"], "Missing required positional argument: ID", "indus report --help"],
  ])("%p: exit 2, the missing argument named, no 'internal error'", async (args, message, hint) => {
    const r = await runIndus(args, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${message}`);
    expect(r.stderr).toContain(hint);
    expect(r.stderr).not.toContain("internal error");
  });

  test("a --report into a folder that does not exist: exit 2 before the run, not after it", async () => {
    const r = await runIndus(["run", plan, "--report", join(dir, "no-such-folder", "r.html")], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no-such-folder");
    expect(r.stderr).toContain("does not exist");
    expect(r.stdout).not.toContain("Run started");
  });

  test("a --report that names a folder: exit 2 before the run", async () => {
    const folder = join(dir, "a-folder.json");
    mkdirSync(folder, { recursive: true });
    const r = await runIndus(["run", plan, `--report=${folder}`], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("it is a folder");
    expect(r.stdout).not.toContain("Run started");
  });

  test("a --report to stdout (json:-): exit 2 before the run, it would be mixed into the table and summary", async () => {
    const r = await runIndus(["run", plan, "--report=json:-"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("would be mixed into the run's own output");
    expect(r.stdout).not.toContain("Run started");
  });

  test("indus report -o into a missing folder: exit 2 (bad input), not 1", async () => {
    const r = await runIndus(["report", "abc", "-o", join(dir, "missing", "x.html")], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does not exist");
  });

  test("an unknown --baseline: exit 2 before the run (it used to run, then lose the reports)", async () => {
    const r = await runIndus(["run", plan, "--report", join(dir, "b.json"), "--baseline=nosuchrun"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nosuchrun|controller/);
    expect(r.stdout).not.toContain("Run started");
  });

  test.each([
    [["--keep-runs=-1"], '--keep-runs must be an integer ≥ 1, got "-1"'],
    [["--workers=100000"], '--workers must be at most 256, got "100000"'],
    [["--agents="], "--agents: no agents given"],
  ])("run %p: exit 2, named, no run", async (flags, message) => {
    const r = await runIndus(["run", plan, ...flags], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${message}`);
    expect(r.stdout).not.toContain("Run started");
  });

  test.each([
    [["runs", "--limit=abc"], '--limit must be an integer ≥ 1, got "abc"'],
    [["status", "--limit=0"], '--limit must be an integer ≥ 1, got "0"'],
  ])("%p: exit 2, named", async (args, message) => {
    const r = await runIndus(args, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${message}`);
  });

  test("a missing script is named with its line and path, beside the other missing files (all at once)", async () => {
    const d = tempDir("indus-input-script-");
    const file = writePlan(
      `scenarios:
  a:
    duration: "1s"
    profile: { type: constant, vus: 1 }
    data: { file: missing.csv }
    steps:
      - { name: get, url: "http://127.0.0.1:1/{{user}}" }
  b:
    duration: "1s"
    profile: { type: constant, vus: 1 }
    script: ./flows/missing.ts
`,
      d,
    );
    const r = await runIndus(["validate", file], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("2 problems in plan");
    expect(r.stderr).toContain("plan.yaml:5:19: scenarios.a.data.file: cannot read the data file");
    expect(r.stderr).toContain("plan.yaml:11:13: scenarios.b.script: the script ./flows/missing.ts does not exist");
  });

  test("a run store that cannot be opened: exit 2 naming the folder (it was 'internal error', exit 1)", async () => {
    const notAFolder = join(dir, "plain-file");
    await Bun.write(notAFolder, "not a folder");
    for (const args of [["runs"], ["status"], ["report", "abc"]]) {
      const r = await runIndus([...args, "--data-dir", join(notAFolder, "store")], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`cannot open the run store in ${join(notAFolder, "store")}`);
      expect(r.stderr).not.toContain("internal error");
    }
  });

  test.each([["agent"], ["controller"]])("indus %s on a gRPC port in use: exit 2 with the address (it was 'internal error', exit 1)", async (role) => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = (busy.address() as AddressInfo).port;
    try {
      const r = await runIndus([role, `--grpc-addr=127.0.0.1:${port}`, "--metrics-addr=off"], { env, timeoutMs: 20_000 });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error: cannot listen on 127.0.0.1:${port}: address already in use`);
      expect(r.stderr).not.toContain("internal error");
      // nothing but the process's JSON log lines and our message: grpc-js's own "E No address added ..." line is gone
      const stray = r.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("{") && !l.startsWith("error: ") && !l.startsWith("hint: "));
      expect(stray).toEqual([]);
      // with --log-level debug it is in the log, as JSON
      const debug = await runIndus([role, `--grpc-addr=127.0.0.1:${port}`, "--metrics-addr=off", "--log-level=debug"], { env, timeoutMs: 20_000 });
      const grpcLines = debug.stderr.split("\n").filter((l) => l.startsWith("{") && JSON.parse(l).msg === "grpc-js");
      expect(grpcLines.map((l) => JSON.parse(l).message)).toContain("No address added out of total 1 resolved");
    } finally {
      busy.close();
    }
  });

  test("a bad INDUS_LOG_LEVEL is named as the variable, not as a --log-level the user never typed", async () => {
    const r = await runIndus(["run", plan], { env: { ...env, INDUS_LOG_LEVEL: "loud" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: INDUS_LOG_LEVEL must be one of debug, info, warn, error, silent, got "loud"');
    expect(r.stdout).not.toContain("Run started");
  });

  test.each([
    [["run", "PLAN", "other.yaml"], 'unexpected argument "other.yaml" for \'indus run\'', "one plan per run"],
    [["validate", "PLAN", "x", "y"], 'unexpected arguments "x", "y" for \'indus validate\'', "usage: indus validate PLAN"],
    [["runs", "extra"], 'unexpected argument "extra" for \'indus runs\'', "usage: indus runs [flags]"],
    [["run", "PLAN", "--dashboard", "127.0.0.1:5665"], 'unexpected argument "127.0.0.1:5665" after --dashboard', "write --dashboard=127.0.0.1:5665"],
  ])("%p: an argument with no place is refused (it was silently dropped)", async (args, message, hint) => {
    const r = await runIndus(args.map((a) => (a === "PLAN" ? plan : a)), { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${message}`);
    expect(r.stderr).toContain(hint);
    expect(r.stdout).not.toContain("Run started");
  });
});
