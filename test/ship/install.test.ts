// install.sh's choices on machines this one can only pretend to be (fake uname/ldd/sysctl on PATH, fake archives), and its hygiene.
import { afterAll, describe, expect, test } from "bun:test";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers.ts";
import { fakeRelease, fakeUname, INSTALL_SH, runInstall, serveDir, shimDir } from "./helpers.ts";

const ALL = [
  "indus_0.1.0_linux_x64.tar.gz",
  "indus_0.1.0_linux_arm64.tar.gz",
  "indus_0.1.0_linux_x64_musl.tar.gz",
  "indus_0.1.0_linux_arm64_musl.tar.gz",
  "indus_0.1.0_darwin_x64.tar.gz",
  "indus_0.1.0_darwin_arm64.tar.gz",
];
const GLIBC_LDD = `echo "ldd (Debian GLIBC 2.36-9+deb12u10) 2.36"`;
const MUSL_LDD = `printf 'musl libc (x86_64)\\nVersion 1.2.5\\n' >&2; exit 1`;

describe("install.sh picks the archive for the OS, CPU and libc", async () => {
  const release = serveDir(await fakeRelease(ALL));
  afterAll(() => release.stop());

  test.each([
    ["Linux", "x86_64", "glibc", "indus_0.1.0_linux_x64.tar.gz"],
    ["Linux", "amd64", "glibc", "indus_0.1.0_linux_x64.tar.gz"],
    ["Linux", "aarch64", "glibc", "indus_0.1.0_linux_arm64.tar.gz"],
    ["Linux", "x86_64", "musl", "indus_0.1.0_linux_x64_musl.tar.gz"],
    ["Linux", "aarch64", "musl", "indus_0.1.0_linux_arm64_musl.tar.gz"],
    ["Darwin", "x86_64", "-", "indus_0.1.0_darwin_x64.tar.gz"],
    ["Darwin", "arm64", "-", "indus_0.1.0_darwin_arm64.tar.gz"],
  ])("%s %s, libc %s → %s", async (system, machine, libc, expected) => {
    const shims = shimDir({ uname: fakeUname(system, machine), ldd: libc === "musl" ? MUSL_LDD : libc === "glibc" ? GLIBC_LDD : "exit 127" });
    const r = await runInstall({ INDUS_DOWNLOAD_BASE: release.base }, { shims });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Installed indus fake (${expected})`);
    expect(r.installed).toEqual(["indus"]);
  });

  test("an x64 shell under Rosetta on Apple silicon gets the arm64 build", async () => {
    const shims = shimDir({ uname: fakeUname("Darwin", "x86_64"), sysctl: `[ "$2" = sysctl.proc_translated ] && echo 1` });
    const r = await runInstall({ INDUS_DOWNLOAD_BASE: release.base }, { shims });
    expect(r.stdout).toContain("Installed indus fake (indus_0.1.0_darwin_arm64.tar.gz)");
  });

  test("works with wget when curl is missing", async () => {
    // A PATH with only what the script needs, wget but no curl.
    const bin = tempDir("indus-path-");
    for (const tool of ["uname", "ldd", "wget", "mktemp", "rm", "mkdir", "cp", "mv", "chmod", "cut", "sha256sum", "awk", "grep", "head", "tar", "gzip", "id", "cat"]) {
      const found = Bun.which(tool);
      if (found) symlinkSync(found, join(bin, tool));
    }
    expect(Bun.which("curl", { PATH: bin })).toBeNull();
    const r = await runInstall({ INDUS_DOWNLOAD_BASE: release.base }, { path: bin });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.installed).toEqual(["indus"]);
  });
});

describe("install.sh refuses clearly and installs nothing", async () => {
  const release = serveDir(await fakeRelease(ALL));
  const windowsOnly = serveDir(await fakeRelease(["indus_0.1.0_windows_x64.zip"]));
  const broken = serveDir(await fakeRelease(["indus_0.1.0_linux_x64.tar.gz"], { failing: true }));
  afterAll(() => [release, windowsOnly, broken].forEach((s) => s.stop()));

  test.each([
    ["FreeBSD", "amd64", /unsupported platform: FreeBSD amd64; indus is built for Linux and macOS/],
    ["Linux", "riscv64", /unsupported platform: Linux riscv64; indus is built for x64 \(x86_64, amd64\) and arm64/],
    ["Linux", "armv7l", /unsupported platform: Linux armv7l/],
    ["MINGW64_NT-10.0-19045", "x86_64", /this is Windows[\s\S]*hint: in PowerShell: irm .*install\.ps1 \| iex/],
  ])("%s %s", async (system, machine, message) => {
    const r = await runInstall({ INDUS_DOWNLOAD_BASE: release.base }, { shims: shimDir({ uname: fakeUname(system, machine) }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
    expect(r.installed).toEqual([]);
  });

  test("a release without this platform's archive", async () => {
    const r = await runInstall({ INDUS_DOWNLOAD_BASE: windowsOnly.base }, { shims: shimDir({ uname: fakeUname("Linux", "x86_64"), ldd: GLIBC_LDD }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unsupported platform: the release has no indus_<version>_linux_x64.tar.gz for linux x64");
    expect(r.installed).toEqual([]);
  });

  test("a download base that is not a release folder", async () => {
    const notRelease = tempDir("indus-not-release-");
    await Bun.write(join(notRelease, "checksums.txt"), "<html>not found</html>\n");
    const server = serveDir(notRelease);
    const r = await runInstall({ INDUS_DOWNLOAD_BASE: server.base }, { shims: shimDir({ ldd: GLIBC_LDD }) });
    server.stop();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("/checksums.txt lists no indus archives");
    expect(r.installed).toEqual([]);
  });

  test("a binary that does not run here (wrong CPU or libc) is not installed", async () => {
    const r = await runInstall({ INDUS_DOWNLOAD_BASE: broken.base }, { shims: shimDir({ uname: fakeUname("Linux", "x86_64"), ldd: GLIBC_LDD }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the downloaded binary does not run on this machine (linux x64); nothing was installed: cannot execute binary file");
    expect(r.installed).toEqual([]);
  });

  test("an install folder that cannot be made", async () => {
    const r = await runInstall({ INDUS_DOWNLOAD_BASE: release.base }, { installDir: "/dev/null/bin", shims: shimDir({ ldd: GLIBC_LDD }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot create /dev/null/bin");
    expect(r.stderr).toContain("INDUS_INSTALL_DIR");
  });
});

describe("install.sh without HOME (a service or CI container, not root)", () => {
  test("refuses at once, with its usual prefix and a hint, before downloading anything", async () => {
    let requests = 0;
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => (requests++, new Response("not found", { status: 404 })) });
    const shims = shimDir({ id: `[ "$1" = -u ] && echo 1000 || echo "uid=1000(user)"`, ldd: GLIBC_LDD });
    const proc = Bun.spawn(["/bin/dash", INSTALL_SH], {
      env: { PATH: `${shims}:${process.env.PATH}`, INDUS_DOWNLOAD_BASE: `http://127.0.0.1:${server.port}` }, // no HOME, no INDUS_INSTALL_DIR
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    server.stop(true);
    expect(stderr).toBe(
      "indus install: error: HOME is not set, so there is no ~/.local/bin to install into; nothing was downloaded\n" +
        "indus install: hint: set INDUS_INSTALL_DIR to a folder on your PATH (or set HOME) and run this again\n",
    );
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(requests).toBe(0);
  });
});

describe("install.sh is plain POSIX sh", () => {
  test("sh -n and dash -n accept it", () => {
    for (const shell of ["sh", "dash"]) {
      const p = Bun.spawnSync([shell, "-n", INSTALL_SH], { stderr: "pipe" });
      expect(p.stderr.toString()).toBe("");
      expect(p.exitCode).toBe(0);
    }
  });

  test.skipIf(!Bun.which("shellcheck"))("shellcheck -s sh finds nothing (skipped where shellcheck is not installed)", () => {
    const p = Bun.spawnSync(["shellcheck", "-s", "sh", INSTALL_SH], { stdout: "pipe" });
    expect(p.stdout.toString()).toBe("");
    expect(p.exitCode).toBe(0);
  });
});
