// npm: package.json declares which dependencies' install scripts npm 11 must run (allowScripts), and `npm run demo`,
// `npm test` and the builds say what to do when Bun's binary is missing instead of failing with Bun's placeholder.
import { describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { ROOT, tempDir } from "../helpers.ts";

const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { hasInstallScript?: boolean }> };
const allow = (pkg as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};

/** A project folder holding scripts/need-bun.mjs and a node_modules/bun whose bin/bun.exe is `binary`. */
function project(binary: string | undefined): string {
  const dir = tempDir("indus-npm-");
  mkdirSync(join(dir, "scripts"));
  copyFileSync(join(ROOT, "scripts", "need-bun.mjs"), join(dir, "scripts", "need-bun.mjs"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", devDependencies: { bun: pkg.devDependencies.bun } }));
  if (binary !== undefined) {
    mkdirSync(join(dir, "node_modules", "bun", "bin"), { recursive: true });
    writeFileSync(join(dir, "node_modules", "bun", "bin", "bun.exe"), binary, { mode: 0o755 });
  }
  return dir;
}
const needBun = (dir: string) => Bun.spawnSync(["node", join(dir, "scripts", "need-bun.mjs")], { stdout: "pipe", stderr: "pipe" });

describe("npm install scripts", () => {
  test("every dependency with an install script is decided in allowScripts: Bun's (which fetches its binary) allowed", () => {
    const withScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([path]) => path.replace(/^.*node_modules\//, ""));
    expect(withScripts).toContain("bun");
    for (const name of withScripts) expect(Object.keys(allow)).toContain(name);
    expect(allow.bun).toBe(true);
  });

  test("npm's own check finds nothing left to review", () => {
    const p = Bun.spawnSync(["npm", "install-scripts", "ls"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    expect(p.stdout.toString()).toContain("No packages with unreviewed install scripts.");
  });
});

describe("npm run demo / npm test when Bun's binary is missing", () => {
  test("demo, test and the builds check for Bun first, with Node", () => {
    for (const script of ["demo", "test", "build", "build:all"]) {
      expect(pkg.scripts[script as keyof typeof pkg.scripts]).toStartWith("node scripts/need-bun.mjs && ");
    }
  });

  test("with Bun installed: silent, exit 0", () => {
    const p = needBun(ROOT);
    expect(p.stderr.toString()).toBe("");
    expect(p.exitCode).toBe(0);
  });

  test("Bun's placeholder (its install script never ran): says why and what to run", () => {
    // what the bun package ships in bin/bun.exe until its postinstall replaces it with the binary
    const placeholder = `echo "Error: Bun's postinstall script was not run." >&2\nexit 1\n`;
    const p = needBun(project(placeholder));
    const err = p.stderr.toString();
    expect(err).toStartWith("indus: node_modules/bun holds no Bun binary: npm did not run bun's install script");
    expect(err).toContain("allowScripts");
    expect(err).toContain("fix: npm rebuild bun");
    expect(p.exitCode).toBe(1);
  });

  test("no node_modules at all: run npm ci", () => {
    const p = needBun(project(undefined));
    expect(p.stderr.toString()).toBe(`indus: Bun ${pkg.devDependencies.bun} is not installed in node_modules (npm ci has not run here).\n  fix: npm ci\n`);
    expect(p.exitCode).toBe(1);
  });
});
