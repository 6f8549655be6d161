// deploy/kubernetes, parsed: agents behind a headless Service, a controller that finds them by DNS, a Job that runs a plan.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { parseAgentsFlag } from "../../src/discovery/index.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { ROOT } from "../helpers.ts";
import { cliProblems, flag, portOf } from "./cli-flags.ts";

// A loose shape: these are manifests, checked field by field below.
type K = any;

const DIR = join(ROOT, "deploy/kubernetes");
const kustomization = parse(readFileSync(join(DIR, "kustomization.yaml"), "utf8"));
const docs: K[] = (kustomization.resources as string[]).flatMap((f) =>
  parseAllDocuments(readFileSync(join(DIR, f), "utf8")).map((d) => d.toJS()).filter(Boolean),
);
const find = (kind: string, name: string): K => {
  const d = docs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!d) throw new Error(`no ${kind} ${name} in deploy/kubernetes`);
  return d;
};
const container = (workload: K): K => workload.spec.template.spec.containers[0];
const port = (c: K, name: string) => c.ports.find((p: K) => p.name === name)?.containerPort;
const selects = (svc: K, workload: K) => Object.entries(svc.spec.selector).every(([k, v]) => workload.spec.template.metadata.labels[k] === v);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const secret = parse(readFileSync(join(DIR, "secret.example.yaml"), "utf8"));

const NS = "indus";
const agent = find("Deployment", "indus-agent");
const agents = find("Service", "indus-agents");
const controller = find("Deployment", "indus-controller");
const controllerSvc = find("Service", "indus-controller");
const job = find("Job", "indus-run");

describe("deploy/kubernetes", () => {
  test("everything lives in one namespace, runs the same image, and every command line is one indus accepts", () => {
    expect(find("Namespace", NS)).toBeTruthy();
    expect(kustomization.namespace).toBe(NS);
    for (const d of docs.filter((d) => d.kind !== "Namespace")) expect(d.metadata.namespace).toBe(NS);
    const workloads = docs.filter((d) => d.kind === "Deployment" || d.kind === "Job");
    for (const w of workloads) {
      const c = container(w);
      expect(c.image).toBe(`indus:${pkg.version}`);
      expect(cliProblems(c.args)).toEqual([]);
      expect(w.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    }
    expect(kustomization.images).toEqual([{ name: "indus", newTag: pkg.version }]);
  });

  test("agents: gRPC on 50052 and metrics on 9091 behind a headless Service, ready on /readyz, alive on /healthz", () => {
    const c = container(agent);
    expect(c.args[0]).toBe("agent");
    expect(flag(c.args, "id")).toBe("$(POD_NAME)");
    expect(c.env.find((e: K) => e.name === "POD_NAME").valueFrom.fieldRef.fieldPath).toBe("metadata.name");
    expect([portOf(flag(c.args, "grpc-addr")), port(c, "grpc")]).toEqual([50052, 50052]);
    expect([portOf(flag(c.args, "metrics-addr")), port(c, "metrics")]).toEqual([9091, 9091]);
    expect(agents.spec.clusterIP).toBe("None");
    expect(selects(agents, agent)).toBe(true);
    expect(agents.spec.ports.map((p: K) => [p.name, p.port, p.targetPort])).toEqual([["grpc", 50052, "grpc"], ["metrics", 9091, "metrics"]]);
  });

  test("the controller finds the agents through the headless Service's DNS name and serves 50051 and 9090", () => {
    const c = container(controller);
    expect(c.args[0]).toBe("controller");
    const sources = parseAgentsFlag(flag(c.args, "agents")!);
    expect(sources).toEqual([{ kind: "dns", name: `indus-agents.${NS}.svc.cluster.local`, port: 50052 }]);
    expect(sources[0]).toMatchObject({ name: `${agents.metadata.name}.${agents.metadata.namespace}.svc.cluster.local`, port: agents.spec.ports[0].port });
    expect([portOf(flag(c.args, "grpc-addr")), port(c, "grpc")]).toEqual([50051, 50051]);
    expect([portOf(flag(c.args, "metrics-addr")), port(c, "metrics")]).toEqual([9090, 9090]);
    expect(selects(controllerSvc, controller)).toBe(true);
    expect(controllerSvc.spec.ports.map((p: K) => [p.name, p.port])).toEqual([["grpc", 50051], ["metrics", 9090]]);
    expect(controller.spec.replicas).toBe(1);
    expect(controller.spec.strategy.type).toBe("Recreate");
    expect(c.volumeMounts).toContainEqual({ name: "data", mountPath: flag(c.args, "data-dir") });
  });

  test("probes: /readyz for readiness and /healthz for liveness, on the metrics port", () => {
    for (const w of [agent, controller]) {
      const c = container(w);
      expect(c.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "metrics" });
      expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    }
  });

  test("the token comes from the Secret, mounted as a file (INDUS_TOKEN_FILE), for the controller, the agents and the run", () => {
    for (const w of [agent, controller, job]) {
      const c = container(w);
      const file = c.env.find((e: K) => e.name === "INDUS_TOKEN_FILE").value as string;
      const mount = c.volumeMounts.find((m: K) => file.startsWith(m.mountPath + "/"));
      const volume = w.spec.template.spec.volumes.find((v: K) => v.name === mount.name);
      expect(volume.secret.secretName).toBe(secret.metadata.name);
      expect(file.slice(mount.mountPath.length + 1)).toBe(Object.keys(secret.stringData)[0]!);
      expect(c.args.some((a: string) => a.startsWith("--token"))).toBe(false);
    }
    expect(secret).toMatchObject({ kind: "Secret", metadata: { name: "indus-token", namespace: NS } });
    expect(kustomization.resources).not.toContain("secret.example.yaml");
  });

  test("the Job runs the plan from the ConfigMap on the controller's Service and exits with the verdict", () => {
    const c = container(job);
    expect(c.args).toEqual(["run", `--controller=${controllerSvc.metadata.name}:${controllerSvc.spec.ports[0].port}`, "/plans/plan.yaml"]);
    const spec = job.spec.template.spec;
    expect(spec.restartPolicy).toBe("Never");
    expect(c.volumeMounts).toContainEqual({ name: "plans", mountPath: "/plans", readOnly: true });
    const configMap = find("ConfigMap", spec.volumes.find((v: K) => v.name === "plans").configMap.name);
    // the verdict (exit 1) fails the Job at once; only "nothing ran" (exit 2) is retried
    expect(job.spec.podFailurePolicy.rules).toContainEqual({ action: "FailJob", onExitCodes: { containerName: c.name, operator: "In", values: [1] } });

    const plan = parsePlan(configMap.data["plan.yaml"], "plan.yaml");
    const target = find("Service", "indus-target");
    for (const sc of plan.scenarios) for (const st of sc.steps) expect(new URL(st.url).host).toBe(`indus-target.${NS}.svc.cluster.local:${target.spec.ports[0].port}`);
    expect(container(find("Deployment", "indus-target")).args.slice(0, 3)).toEqual(["mock-server", "--host", "0.0.0.0"]);
  });
});
