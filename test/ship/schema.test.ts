// `indus schema` prints the committed schema/plan.schema.json, and every example points editors at it.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/index.ts";
import type { CliIo } from "../../src/cli/io.ts";
import { planSchemaText } from "../../src/cli/schema.ts";
import { planJsonSchema } from "../../src/plan/index.ts";
import { ROOT, runIndus } from "../helpers.ts";

const committed = readFileSync(join(ROOT, "schema", "plan.schema.json"), "utf8");

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

describe("indus schema", () => {
  test("schema/plan.schema.json is up to date (npm run schema regenerates it)", () => {
    expect(committed).toBe(planSchemaText());
    expect(JSON.parse(committed)).toEqual(planJsonSchema());
    expect(committed.endsWith("}\n")).toBe(true);
    expect(committed).toContain('\n  "type": "object"');
  });

  test("prints it, pretty, with a trailing newline, and exits 0", async () => {
    const r = recordingIo();
    expect(await runCli(["schema"], r.io)).toBe(0);
    expect(r.out()).toBe(committed);
    expect(r.err()).toBe("");
  });

  test("the built binary prints the same", async () => {
    const r = await runIndus(["schema"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(committed);
  });

  test("is listed in indus --help and refuses flags it does not have", async () => {
    const help = recordingIo();
    await runCli(["--help"], help.io);
    expect(help.out()).toMatch(/^ {2}schema +Print the plan file's JSON Schema/m);
    const bad = recordingIo();
    expect(await runCli(["schema", "--pretty"], bad.io)).toBe(2);
    expect(bad.err()).toContain("--pretty");
  });
});

describe("examples", () => {
  const files = readdirSync(join(ROOT, "examples")).filter((f) => f.endsWith(".yaml"));

  test.each(files)("%s opens with the yaml-language-server schema comment", (file) => {
    const first = readFileSync(join(ROOT, "examples", file), "utf8").split("\n")[0];
    expect(first).toBe("# yaml-language-server: $schema=../schema/plan.schema.json");
  });
});
