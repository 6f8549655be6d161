// install.ps1 cannot run here (no PowerShell on Debian): these check its text against the release's names and rules.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { archiveName, RELEASE_TARGETS } from "../../scripts/targets.ts";
import { ROOT } from "../helpers.ts";

const ps1 = readFileSync(join(ROOT, "scripts", "install.ps1"), "utf8");
const sh = readFileSync(join(ROOT, "scripts", "install.sh"), "utf8");

describe("install.ps1", () => {
  test("is plain text with a role comment, balanced brackets and no shell-isms", () => {
    expect(ps1).not.toContain("\0");
    expect(ps1.startsWith("# Installs indus on Windows")).toBe(true);
    const code = ps1.split("\n").filter((l) => !l.trimStart().startsWith("#")).join("\n");
    for (const [open, close] of [["{", "}"], ["(", ")"], ["[", "]"]] as const) {
      expect(code.split(open).length).toBe(code.split(close).length);
    }
    expect(code).not.toMatch(/\$\{[A-Z_]+:-/); // sh default syntax
    expect(code).not.toMatch(/^\s*(fi|done|esac)\s*$/m);
  });

  test("reads the same environment as install.sh", () => {
    for (const v of ["INDUS_VERSION", "INDUS_INSTALL_DIR", "INDUS_DOWNLOAD_BASE", "INDUS_REPO"]) {
      expect(ps1).toContain(`$env:${v}`);
      expect(sh).toContain(v);
    }
  });

  test("looks for the Windows archives build:all makes, holding indus.exe", () => {
    expect(ps1).toContain('$suffix = "_windows_$arch.zip"');
    expect(ps1).toContain("'AMD64' { 'x64' }");
    expect(ps1).toContain("'ARM64' { 'arm64' }");
    for (const t of RELEASE_TARGETS.filter((t) => t.os === "windows")) {
      expect(archiveName("0.1.0", t)).toBe(`indus_0.1.0_windows_${t.arch}.zip`);
    }
    expect(ps1).toContain("'indus.exe'");
    expect(ps1).toContain("checksums.txt");
  });

  test("verifies SHA-256 with Get-FileHash before installing", () => {
    expect(ps1).toMatch(/Get-FileHash -Path \$zip -Algorithm SHA256/);
    expect(ps1.indexOf("Get-FileHash")).toBeLessThan(ps1.indexOf("Expand-Archive"));
    expect(ps1.indexOf("Expand-Archive")).toBeLessThan(ps1.indexOf("Copy-Item"));
    expect(ps1).toContain("checksum mismatch");
    expect(ps1).toContain("nothing was installed");
  });

  test("downloads from the same GitHub release URLs as install.sh", () => {
    for (const url of ["https://github.com/$repo/releases/download/v$version", "https://github.com/$repo/releases/latest/download"]) {
      expect(ps1).toContain(url);
    }
    expect(sh).toContain("https://github.com/$INDUS_REPO/releases/download/v$version");
    expect(sh).toContain("https://github.com/$INDUS_REPO/releases/latest/download");
  });
});

describe("install.ps1 leaves the caller's session as it was (irm | iex runs it in the caller's scope)", () => {
  const code = ps1.split("\n").filter((l) => !l.trimStart().startsWith("#") && l.trim() !== "");

  test("all of its code is one script block run with & (a child scope)", () => {
    expect(code[0]).toBe("& {");
    expect(code.at(-1)).toBe("}");
    // nothing between is at column 0: every statement is inside the block
    expect(code.slice(1, -1).filter((l) => !l.startsWith("  "))).toEqual([]);
  });

  test("strict mode and the preference variables are set inside that block, never at script scope", () => {
    for (const setting of ["$ErrorActionPreference = 'Stop'", "Set-StrictMode -Version 3.0", "$ProgressPreference = 'SilentlyContinue'"]) {
      const line = code.find((l) => l.includes(setting));
      expect(line).toStartWith("  ");
    }
    expect(ps1).not.toMatch(/\$(global|script):/i);
  });
});
