// .goreleaser.yaml builds what build:all builds, names archives as build:all does, and compiles as scripts/build.ts does.
// goreleaser itself cannot run here (its npm package downloads the binary from GitHub at install): `goreleaser check`
// runs only where goreleaser is on PATH; everywhere else the YAML is parsed and checked against scripts/targets.ts.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { archiveName, RELEASE_TARGETS, type ReleaseTarget } from "../../scripts/targets.ts";
import { ROOT } from "../helpers.ts";

interface Build { id: string; builder: string; tool: string; binary: string; main: string; flags: string[]; targets: string[] }
interface Archive { id: string; ids: string[]; formats: string[]; format_overrides?: { goos: string; formats: string[] }[]; name_template: string; files: string[] }
interface Config {
  version: number;
  project_name: string;
  builds: Build[];
  archives: Archive[];
  checksum: { name_template: string; algorithm: string };
  changelog: Record<string, unknown>;
  release: Record<string, unknown>;
}

const config = parse(readFileSync(join(ROOT, ".goreleaser.yaml"), "utf8")) as Config;

/**
 * Just enough of Go's text/template for archive names: `{{ .Field }}`, `{{ if eq .Field "lit" }}…{{ else }}…{{ end }}`.
 * Anything else throws, so a template this cannot read fails the test instead of passing it by accident.
 */
function renderTemplate(template: string, fields: Record<string, string>): string {
  const tokens = template.split(/({{.*?}})/).filter(Boolean);
  const stack: boolean[] = [];
  let out = "";
  for (const tok of tokens) {
    const action = /^{{\s*(.*?)\s*}}$/.exec(tok)?.[1];
    const on = stack.every(Boolean);
    if (action === undefined) {
      if (on) out += tok;
    } else if (/^\.\w+$/.test(action)) {
      const value = fields[action.slice(1)];
      if (value === undefined) throw new Error(`no field ${action}`);
      if (on) out += value;
    } else if (/^if eq \.\w+ "[^"]*"$/.test(action)) {
      const [, name, lit] = /^if eq \.(\w+) "([^"]*)"$/.exec(action)!;
      stack.push(fields[name!] === lit);
    } else if (action === "else") {
      stack.push(!stack.pop());
    } else if (action === "end") {
      stack.pop();
    } else {
      throw new Error(`template action not understood: ${action}`);
    }
  }
  return out;
}

/** The fields goreleaser's Bun builder gives an artifact: Os and Arch from the target, x64 reported as amd64. */
function goreleaserFields(t: ReleaseTarget, version: string): Record<string, string> {
  return { ProjectName: config.project_name, Version: version, Os: t.os, Arch: t.arch === "x64" ? "amd64" : t.arch };
}

describe(".goreleaser.yaml", () => {
  test.skipIf(!Bun.which("goreleaser"))("goreleaser check passes (skipped: goreleaser is not installed here)", () => {
    const p = Bun.spawnSync(["goreleaser", "check"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    expect(p.exitCode).toBe(0);
  });

  test("is a version 2 config for indus with the Bun builder everywhere", () => {
    expect(config.version).toBe(2);
    expect(config.project_name).toBe("indus");
    expect(config.builds.length).toBeGreaterThan(0);
    for (const b of config.builds) {
      expect(b.builder).toBe("bun");
      expect(b.binary).toBe("indus");
      expect(b.main).toBe("src/main.ts");
      expect(b.tool).toBe("./node_modules/.bin/bun"); // the Bun package.json pins
    }
  });

  test("builds exactly build:all's targets, musl ones apart", () => {
    const all = config.builds.flatMap((b) => b.targets).sort();
    expect(all).toEqual(RELEASE_TARGETS.map((t) => t.id).sort());
    for (const b of config.builds) {
      const musl = b.targets.map((id) => id.endsWith("-musl"));
      expect(new Set(musl).size).toBe(1);
    }
  });

  test("compiles like scripts/build.ts: bytecode as ESM, stamped commit and target, every entrypoint, main first", () => {
    const buildTs = readFileSync(join(ROOT, "scripts", "build.ts"), "utf8");
    const entrypoints = [...buildTs.matchAll(/"(src\/[^"]+\.tsx?)"/g)].map((m) => m[1]);
    expect(entrypoints[0]).toBe("src/main.ts");
    for (const b of config.builds) {
      expect(b.flags).toEqual(expect.arrayContaining(["--compile", "--minify", "--bytecode", "--format=esm"]));
      expect(b.flags.filter((f) => f.startsWith("src/"))).toEqual(entrypoints as string[]);
      expect(b.flags).toContain('--define=INDUS_COMMIT="{{ .ShortCommit }}"');
      expect(b.flags.some((f) => f.startsWith("--define=INDUS_TARGET="))).toBe(true);
    }
  });

  test("names every archive as build:all does, tar.gz except zip on Windows", () => {
    const version = "1.2.3";
    for (const t of RELEASE_TARGETS) {
      const build = config.builds.find((b) => b.targets.includes(t.id))!;
      const archives = config.archives.filter((a) => a.ids.includes(build.id));
      expect(archives).toHaveLength(1);
      const a = archives[0]!;
      const format = a.format_overrides?.find((o) => o.goos === t.os)?.formats[0] ?? a.formats[0];
      const name = `${renderTemplate(a.name_template, goreleaserFields(t, version))}.${format}`;
      expect(name).toBe(archiveName(version, t));
    }
  });

  test("writes checksums.txt with SHA-256, a changelog and a GitHub release that says how to install", () => {
    expect(config.checksum).toEqual({ name_template: "checksums.txt", algorithm: "sha256" });
    expect(config.changelog.use).toBe("github");
    expect(String(config.release.footer)).toContain("scripts/install.sh");
    expect(String(config.release.footer)).toContain("scripts/install.ps1");
  });
});
