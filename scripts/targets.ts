// The release targets, one list for build:all, .goreleaser.yaml's test and the install scripts' tests.

export interface ReleaseTarget {
  /** What INDUS_TARGETS and `bun scripts/build-all.ts` take: linux-x64, linux-arm64-musl, ... */
  id: string;
  /** Bun's --target */
  bun: string;
  os: "linux" | "darwin" | "windows";
  arch: "x64" | "arm64";
  musl: boolean;
  /**
   * compiled ahead of time (scripts/aot.ts): only on a machine of this target, with the AOT compiler, which exists
   * for linux-x64 (glibc) only; the others are JIT builds, cross-compiled from anywhere
   */
  aot: boolean;
}

function target(os: ReleaseTarget["os"], arch: ReleaseTarget["arch"], musl = false, aot = false): ReleaseTarget {
  const id = `${os}-${arch}${musl ? "-musl" : ""}`;
  return { id, bun: `bun-${id}`, os, arch, musl, aot };
}

export const RELEASE_TARGETS: readonly ReleaseTarget[] = [
  target("linux", "x64", false, true),
  target("linux", "arm64"),
  target("linux", "x64", true),
  target("linux", "arm64", true),
  target("darwin", "x64"),
  target("darwin", "arm64"),
  target("windows", "x64"),
  target("windows", "arm64"),
];

/** This machine as a release target id: its own build needs no downloaded runtime, is smoke-tested, and may be AOT. */
export function hostTargetId(): string {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const musl = process.platform === "linux" && !report?.header?.glibcVersionRuntime;
  return `${os}-${process.arch}${musl ? "-musl" : ""}`;
}

/** `indus_0.1.0_linux_x64_musl.tar.gz`, `indus_0.1.0_windows_arm64.zip`: what install.sh and install.ps1 look for. */
export function archiveName(version: string, t: ReleaseTarget): string {
  return `indus_${version}_${t.os}_${t.arch}${t.musl ? "_musl" : ""}.${t.os === "windows" ? "zip" : "tar.gz"}`;
}

export function binaryName(t: ReleaseTarget): string {
  return t.os === "windows" ? "indus.exe" : "indus";
}

/** Picks targets by id from a comma-separated list (INDUS_TARGETS); none given means all. Unknown ids are an error. */
export function selectTargets(filter: string | undefined): ReleaseTarget[] {
  const ids = (filter ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) return [...RELEASE_TARGETS];
  const unknown = ids.filter((id) => !RELEASE_TARGETS.some((t) => t.id === id));
  if (unknown.length > 0) {
    throw new Error(`unknown target(s) ${unknown.join(", ")}; known: ${RELEASE_TARGETS.map((t) => t.id).join(", ")}`);
  }
  return RELEASE_TARGETS.filter((t) => ids.includes(t.id));
}
