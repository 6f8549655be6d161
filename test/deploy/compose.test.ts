// docker-compose.yml and the Prometheus configs: Docker does not run here, so the files are parsed and cross-checked.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { parseAgentsFlag } from "../../src/discovery/index.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { ROOT } from "../helpers.ts";
import { cliProblems, flag, portOf } from "./cli-flags.ts";

const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

interface Service {
  image: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  profiles?: string[];
  secrets?: string[];
  healthcheck?: { disable?: boolean };
}

/** Compose's ${VAR}, ${VAR:?message} and ${VAR:-default} interpolation, with $$ for a literal $. */
function interpolate(s: string, env: Record<string, string>): string {
  return s.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[?-])([^}]*))?\}/g, (all, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (all === "$$") return "$";
    const v = env[name!];
    if (v !== undefined && v !== "") return v;
    if (op?.endsWith("?")) throw new Error(`${name}: ${arg}`);
    return op?.endsWith("-") ? (arg ?? "") : "";
  });
}

const raw = read("docker-compose.yml");
const compose = parse(interpolate(raw, { INDUS_TOKEN: "s3cret" }), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { environment?: string }>;
};
const services = compose.services;
const INDUS = ["target", "agent-1", "agent-2", "controller", "runner"];

describe("docker-compose.yml", () => {
  test("has the controller, two agents, the mock target, Prometheus and Grafana (and an optional runner)", () => {
    expect(Object.keys(services).sort()).toEqual(["agent-1", "agent-2", "controller", "grafana", "prometheus", "runner", "target"]);
    expect(services.runner?.profiles).toEqual(["run"]);
    expect(services.prometheus?.image).toStartWith("prom/prometheus:");
    expect(services.grafana?.image).toStartWith("grafana/grafana:");
  });

  test("every indus service is the image the Dockerfile builds, and its command is one indus accepts", () => {
    for (const name of INDUS) {
      const s = services[name]!;
      expect(s.image).toBe("indus:local");
      expect(s.build).toEqual({ context: ".", dockerfile: "Dockerfile" });
      expect(cliProblems(s.command ?? [])).toEqual([]);
    }
    expect(existsSync(join(ROOT, "Dockerfile"))).toBe(true);
  });

  test("the token comes from INDUS_TOKEN as a secret file, never on a command line or in the environment (docker inspect shows both)", () => {
    expect(compose.secrets.indus_token).toEqual({ environment: "INDUS_TOKEN" });
    for (const name of ["agent-1", "agent-2", "controller", "runner"]) {
      const s = services[name]!;
      expect(flag(s.command!, "token")).toBeUndefined();
      expect(s.secrets).toEqual(["indus_token"]);
      expect(s.environment?.INDUS_TOKEN_FILE).toBe("/run/secrets/indus_token");
      expect(Object.values(s.environment ?? {})).not.toContain("s3cret");
    }
    expect(raw.split("\n").filter((l) => !l.startsWith("#"))).not.toContainEqual(expect.stringMatching(/--token[= ]/));
    expect(() => interpolate(raw, {})).toThrow(/INDUS_TOKEN: set INDUS_TOKEN/);
  });

  test("agents and the controller use the image's HEALTHCHECK on their metrics port; the others turn it off", () => {
    expect(services["agent-2"]!.environment?.INDUS_HEALTH_ADDR).toBe(`127.0.0.1:${portOf(flag(services["agent-2"]!.command!, "metrics-addr"))}`);
    for (const name of ["agent-1", "controller"]) {
      expect(services[name]!.healthcheck).toBeUndefined();
      expect(["127.0.0.1:9091", "127.0.0.1:9090"]).toContain(`127.0.0.1:${portOf(flag(services[name]!.command!, "metrics-addr"))}`);
    }
    for (const name of ["target", "runner"]) expect(services[name]!.healthcheck).toEqual({ disable: true });
  });

  test("agents listen where the controller looks for them, with the ids Prometheus will show", () => {
    const agents = parseAgentsFlag(flag(services.controller!.command!, "agents")!);
    expect(agents).toEqual([
      { kind: "static", address: "agent-1:50052" },
      { kind: "static", address: "agent-2:50053" },
    ]);
    for (const [name, port] of [["agent-1", 50052], ["agent-2", 50053]] as const) {
      const cmd = services[name]!.command!;
      expect(cmd[0]).toBe("agent");
      expect(flag(cmd, "id")).toBe(name);
      expect(portOf(flag(cmd, "grpc-addr"))).toBe(port);
      expect(services[name]!.ports).toContain(`${port}:${port}`);
    }
    expect(services.controller!.ports).toEqual(["50051:50051"]);
    expect(services.prometheus!.ports).toEqual(["9090:9090"]); // the README: prometheus on localhost:9090
  });

  test("the mock target listens on every interface, and the agents may load it", () => {
    const cmd = services.target!.command!;
    expect(cmd.slice(0, 3)).toEqual(["mock-server", "--host", "0.0.0.0"]);
    const port = cmd[cmd.indexOf("--port") + 1];
    for (const name of ["agent-1", "agent-2"]) expect(flag(services[name]!.command!, "allow-targets")).toBe(`target:${port}`);
  });

  test("the runner runs a plan that exists, parses, and aims at the target", () => {
    const cmd = services.runner!.command!;
    expect(cmd[0]).toBe("run");
    expect(flag(cmd, "controller")).toBe("controller:50051");
    const mount = services.runner!.volumes!.find((v) => v.includes(":/plans"))!;
    const planPath = cmd.at(-1)!.replace("/plans/", mount.split(":")[0]!.replace(/^\.\//, "") + "/");
    const plan = parsePlan(read(planPath), planPath);
    for (const sc of plan.scenarios) for (const st of sc.steps) expect(new URL(st.url).host).toBe("target:8080");
  });

  test("Prometheus scrapes every metrics address the services listen on", () => {
    const mount = services.prometheus!.volumes![0]!;
    const [hostPath, containerPath] = mount.split(":") as [string, string];
    expect(services.prometheus!.command).toContain(`--config.file=${containerPath}`);
    const prom = parse(read(hostPath));
    const targets = Object.fromEntries(prom.scrape_configs.map((j: { job_name: string; static_configs: { targets: string[] }[] }) => [j.job_name, j.static_configs.flatMap((c) => c.targets)]));
    const metricsOf = (name: string) => `${name}:${portOf(flag(services[name]!.command!, "metrics-addr"))}`;
    expect(targets).toEqual({ "indus-controller": [metricsOf("controller")], "indus-agents": [metricsOf("agent-1"), metricsOf("agent-2")] });
  });

  test("the controller keeps its run store on a volume", () => {
    expect(flag(services.controller!.command!, "data-dir")).toBe("/data");
    expect(services.controller!.volumes).toContain("indus-data:/data");
  });
});

describe("prometheus.yml", () => {
  test("is the reference README's: the controller on :9090, agents on :9091 and :9092", () => {
    const prom = parse(read("prometheus.yml"));
    expect(prom.scrape_configs).toEqual([
      { job_name: "indus-controller", static_configs: [{ targets: ["localhost:9090"] }] },
      { job_name: "indus-agents", static_configs: [{ targets: ["localhost:9091", "localhost:9092"] }] },
    ]);
  });
});
