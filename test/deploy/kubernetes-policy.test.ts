// Every manifest under deploy/kubernetes against Kubernetes' own schemas (and no unknown fields), the `restricted` Pod
// Security Standard and resource requests/limits; the checks themselves are shown to catch what they are for.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { ROOT } from "../helpers.ts";
import { podSpec, resourceProblems, restrictedProblems, schemaProblems, unknownFieldProblems, type K } from "./k8s-check.ts";

const DIR = join(ROOT, "deploy", "kubernetes");
const files = (readdirSync(DIR, { recursive: true }) as string[]).filter((f) => f.endsWith(".yaml")).map((f) => join(DIR, f)).sort();
const docs: { file: string; doc: K }[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => d.toJS())
    .filter((doc) => doc && doc.kind !== "Kustomization")
    .map((doc) => ({ file: relative(ROOT, file), doc })),
);
const workloads = docs.filter((d) => podSpec(d.doc));
const clone = (x: K): K => JSON.parse(JSON.stringify(x));

describe("deploy/kubernetes against Kubernetes' schemas and the restricted Pod Security Standard", () => {
  test("covers every manifest, the ServiceMonitor included", () => {
    const kinds = docs.map((d) => `${d.doc.kind}/${d.doc.metadata.name}`).sort();
    expect(kinds).toEqual(expect.arrayContaining(["Deployment/indus-agent", "Deployment/indus-controller", "Job/indus-run", "PodDisruptionBudget/indus-agent", "ServiceMonitor/indus", "Secret/indus-token"]));
  });

  test("every document passes its kind's schema", async () => {
    const problems = (await Promise.all(docs.map((d) => schemaProblems(d.doc)))).flat();
    expect(problems).toEqual([]);
  });

  test("no document has an unknown field", () => {
    expect(unknownFieldProblems(docs.map((d) => d.doc), "deploy/kubernetes")).toEqual([]);
  });

  test("every pod passes the restricted profile and asks for and is capped in CPU and memory", () => {
    expect(workloads.length).toBeGreaterThanOrEqual(4);
    expect(workloads.flatMap((d) => restrictedProblems(d.doc))).toEqual([]);
    expect(workloads.flatMap((d) => resourceProblems(d.doc))).toEqual([]);
  });

  test("every root filesystem is read-only, with an emptyDir for what is written (/tmp, the controller's /data)", () => {
    for (const { doc } of workloads) {
      const spec = podSpec(doc);
      for (const c of spec.containers) {
        expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
        for (const m of c.volumeMounts.filter((v: K) => v.mountPath === "/tmp" || v.mountPath === "/data")) {
          const volume = spec.volumes.find((v: K) => v.name === m.name);
          expect(volume.emptyDir ?? volume.persistentVolumeClaim).toBeDefined();
        }
        expect(c.volumeMounts.map((m: K) => m.mountPath)).toContain("/tmp");
      }
    }
  });

  test("the namespace enforces the restricted profile", () => {
    const ns = docs.find((d) => d.doc.kind === "Namespace")!.doc;
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  test("the token reaches every pod as a file from the Secret, not as an environment value", () => {
    for (const { doc } of workloads.filter((d) => d.doc.metadata.name !== "indus-target")) {
      const spec = podSpec(doc);
      const c = spec.containers[0];
      expect(c.env).toContainEqual({ name: "INDUS_TOKEN_FILE", value: "/var/run/secrets/indus/token" });
      expect(c.env.some((e: K) => e.name === "INDUS_TOKEN")).toBe(false);
      const mount = c.volumeMounts.find((m: K) => m.mountPath === "/var/run/secrets/indus");
      expect(spec.volumes.find((v: K) => v.name === mount.name).secret).toEqual({ secretName: "indus-token" });
    }
  });

  test("agents: a PodDisruptionBudget over exactly their pods, workers matching their CPUs", () => {
    const agent = docs.find((d) => d.doc.kind === "Deployment" && d.doc.metadata.name === "indus-agent")!.doc;
    const pdb = docs.find((d) => d.doc.kind === "PodDisruptionBudget")!.doc;
    expect(pdb.spec.selector.matchLabels).toEqual(agent.spec.selector.matchLabels);
    expect(pdb.spec.maxUnavailable).toBe(1);
    const c = podSpec(agent).containers[0];
    expect(c.args).toContain(`--workers=${c.resources.limits.cpu}`);
  });

  test("metrics: Prometheus annotations on the controller and agent pods, and a ServiceMonitor whose job names the dashboard selects", () => {
    const monitored = docs.filter((d) => ["indus-agent", "indus-controller"].includes(d.doc.metadata.name) && d.doc.kind === "Deployment");
    for (const { doc } of monitored) {
      const a = doc.spec.template.metadata.annotations;
      expect(a["prometheus.io/scrape"]).toBe("true");
      const metricsPort = podSpec(doc).containers[0].ports.find((p: K) => p.name === "metrics").containerPort;
      expect(a["prometheus.io/port"]).toBe(String(metricsPort));
    }
    const sm = docs.find((d) => d.doc.kind === "ServiceMonitor")!.doc;
    expect(sm.spec.endpoints).toEqual([{ port: "metrics", path: "/metrics", interval: "5s" }]);
    // job = the Service's name: both match the dashboard's job=~"indus.*"
    const services = docs.filter((d) => d.doc.kind === "Service" && d.doc.spec.ports.some((p: K) => p.name === "metrics")).map((d) => d.doc.metadata.name);
    expect(services.sort()).toEqual(["indus-agents", "indus-controller"]);
    for (const s of services) expect(s).toMatch(/^indus.*/);
    const dashboard = readFileSync(join(ROOT, "deploy", "grafana", "indus-dashboard.json"), "utf8");
    expect(dashboard).toContain('job=~\\"indus.*\\"');
  });

  test("the checks catch what they are for: a wrong type, a misspelt field, each restricted rule, missing limits", async () => {
    const agent = clone(docs.find((d) => d.doc.kind === "Deployment" && d.doc.metadata.name === "indus-agent")!.doc);
    const typed = clone(agent);
    typed.spec.replicas = "three";
    expect((await schemaProblems(typed)).join()).toContain("replicas must be integer");
    const misspelt = clone(agent);
    misspelt.spec.template.spec.containers[0].securityContxt = {};
    expect(unknownFieldProblems([misspelt], "misspelt").join()).toContain("securityContxt");

    const loose = clone(agent);
    const c = loose.spec.template.spec.containers[0];
    delete c.securityContext.allowPrivilegeEscalation;
    c.securityContext.capabilities = { add: ["NET_ADMIN"] };
    delete loose.spec.template.spec.securityContext.seccompProfile;
    loose.spec.template.spec.securityContext.runAsNonRoot = false;
    loose.spec.template.spec.volumes.push({ name: "host", hostPath: { path: "/" } });
    delete c.resources.limits;
    const problems = restrictedProblems(loose).join("\n");
    for (const rule of ["allowPrivilegeEscalation must be false", "drop must include ALL", "capability NET_ADMIN", "seccompProfile.type", "runAsNonRoot must be true", "type hostPath is not allowed"]) {
      expect(problems).toContain(rule);
    }
    expect(resourceProblems(loose)).toContain("Deployment/indus-agent container agent: no resources.limits.cpu");
  });
});
