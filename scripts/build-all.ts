// `npm run build:all`: cross-compiles indus for every release target into dist/ archives and checksums.txt.
// Pick targets with ids as arguments or INDUS_TARGETS=linux-x64,darwin-arm64; INDUS_DIST sets the folder (default dist).
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join, parse, resolve, sep } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { checksumsText, packArchive, sha256File } from "./archive.ts";
import { archiveName, binaryName, hostTargetId, selectTargets, type ReleaseTarget } from "./targets.ts";

const ROOT = resolve(import.meta.dir, "..");

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

interface Built {
  target: ReleaseTarget;
  archive: string;
  binaryBytes: number;
  archiveBytes: number;
  seconds: number;
}

async function buildOne(t: ReleaseTarget, version: string, dist: string): Promise<Built> {
  const stage = join(dist, ".stage", t.id);
  mkdirSync(stage, { recursive: true });
  const outfile = join(stage, binaryName(t));
  const native = t.id === hostTargetId();
  const started = performance.now();
  // scripts/build.ts owns the bun flags and entrypoints; with an empty target it builds natively and smoke-tests --version.
  // A target released compiled ahead of time (linux-x64) must be: built here, natively, or the build fails (INDUS_BUILD=jit
  // overrides); from another machine it is cross-compiled with the JIT, and says so.
  if (t.aot && !native) process.stdout.write(`  ${t.id}: not this machine, so a JIT build (its release is compiled ahead of time on ${t.id})\n`);
  const build = Bun.spawnSync([process.execPath, "scripts/build.ts", native ? "" : t.bun, outfile], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...(t.aot && native ? { INDUS_BUILD: process.env.INDUS_BUILD ?? "aot" } : {}) },
  });
  const seconds = (performance.now() - started) / 1000;
  if (build.exitCode !== 0 || !existsSync(outfile)) {
    const why = (build.stderr.toString() + build.stdout.toString()).trim().split("\n").slice(-4).join(" | ");
    throw new Error(`bun ${Bun.version} could not build ${t.bun}: ${why || `exit ${build.exitCode}`}`);
  }
  const files = [binaryName(t)];
  // as .goreleaser.yaml's archives: the licence and the README travel with every binary
  for (const doc of ["LICENSE", "README.md"]) {
    if (!existsSync(join(ROOT, doc))) continue;
    await Bun.write(join(stage, doc), Bun.file(join(ROOT, doc)));
    files.push(doc);
  }
  const archive = archiveName(version, t);
  await packArchive(join(dist, archive), stage, files);
  const built = { target: t, archive, binaryBytes: statSync(outfile).size, archiveBytes: statSync(join(dist, archive)).size, seconds };
  rmSync(stage, { recursive: true, force: true });
  return built;
}

async function main(): Promise<number> {
  const version = pkg.version;
  const dist = resolve(ROOT, process.env.INDUS_DIST ?? "dist");
  const filter = process.argv.slice(2).join(",") || process.env.INDUS_TARGETS;
  const targets = selectTargets(filter);
  // The folder is emptied first (like goreleaser --clean): never the project or anything above it.
  if (dist === ROOT || ROOT.startsWith(dist + sep) || dist === parse(dist).root) throw new Error(`refusing to empty ${dist} (INDUS_DIST)`);
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  process.stdout.write(`indus ${version}: building ${targets.length} target(s) with bun ${Bun.version} into ${dist}\n`);

  const built: Built[] = [];
  const failed: { target: ReleaseTarget; reason: string }[] = [];
  for (const t of targets) {
    try {
      const b = await buildOne(t, version, dist);
      built.push(b);
      process.stdout.write(`  ${t.id.padEnd(18)} ${b.seconds.toFixed(1).padStart(5)}s  binary ${mb(b.binaryBytes).padStart(9)}  ${b.archive} ${mb(b.archiveBytes)}\n`);
    } catch (e) {
      failed.push({ target: t, reason: (e as Error).message });
      process.stdout.write(`  ${t.id.padEnd(18)} NOT BUILT: ${(e as Error).message}\n`);
    }
  }
  rmSync(join(dist, ".stage"), { recursive: true, force: true });

  const sums = await Promise.all(built.map(async (b) => ({ name: b.archive, sha256: await sha256File(join(dist, b.archive)) })));
  await Bun.write(join(dist, "checksums.txt"), checksumsText(sums));
  process.stdout.write(`checksums.txt: ${sums.length} archive(s)\n`);
  if (failed.length > 0) {
    process.stderr.write(`${failed.length} target(s) not built: ${failed.map((f) => f.target.id).join(", ")}\n`);
    return 1;
  }
  return 0;
}

try {
  process.exit(await main());
} catch (e) {
  process.stderr.write(`build:all: ${(e as Error).message}\n`);
  process.exit(2);
}
