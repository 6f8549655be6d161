// The binary is self-contained: what lies in the directory it runs in (a .env, a bunfig.toml) does not change it.
// Bun's compiled executables read both by default; scripts/build.ts turns that off.
import { describe, expect, test } from "bun:test";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { oneStepPlan, runIndus, tempDir, writePlan } from "../helpers.ts";

describe("the working directory", () => {
  test("a .env there sets nothing: {{env.NAME}} that only it names is reported unset (exit 2)", async () => {
    const dir = tempDir("indus-cwd-");
    try {
      writeFileSync(join(dir, ".env"), "INDUS_E2E_ONLY_IN_DOTENV=http://127.0.0.1:9/\n");
      writePlan(oneStepPlan({ name: "dotenv", url: "{{env.INDUS_E2E_ONLY_IN_DOTENV}}", vus: 1 }), dir);
      const r = await runIndus(["run", "plan.yaml", "--quiet", "--data-dir", join(dir, "store")], { cwd: dir });
      expect(r.stderr).toContain("the environment variable INDUS_E2E_ONLY_IN_DOTENV is not set");
      expect(r.code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a bunfig.toml there is not read: its preload script never runs", async () => {
    const dir = tempDir("indus-cwd-");
    try {
      const marker = join(dir, "preloaded");
      writeFileSync(join(dir, "preload.ts"), `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran");\n`);
      writeFileSync(join(dir, "bunfig.toml"), `preload = ["./preload.ts"]\n`);
      for (const args of [["--version"], ["validate", join(import.meta.dir, "../../examples/basic.yaml")]]) {
        const r = await runIndus(args, { cwd: dir });
        expect(r.code).toBe(0);
        expect(existsSync(marker)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
