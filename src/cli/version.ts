// Version, commit and target: the version from package.json, commit and target stamped in by the build.
import pkg from "../../package.json" with { type: "json" };

declare const INDUS_COMMIT: string | undefined;
declare const INDUS_TARGET: string | undefined;

export function versionInfo(): { version: string; commit: string; target: string } {
  return {
    version: pkg.version,
    commit: typeof INDUS_COMMIT === "string" ? INDUS_COMMIT : "dev",
    target: typeof INDUS_TARGET === "string" ? INDUS_TARGET : `${process.platform}-${process.arch}`,
  };
}

export function versionLine(): string {
  const v = versionInfo();
  return `indus ${v.version} (commit ${v.commit}, ${v.target})`;
}
