// The Dockerfile, parsed: a Bun build stage (npm ci, scripts/build.ts cross-compiling for TARGETARCH, the commit as a
// build argument), a slim runtime with ENTRYPOINT indus, OCI labels, the LICENSE and a HEALTHCHECK (test/ship/health.test.ts runs it).
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers.ts";

interface Instruction {
  op: string;
  args: string;
}

function parseDockerfile(text: string): Instruction[][] {
  const joined = text.replace(/\\\n/g, " ");
  const stages: Instruction[][] = [];
  for (const line of joined.split("\n")) {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) continue;
    const [, op = "", args = ""] = /^(\S+)\s*(.*)$/.exec(t) ?? [];
    if (op.toUpperCase() === "FROM") stages.push([]);
    stages.at(-1)?.push({ op: op.toUpperCase(), args: args.replace(/\s+/g, " ") });
  }
  return stages;
}

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const [build = [], runtime = []] = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
const all = (stage: Instruction[], op: string) => stage.filter((i) => i.op === op).map((i) => i.args);

describe("Dockerfile", () => {
  test("builds in oven/bun at the Bun version package.json pins, on the build platform, with npm ci then scripts/build.ts", () => {
    expect(all(build, "FROM")).toEqual([`--platform=$BUILDPLATFORM oven/bun:${pkg.devDependencies.bun} AS build`]);
    const runs = all(build, "RUN").join(" && ");
    expect(runs).toMatch(/npm ci/);
    expect(runs.indexOf("npm ci")).toBeLessThan(runs.indexOf("bun scripts/build.ts"));
    expect(pkg.scripts.build).toEndWith("bun scripts/build.ts");
    // cross-compiles for the image's architecture (no emulation), stamped with the commit passed in
    expect(runs).toContain('target="bun-linux-$arch"');
    expect(all(build, "ARG")).toEqual(expect.arrayContaining(["TARGETARCH", "INDUS_COMMIT=unknown"]));
    expect(runs).toContain('INDUS_COMMIT="$INDUS_COMMIT" bun scripts/build.ts');
    expect(readFileSync(join(ROOT, "scripts", "build.ts"), "utf8")).toContain("process.env.INDUS_COMMIT");
  });

  test("labels the image (OCI source, version, revision, licence) and ships the LICENSE", () => {
    const labels = all(runtime, "LABEL").join(" ");
    for (const key of ["source", "version", "revision", "licenses", "created"]) expect(labels).toContain(`org.opencontainers.image.${key}=`);
    expect(labels).toContain('org.opencontainers.image.revision="${INDUS_COMMIT}"');
    expect(labels).toContain('org.opencontainers.image.licenses="MIT"');
    expect(all(runtime, "COPY")).toContain("LICENSE README.md /usr/share/doc/indus/");
  });

  test("checks its health with the binary itself", () => {
    expect(all(runtime, "HEALTHCHECK")).toEqual(['--interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["indus", "health"]']);
  });

  test("copies what the build needs, and only paths that exist", () => {
    const copied = all(build, "COPY").flatMap((a) => a.split(" ").slice(0, -1));
    for (const p of copied) expect(existsSync(join(ROOT, p))).toBe(true);
    for (const needed of ["package.json", "package-lock.json", "tsconfig.json", "scripts", "src"]) expect(copied).toContain(needed);
    // the lockfile is copied before the sources, so `npm ci` stays cached while code changes
    const order = all(build, "COPY");
    expect(order.findIndex((a) => a.includes("package-lock.json"))).toBeLessThan(order.findIndex((a) => a.startsWith("src")));
  });

  test("runs bin/indus on a slim image, as an unprivileged user, with ENTRYPOINT indus", () => {
    expect(all(runtime, "FROM")[0]).toMatch(/^debian:[a-z]+-slim$/);
    const workdir = all(build, "WORKDIR")[0];
    expect(all(runtime, "COPY")).toContain(`--from=build ${workdir}/${pkg.bin.indus} /usr/local/bin/indus`);
    expect(all(runtime, "ENTRYPOINT")).toEqual(['["indus"]']);
    expect(all(runtime, "USER")).toEqual(["10001:10001"]);
    const exposed = all(runtime, "EXPOSE").join(" ").split(" ");
    for (const port of ["50051", "9090", "50052", "9091"]) expect(exposed).toContain(port);
    expect(all(runtime, "ENV")).toContain("INDUS_DATA_DIR=/data");
  });
});
