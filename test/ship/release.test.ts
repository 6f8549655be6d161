// The real thing for this machine: build:all makes the linux-x64 archive, install.sh fetches it from 127.0.0.1 and installs it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { archiveName, RELEASE_TARGETS } from "../../scripts/targets.ts";
import { ROOT, tempDir } from "../helpers.ts";
import { runInstall, serveDir, shimDir } from "./helpers.ts";

const host = RELEASE_TARGETS.find((t) => t.id === "linux-x64")!;
const archive = archiveName(pkg.version, host);
const dist = tempDir("indus-dist-");
// `id -u` says 1000 so the script takes the non-root default, ~/.local/bin in the temp HOME (these tests run as root).
const asUser = shimDir({ id: `if [ "$1" = -u ]; then echo 1000; else exec /usr/bin/id "$@"; fi` });

/** A copy of the release folder (archives linked, not copied) with checksums.txt replaced or the archive left out. */
function variant(opts: { checksums?: (text: string) => string; withoutArchive?: boolean }): string {
  const dir = tempDir("indus-dist-variant-");
  if (!opts.withoutArchive) symlinkSync(join(dist, archive), join(dir, archive));
  const sums = readFileSync(join(dist, "checksums.txt"), "utf8");
  writeFileSync(join(dir, "checksums.txt"), opts.checksums ? opts.checksums(sums) : sums);
  return dir;
}

describe("release for this machine (linux-x64)", () => {
  let build: { code: number; out: string };
  beforeAll(() => {
    const p = Bun.spawnSync([process.execPath, "scripts/build-all.ts"], {
      cwd: ROOT,
      env: { ...process.env, INDUS_TARGETS: "linux-x64", INDUS_DIST: dist },
      stdout: "pipe",
      stderr: "pipe",
    });
    build = { code: p.exitCode, out: p.stdout.toString() + p.stderr.toString() };
  }, 300_000);

  const servers: { stop(): void }[] = [];
  function serve(dir: string): string {
    const s = serveDir(dir);
    servers.push(s);
    return s.base;
  }
  // Each install leaves a 100+ MB binary in its temp HOME: remove them with the release.
  const homes: string[] = [];
  async function install(...args: Parameters<typeof runInstall>) {
    const r = await runInstall(...args);
    homes.push(r.home);
    return r;
  }
  afterAll(() => {
    servers.forEach((s) => s.stop());
    for (const dir of [dist, ...homes]) rmSync(dir, { recursive: true, force: true });
  });

  test("build:all with INDUS_TARGETS=linux-x64 writes that archive and checksums.txt, and nothing else", () => {
    expect(build.out).toContain(archive);
    expect(build.code).toBe(0);
    expect(readdirSync(dist).sort()).toEqual([archive, "checksums.txt"].sort());
    const list = Bun.spawnSync(["tar", "-tzf", join(dist, archive)]).stdout.toString().trim().split("\n").sort();
    expect(list).toEqual(["LICENSE", "README.md", "indus"]);
  });

  test("checksums.txt is in sha256sum's format", () => {
    expect(readFileSync(join(dist, "checksums.txt"), "utf8")).toMatch(new RegExp(`^[0-9a-f]{64}  ${archive.replaceAll(".", "\\.")}\\n$`));
    const check = Bun.spawnSync(["sha256sum", "-c", "checksums.txt"], { cwd: dist });
    expect(check.stdout.toString()).toBe(`${archive}: OK\n`);
    expect(check.exitCode).toBe(0);
  });

  test("install.sh installs it into ~/.local/bin of a clean HOME, and the installed indus runs", async () => {
    const base = serve(dist);
    const r = await install({ INDUS_DOWNLOAD_BASE: base, INDUS_INSTALL_DIR: "" }, { shims: asUser });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const bin = join(r.home, ".local", "bin", "indus");
    expect(readdirSync(join(r.home, ".local", "bin"))).toEqual(["indus"]);
    expect(r.stdout).toContain(`Installed indus ${pkg.version}`);
    expect(r.stdout).toContain(`checksum verified: ${archive}`);
    expect(r.stdout).toContain("is not on your PATH");
    expect(r.stdout).toContain("Next steps:");

    const version = Bun.spawnSync([bin, "--version"]);
    expect(version.exitCode).toBe(0);
    // linux-x64 is released compiled ahead of time (scripts/targets.ts, scripts/aot.ts): build:all makes no JIT build of it here
    expect(version.stdout.toString()).toMatch(new RegExp(`^indus ${pkg.version.replaceAll(".", "\\.")} \\(commit \\S+, linux-x64, compiled ahead of time\\)\\n$`));
    const schema = Bun.spawnSync([bin, "schema"]);
    expect(schema.stdout.toString()).toBe(readFileSync(join(ROOT, "schema", "plan.schema.json"), "utf8"));
  }, 120_000);

  test("INDUS_VERSION pins the version; an unknown one is named", async () => {
    const base = serve(dist);
    const ok = await install({ INDUS_DOWNLOAD_BASE: base, INDUS_VERSION: `v${pkg.version}` });
    expect(ok.code).toBe(0);
    expect(ok.installed).toEqual(["indus"]);

    const missing = await install({ INDUS_DOWNLOAD_BASE: base, INDUS_VERSION: "9.9.9" });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("version 9.9.9 is not in");
    expect(missing.installed).toEqual([]);
  }, 120_000);

  test("a checksum mismatch stops it with a clear message and installs nothing", async () => {
    const base = serve(variant({ checksums: (t) => t.replace(/^[0-9a-f]{64}/, "0".repeat(64)) }));
    const r = await install({ INDUS_DOWNLOAD_BASE: base });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`indus install: error: checksum mismatch for ${archive}: expected ${"0".repeat(64)}, got `);
    expect(r.stderr).toContain("nothing was installed");
    expect(r.stdout).not.toContain("Installed");
    expect(r.installed).toEqual([]);
  }, 120_000);

  test("a failed download (404) of the archive or of checksums.txt stops it and installs nothing", async () => {
    const noArchive = await install({ INDUS_DOWNLOAD_BASE: serve(variant({ withoutArchive: true })) });
    expect(noArchive.code).toBe(1);
    expect(noArchive.stderr).toMatch(new RegExp(`error: download failed: http://127\\.0\\.0\\.1:\\d+/${archive.replaceAll(".", "\\.")}`));
    expect(noArchive.stderr).toContain("404");
    expect(noArchive.installed).toEqual([]);

    const empty = await install({ INDUS_DOWNLOAD_BASE: serve(tempDir("indus-empty-")) });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/error: download failed: http:\/\/127\.0\.0\.1:\d+\/checksums\.txt/);
    expect(empty.installed).toEqual([]);
  }, 120_000);
});
