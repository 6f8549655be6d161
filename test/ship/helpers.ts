// Helpers for the release tests: a static file server on 127.0.0.1, install.sh runs in a clean HOME, PATH shims, fake releases.
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "../helpers.ts";

export const INSTALL_SH = join(ROOT, "scripts", "install.sh");

/** Serves the files of `dir` (GET only, 404 for anything else) on 127.0.0.1 with an OS-chosen port. */
export function serveDir(dir: string) {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const name = decodeURIComponent(new URL(req.url).pathname.replace(/^\/+/, ""));
      if (name.includes("..") || name.includes("/")) return new Response("not found", { status: 404 });
      const file = Bun.file(join(dir, name));
      return (await file.exists()) ? new Response(file) : new Response("not found", { status: 404 });
    },
  });
  return { base: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}

export interface InstallRun {
  code: number;
  stdout: string;
  stderr: string;
  home: string;
  installDir: string;
  /** what the install folder holds afterwards */
  installed: string[];
}

/**
 * Runs scripts/install.sh with dash in a fresh HOME (so the default ~/.local/bin is the temp one), with `env` on top.
 * `shims` is a folder put first on PATH (fake uname, ldd, ...); `path` replaces PATH entirely.
 */
export async function runInstall(env: Record<string, string>, opts: { shims?: string; path?: string; installDir?: string } = {}): Promise<InstallRun> {
  const home = tempDir("indus-home-");
  const installDir = opts.installDir ?? join(home, "bin");
  const basePath = opts.path ?? process.env.PATH ?? "/usr/bin:/bin";
  const proc = Bun.spawn(["/bin/dash", INSTALL_SH], {
    cwd: home,
    env: {
      HOME: home,
      PATH: opts.shims ? `${opts.shims}:${basePath}` : basePath,
      INDUS_INSTALL_DIR: installDir,
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill("SIGKILL"), 120_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  let installed: string[] = [];
  try {
    installed = readdirSync(installDir);
  } catch {
    installed = [];
  }
  return { code, stdout, stderr, home, installDir, installed };
}

/** A folder of executable shell scripts, one per entry, to put first on PATH. */
export function shimDir(scripts: Record<string, string>): string {
  const dir = tempDir("indus-shims-");
  for (const [name, body] of Object.entries(scripts)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

/** A `uname` that answers -s and -m like another machine. */
export function fakeUname(system: string, machine: string): string {
  return `case "$1" in -s) echo ${system} ;; -m) echo ${machine} ;; *) echo ${system} ;; esac`;
}

/**
 * A fake release (for platforms that cannot run here): each archive holds an `indus` shell script that prints the
 * archive's name as its version line, so a test sees which archive was installed.
 */
export async function fakeRelease(names: string[], opts: { failing?: boolean } = {}): Promise<string> {
  const dir = tempDir("indus-fake-release-");
  const lines: string[] = [];
  for (const name of names) {
    const stage = join(dir, ".stage", name);
    mkdirSync(stage, { recursive: true });
    const body = opts.failing ? `echo "cannot execute binary file: Exec format error" >&2; exit 126` : `echo "indus fake (${name})"`;
    writeFileSync(join(stage, "indus"), `#!/bin/sh\n${body}\n`);
    chmodSync(join(stage, "indus"), 0o755);
    const tar = Bun.spawnSync(["tar", "-czf", join(dir, name), "indus"], { cwd: stage });
    if (tar.exitCode !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    const hash = new Bun.CryptoHasher("sha256").update(await Bun.file(join(dir, name)).bytes()).digest("hex");
    lines.push(`${hash}  ${name}\n`);
  }
  writeFileSync(join(dir, "checksums.txt"), lines.join(""));
  return dir;
}
