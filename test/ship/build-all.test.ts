// build:all's parts: the target list, archive names, target selection and the fallback zip writer.
import { describe, expect, test } from "bun:test";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checksumsText } from "../../scripts/archive.ts";
import { archiveName, binaryName, RELEASE_TARGETS, selectTargets } from "../../scripts/targets.ts";
import { zipBytes } from "../../scripts/zip.ts";
import { tempDir } from "../helpers.ts";

describe("release targets", () => {
  test("eight targets, each a Bun target and one archive name", () => {
    expect(RELEASE_TARGETS.map((t) => `${t.bun} → ${archiveName("0.1.0", t)} (${binaryName(t)})`)).toEqual([
      "bun-linux-x64 → indus_0.1.0_linux_x64.tar.gz (indus)",
      "bun-linux-arm64 → indus_0.1.0_linux_arm64.tar.gz (indus)",
      "bun-linux-x64-musl → indus_0.1.0_linux_x64_musl.tar.gz (indus)",
      "bun-linux-arm64-musl → indus_0.1.0_linux_arm64_musl.tar.gz (indus)",
      "bun-darwin-x64 → indus_0.1.0_darwin_x64.tar.gz (indus)",
      "bun-darwin-arm64 → indus_0.1.0_darwin_arm64.tar.gz (indus)",
      "bun-windows-x64 → indus_0.1.0_windows_x64.zip (indus.exe)",
      "bun-windows-arm64 → indus_0.1.0_windows_arm64.zip (indus.exe)",
    ]);
  });

  test("INDUS_TARGETS picks by id, in the list's order; nothing means all; an unknown id is an error", () => {
    expect(selectTargets(undefined)).toHaveLength(8);
    expect(selectTargets(" ")).toHaveLength(8);
    expect(selectTargets("windows-arm64, linux-x64").map((t) => t.id)).toEqual(["linux-x64", "windows-arm64"]);
    expect(() => selectTargets("linux-x64,freebsd-x64")).toThrow("unknown target(s) freebsd-x64; known: linux-x64, linux-arm64");
  });

  test("checksums.txt lines are sha256sum's", () => {
    expect(checksumsText([{ name: "a.zip", sha256: "ab".repeat(32) }, { name: "b.tar.gz", sha256: "cd".repeat(32) }])).toBe(
      `${"ab".repeat(32)}  a.zip\n${"cd".repeat(32)}  b.tar.gz\n`,
    );
  });
});

describe("zip writer (used where `zip` is not installed)", () => {
  test.skipIf(!Bun.which("unzip"))("unzip reads it back: contents, names and the executable bit (skipped without unzip)", () => {
    const dir = tempDir("indus-zip-");
    const exe = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251); // compressible, not trivially
    const noise = crypto.getRandomValues(new Uint8Array(1000)); // deflate does not pay: stored
    writeFileSync(join(dir, "t.zip"), zipBytes([
      { name: "indus.exe", data: exe, mode: 0o755 },
      { name: "README.md", data: noise },
    ]));
    const test = Bun.spawnSync(["unzip", "-t", "t.zip"], { cwd: dir });
    expect(test.stdout.toString()).toContain("No errors detected");
    const out = join(dir, "out");
    expect(Bun.spawnSync(["unzip", "-q", "t.zip", "-d", out], { cwd: dir }).exitCode).toBe(0);
    expect(new Uint8Array(readFileSync(join(out, "indus.exe")))).toEqual(exe);
    expect(new Uint8Array(readFileSync(join(out, "README.md")))).toEqual(noise);
    expect(statSync(join(out, "indus.exe")).mode & 0o777).toBe(0o755);
  });
});
