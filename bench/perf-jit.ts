// Where a whole `indus run` spends its CPU, by function: `perf record` of a JIT build whose functions keep their names,
// with JSC's jitdump (BUN_JSC_useJITDump=1) turned into the perf map that `perf report` reads, so the JavaScript the
// JIT compiled is named beside the kernel, Bun's runtime and libc. The whole process, not one thread in isolation
// (bench/profile-hot-path.ts), and without a sampling profiler inside the VM.
//   npx bun bench/perf-jit.ts [--target=static|sleep50] [--seconds=10] [--vus=64]
// Target on CPU 0, indus on CPU 1. Needs perf (linux-perf) and nginx. Writes bench/results/profile/perf-jit-<target>.md.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startNginx, STATIC_FILE } from "./support/nginx.ts";
import { startSleepTarget } from "./support/sleep-target.ts";
import { argValue, which } from "./support/tools.ts";

const ROOT = resolve(import.meta.dir, "..");
const JIT_CODE_LOAD = 0;

/** The code JSC compiled, from a jitdump file (perf's format: tools/perf/util/jitdump.h), as perf map lines. */
export function jitdumpToPerfMap(dump: Uint8Array): { pid: number; lines: string[] } {
  const view = new DataView(dump.buffer, dump.byteOffset, dump.byteLength);
  if (view.getUint32(0, true) !== 0x4a695444) throw new Error("not a jitdump file (its magic is not JiTD)");
  const headerSize = view.getUint32(8, true);
  const pid = view.getUint32(20, true);
  const lines: string[] = [];
  const decoder = new TextDecoder();
  for (let at = headerSize; at + 16 <= dump.length; ) {
    const id = view.getUint32(at, true);
    const size = view.getUint32(at + 4, true);
    if (size === 0) break;
    if (id === JIT_CODE_LOAD) {
      // record header (16), pid, tid, vma, code_addr, code_size, code_index (40), then the name, NUL-terminated
      const address = view.getBigUint64(at + 32, true);
      const codeSize = view.getBigUint64(at + 40, true);
      const nameStart = at + 56;
      const nameEnd = dump.indexOf(0, nameStart);
      lines.push(`${address.toString(16)} ${codeSize.toString(16)} ${decoder.decode(dump.subarray(nameStart, nameEnd))}`);
    }
    at += size;
  }
  return { pid, lines };
}

/** `perf report --stdio` rows as [share %, the rest of the row], largest first. */
function report(data: string, sort: string, rows: number): string[] {
  const out = Bun.spawnSync(["perf", "report", "-i", data, "--stdio", "--sort", sort], { stdout: "pipe", stderr: "ignore" });
  return out.stdout
    .toString()
    .split("\n")
    .filter((l) => /^\s+[\d.]+%/.test(l))
    .slice(0, rows)
    .map((l) => l.trim().replace(/\s{2,}/g, "  "));
}

async function main(): Promise<number> {
  const target = argValue("target") ?? "static";
  const seconds = Number(argValue("seconds") ?? 10);
  const vus = Number(argValue("vus") ?? 64);
  for (const tool of ["perf", "nginx", "taskset"]) {
    if (!which(tool)) {
      console.error(`perf-jit: ${tool} is missing (apt-get install linux-perf nginx util-linux)`);
      return 1;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "indus-perf-jit-"));
  const exe = join(dir, "indus-names");
  // scripts/build.ts's JIT build, its identifiers keeping their names
  const build = Bun.spawnSync([process.execPath, "scripts/build.ts", "", exe], {
    cwd: ROOT,
    env: { ...process.env, INDUS_BUILD: "jit", INDUS_KEEP_NAMES: "1" },
    stdout: "ignore",
    stderr: "pipe",
  });
  if (build.exitCode !== 0) {
    process.stderr.write(build.stderr);
    return 1;
  }
  const sleep = target === "sleep50" ? await startSleepTarget(50, 0) : null;
  const nginx = sleep ? null : await startNginx(which("nginx")!, 0);
  const perfMaps: string[] = [];
  try {
    const url = sleep ? sleep.url : nginx!.url(STATIC_FILE);
    const plan = join(dir, "plan.yaml");
    writeFileSync(
      plan,
      `name: perf-jit\nscenarios:\n  s:\n    duration: ${seconds}s\n    profile: { type: constant, vus: ${vus} }\n    steps:\n      - { name: get, url: "${url}" }\n`,
    );
    const data = join(dir, "perf.data");
    const run = Bun.spawnSync(
      ["perf", "record", "-k", "mono", "-F", "2999", "-o", data, "--", "taskset", "-c", "1", exe, "run", plan, "--workers", "1", "--data-dir", join(dir, "store")],
      { cwd: dir, env: { ...process.env, BUN_JSC_useJITDump: "1", TMPDIR: dir }, stdout: "pipe", stderr: "pipe", timeout: (seconds + 60) * 1000 },
    );
    const summary = run.stdout.toString().split("\n").find((l) => /^\s+get\s/.test(l))?.trim() ?? "(no summary line)";
    if (run.exitCode !== 0) {
      process.stderr.write(run.stderr);
      return 1;
    }
    // JSC writes a dump per thread that compiles, jit-<tid>-<pid>-<random>, in $TMPDIR; perf reads /tmp/perf-<pid>.map
    const maps = new Map<number, string[]>();
    for (const name of readdirSync(dir).filter((f) => f.startsWith("jit-"))) {
      const { pid, lines } = jitdumpToPerfMap(readFileSync(join(dir, name)));
      maps.set(pid, [...(maps.get(pid) ?? []), ...lines]);
    }
    if (maps.size === 0) throw new Error("perf-jit: JSC wrote no jitdump (is BUN_JSC_useJITDump known to this Bun?)");
    for (const [pid, lines] of maps) {
      const file = `/tmp/perf-${pid}.map`;
      perfMaps.push(file);
      writeFileSync(file, lines.join("\n") + "\n");
    }
    const byPart = report(data, "dso", 8);
    const symbols = report(data, "dso,sym", 2000);
    const bySymbol = symbols.slice(0, 40);
    const javascript = symbols.filter((l) => l.includes("[JIT]")).slice(0, 30);
    const text = [
      `# perf-jit: ${target}, ${vus} VUs, ${seconds} s`,
      "",
      `${new Date().toISOString()} · \`npx bun bench/perf-jit.ts --target=${target} --seconds=${seconds} --vus=${vus}\``,
      "",
      `indus: \`${summary}\` (step, requests, req/s, latencies)`,
      "",
      "Share of the run's CPU samples by part (`[JIT] tid` is the JavaScript JSC compiled; `indus-names` is Bun's runtime):",
      "",
      "```",
      ...byPart,
      "```",
      "",
      "By function (JIT-compiled ones named `JSC-<tier>: <function>`):",
      "",
      "```",
      ...bySymbol,
      "```",
      "",
      "The JIT-compiled JavaScript alone, by function:",
      "",
      "```",
      ...javascript,
      "```",
      "",
    ].join("\n");
    const out = join(ROOT, "bench", "results", "profile");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `perf-jit-${target}.md`), text);
    console.log(text);
    return 0;
  } finally {
    for (const file of perfMaps) rmSync(file, { force: true });
    rmSync(dir, { recursive: true, force: true });
    await sleep?.stop();
    await nginx?.stop();
  }
}

if (import.meta.main) process.exit(await main());
