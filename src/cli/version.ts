// Version, commit and target: the version from package.json, commit and target stamped in by the build.
import pkg from "../../package.json" with { type: "json" };

declare const INDUS_COMMIT: string | undefined;
declare const INDUS_TARGET: string | undefined;
/** Set by scripts/aot.ts: the binary was compiled ahead of time */
declare const INDUS_AOT: boolean | undefined;

export function versionInfo(): { version: string; commit: string; target: string; aot: boolean } {
  return {
    version: pkg.version,
    commit: typeof INDUS_COMMIT === "string" ? INDUS_COMMIT : "dev",
    target: typeof INDUS_TARGET === "string" ? INDUS_TARGET : `${process.platform}-${process.arch}`,
    aot: typeof INDUS_AOT === "boolean" && INDUS_AOT,
  };
}

/** What the version line of an AOT build (scripts/aot.ts) says, and how builds, tests and benches tell one. */
export const AOT_MARK = "compiled ahead of time";

/** `indus 0.1.0 (commit abc1234, linux-x64)`, with `, compiled ahead of time` for an AOT build */
export function versionLine(): string {
  const v = versionInfo();
  return `indus ${v.version} (commit ${v.commit}, ${v.target}${v.aot ? `, ${AOT_MARK}` : ""})`;
}
