// Script module helpers: exports checked, user frames found, env reads found in a bundle's text, bundling errors located.
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleScript, checkExports, importBundle, scriptEnvNames, sha256Hex, userFrame } from "../../src/engine/script/index.ts";
import { tempDir } from "../helpers.ts";

describe("script modules", () => {
  test("exports: default must be a function; setup and teardown functions when present; every problem at once", () => {
    expect(() => checkExports({}, "x.ts")).toThrow("x.ts: it has no default export");
    expect(() => checkExports({ default: 1, setup: "no" }, "x.ts")).toThrow('x.ts: its default export is a number, not a function; its export "setup" is a string, not a function');
    const m = checkExports({ default: () => 1, teardown: () => 2 }, "x.ts");
    expect(typeof m.run).toBe("function");
    expect(m.setup).toBeUndefined();
    expect(typeof m.teardown).toBe("function");
  });

  test("the first frame in the user's code: indus's own frames, node_modules and blob URLs are skipped", () => {
    const e = new Error("x");
    e.stack = [
      "Error: x",
      "    at helper (/proj/node_modules/lib/index.js:1:1)",
      "    at request (/$bunfs/root/indus:1:2)",
      "    at flow_default (../../proj/flows/checkout.ts:12:7)",
      "    at run (flows/other.ts:1:1)",
    ].join("\n");
    expect(userFrame(e)).toBe("proj/flows/checkout.ts:12:7");
    expect(userFrame("not an error")).toBeUndefined();
  });

  test("env reads in a bundle: env.NAME, env?.NAME, env[\"NAME\"]; computed names, process.env and Bun.env are not", () => {
    const code =
      'const a = vu.env.TARGET_URL; const b = ctx.env?.TOKEN; const c = vu.env["SECRET_KEY"]; const d = vu.env[name]; const e = environment.X;' +
      // what a bundled package reads from its own process is never sent
      ' const f = process.env.AWS_SECRET_ACCESS_KEY; const g = Bun.env.HOME; const h = import.meta.env.MODE; const i = process.env["NODE_ENV"];';
    expect(scriptEnvNames(code)).toEqual(["SECRET_KEY", "TARGET_URL", "TOKEN"]);
  });

  test("bundling: relative imports and node: built-ins in one module; errors with file, line and column", async () => {
    const dir = tempDir("indus-bundle-");
    writeFileSync(join(dir, "flow.ts"), 'import { createHash } from "node:crypto";\nimport type { VU } from "indus";\nimport { two } from "./two.ts";\nexport default (vu: VU) => createHash("sha1").update(String(two)).digest("hex");\n');
    writeFileSync(join(dir, "two.ts"), "export const two: number = 2;\n");
    writeFileSync(join(dir, "bad.ts"), 'import { nope } from "./missing.ts";\nexport default () => nope;\n');
    const planFile = join(dir, "plan.yaml");
    const good = await bundleScript("./flow.ts", planFile);
    expect(good.ok).toBe(true);
    if (good.ok) {
      expect(good.code).not.toContain("./two.ts\"");
      expect(good.code).toContain("sourceMappingURL=data:application/json;base64,");
    }
    const bad = await bundleScript("./bad.ts", planFile);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems[0]!.file).toMatch(/bad\.ts$/);
      expect(bad.problems[0]!.line).toBe(1);
      expect(bad.problems[0]!.message).toMatch(/missing\.ts/);
    }
  });

  test("an npm package from the plan's node_modules is bundled in; the bundle runs from memory", async () => {
    const dir = tempDir("indus-bundle-npm-");
    mkdirSync(join(dir, "node_modules", "left-pad-ish"), { recursive: true });
    writeFileSync(join(dir, "node_modules", "left-pad-ish", "package.json"), JSON.stringify({ name: "left-pad-ish", version: "1.0.0", main: "index.js" }));
    writeFileSync(join(dir, "node_modules", "left-pad-ish", "index.js"), "module.exports = (s, n) => String(s).padStart(n, '0');\n");
    writeFileSync(join(dir, "flow.ts"), 'import pad from "left-pad-ish";\nexport default (vu: { id: number }) => pad(vu.id, 4);\n');
    const bundled = await bundleScript("./flow.ts", join(dir, "plan.yaml"));
    expect(bundled.ok).toBe(true);
    if (!bundled.ok) return;
    expect(bundled.code).not.toContain('from "left-pad-ish"');
    const m = await importBundle({ file: "./flow.ts", code: bundled.code, sha256: sha256Hex(bundled.code) });
    expect(m.run({ id: 7 }, undefined)).toBe("0007");
  });
});
