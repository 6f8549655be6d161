// .goreleaser.yaml is what GoReleaser v2.17.1 accepts (its published JSON Schema, its Bun builder's target list, both
// copied under fixtures/goreleaser with their commit), builds what build:all builds, names archives as build:all does
// and compiles as scripts/build.ts does. goreleaser itself cannot be had here: neither Debian nor npm carries the
// binary (@goreleaser/goreleaser downloads it from GitHub in postinstall), so `goreleaser check` runs only where it is on PATH.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { parse } from "yaml";
import { archiveName, RELEASE_TARGETS, type ReleaseTarget } from "../../scripts/targets.ts";
import { ROOT } from "../helpers.ts";

interface Build { id: string; builder: string; tool: string; binary: string; main: string; flags: string[]; targets: string[] }
interface Archive { id: string; ids: string[]; formats: string[]; format_overrides?: { goos: string; formats: string[] }[]; name_template: string; files: string[] }
interface ExtraFile { glob: string }
interface Config {
  before: { hooks: string[] };
  sboms: { artifacts: string }[];
  version: number;
  project_name: string;
  builds: Build[];
  archives: Archive[];
  checksum: { name_template: string; algorithm: string; extra_files: ExtraFile[] };
  changelog: Record<string, unknown>;
  release: Record<string, unknown>;
}

const config = parse(readFileSync(join(ROOT, ".goreleaser.yaml"), "utf8")) as Config;
const FIXTURES = join(import.meta.dir, "fixtures", "goreleaser");
const BUN_TARGETS = readFileSync(join(FIXTURES, "bun-targets.txt"), "utf8").split("\n").filter(Boolean);
/** What goreleaser's bun builder accepts: isValid() in internal/builders/bun/targets.go. */
const bunAccepts = (target: string) => BUN_TARGETS.includes(target) || BUN_TARGETS.includes(`bun-${target}`);
/** The targets goreleaser's Bun builder cannot build (its target list, or ahead of time), built by a before hook with scripts/build-all.ts. */
const BY_HOOK = RELEASE_TARGETS.filter((t) => !bunAccepts(t.id) || t.aot);
const validateConfig = new Ajv2020({ strict: false, allErrors: true }).compile(
  unnestEmbeddedSchemas(JSON.parse(readFileSync(join(FIXTURES, "schema.json"), "utf8"))),
);

/**
 * The schema embeds FileInfo as a resource of its own ({$id, $ref: "#/$defs/FileInfo", $defs: {FileInfo}}): valid
 * 2020-12, but ajv 8 resolves that inner "#" against the outer document and recurses until the stack overflows.
 * Replacing each such embedded resource by the definition it points to is the same schema, in a form ajv compiles.
 */
function unnestEmbeddedSchemas(schema: { $defs: Record<string, Record<string, unknown>> }) {
  for (const [name, def] of Object.entries(schema.$defs)) {
    const inner = (def.$defs as Record<string, Record<string, unknown>> | undefined)?.[name];
    if (def.$id && def.$ref === `#/$defs/${name}` && inner) schema.$defs[name] = inner;
  }
  return schema;
}

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

  test("passes GoReleaser v2.17.1's published JSON Schema", () => {
    const validate = validateConfig;
    const ok = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test("the schema check has teeth: an unknown key and a wrong type are refused", () => {
    const validate = validateConfig;
    expect(validate({ ...config, bulds: [] })).toBe(false);
    expect(validateConfig({ ...config, builds: [{ ...config.builds[0], builder: "prebuilt" }] })).toBe(false); // Pro only
  });

  test("every Bun build target is in goreleaser's Bun target list (v2.17.1 has no windows-arm64)", () => {
    const refused = config.builds.flatMap((b) => b.targets).filter((t) => !bunAccepts(t));
    expect(refused).toEqual([]);
    expect(RELEASE_TARGETS.filter((t) => !bunAccepts(t.id)).map((t) => t.id)).toEqual(["windows-arm64"]);
  });

  test("linux-x64 is compiled ahead of time, so goreleaser's Bun builder does not build it", () => {
    expect(RELEASE_TARGETS.filter((t) => t.aot).map((t) => t.id)).toEqual(["linux-x64"]);
    expect(config.builds.flatMap((b) => b.targets)).not.toContain("linux-x64");
  });

  test("windows-arm64 and linux-x64 are built by build:all in before hooks and released and checksummed as extra files", () => {
    expect(BY_HOOK.map((t) => t.id).sort()).toEqual(["linux-x64", "windows-arm64"]);
    const version = "1.2.3";
    for (const t of BY_HOOK) {
      const hook = config.before.hooks.find((h) => h.includes("scripts/build-all.ts") && h.split(" ").includes(t.id));
      expect(hook).toBeDefined();
      const dist = /INDUS_DIST=(\S+)/.exec(hook!)?.[1];
      expect(dist).toBe(`build/${t.id}`);
      const glob = `./${dist}/indus_*_${t.os}_${t.arch}${t.musl ? "_musl" : ""}.${t.os === "windows" ? "zip" : "tar.gz"}`;
      expect(new Bun.Glob(glob.replace("./", "")).match(`${dist}/${archiveName(version, t)}`)).toBe(true);
      expect(config.release.extra_files as ExtraFile[]).toContainEqual({ glob });
      expect(config.checksum.extra_files).toContainEqual({ glob });
    }
  });

  test("ships an SBOM per archive", () => {
    expect(config.sboms).toEqual([expect.objectContaining({ artifacts: "archive" })]);
  });

  test("builds exactly build:all's targets (Bun builder or hook), musl ones apart", () => {
    const all = [...config.builds.flatMap((b) => b.targets), ...BY_HOOK.map((t) => t.id)].sort();
    expect(all).toEqual(RELEASE_TARGETS.map((t) => t.id).sort());
    for (const b of config.builds) {
      const musl = b.targets.map((id) => id.endsWith("-musl"));
      expect(new Set(musl).size).toBe(1);
    }
  });

  test("compiles like scripts/build.ts: its every flag (bytecode as ESM, chunks), stamped commit and target, every entrypoint, main first", () => {
    const buildTs = readFileSync(join(ROOT, "scripts", "build.ts"), "utf8");
    const entrypoints = [...buildTs.matchAll(/"(src\/[^"]+\.tsx?)"/g)].map((m) => m[1]);
    expect(entrypoints[0]).toBe("src/main.ts");
    // every fixed flag scripts/build.ts passes (a flag missing here ships a binary unlike the one the tests and benches ran)
    const argsList = buildTs.slice(buildTs.indexOf("const args = ["), buildTs.indexOf("];", buildTs.indexOf("const args = [")));
    const fixedFlags = [...argsList.matchAll(/"(--[a-z-]+(?:=[^"$]*)?)"/g)].map((m) => m[1]!).filter((f) => !/^--(define|target|outfile)\b/.test(f));
    expect(fixedFlags).toEqual(expect.arrayContaining(["--compile", "--minify", "--bytecode", "--format=esm", "--splitting"]));
    for (const b of config.builds) {
      expect(b.flags).toEqual(expect.arrayContaining(fixedFlags));
      expect(b.flags.filter((f) => f.startsWith("src/"))).toEqual(entrypoints as string[]);
      expect(b.flags).toContain('--define=INDUS_COMMIT="{{ .ShortCommit }}"');
      expect(b.flags.some((f) => f.startsWith("--define=INDUS_TARGET="))).toBe(true);
    }
  });

  test("names every archive as build:all does, tar.gz except zip on Windows", () => {
    const version = "1.2.3";
    for (const t of RELEASE_TARGETS.filter((r) => !BY_HOOK.includes(r))) {
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
    expect(config.checksum).toMatchObject({ name_template: "checksums.txt", algorithm: "sha256" });
    for (const a of config.archives) expect(a.files).toEqual(["LICENSE", "README.md"]);
    expect(config.changelog.use).toBe("github");
    expect(String(config.release.footer)).toContain("scripts/install.sh");
    expect(String(config.release.footer)).toContain("scripts/install.ps1");
  });
});
