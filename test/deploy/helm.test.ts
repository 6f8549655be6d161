// deploy/helm/indus rendered as `helm template` renders it, then held to the same checks as the plain manifests.
// No registry here carries helm (Debian has none, npm none), so the templates are rendered by Go's text/template itself
// (@evertdespiegeleer/go-template: Go compiled to wasm), which is the engine helm runs; the chart keeps to text/template's
// built-ins (no Sprig), so this rendering is helm's. Missing values are errors here (helm would print nothing).
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as renderGo } from "@evertdespiegeleer/go-template";
import { parse, parseAllDocuments } from "yaml";
import pkg from "../../package.json" with { type: "json" };
import { parseAgentsFlag } from "../../src/discovery/index.ts";
import { ROOT } from "../helpers.ts";
import { cliProblems, flag } from "./cli-flags.ts";
import { podSpec, resourceProblems, restrictedProblems, schemaProblems, unknownFieldProblems, type K } from "./k8s-check.ts";

const CHART = join(ROOT, "deploy", "helm", "indus");
const chart = parse(readFileSync(join(CHART, "Chart.yaml"), "utf8"));
const defaults = parse(readFileSync(join(CHART, "values.yaml"), "utf8"));
const templates = readdirSync(join(CHART, "templates")).filter((f) => f.endsWith(".yaml")).sort();

function merge(base: K, over: K): K {
  if (typeof base !== "object" || base === null || typeof over !== "object" || over === null || Array.isArray(over)) return over;
  const out: K = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k], v) : v;
  return out;
}

/** `helm template RELEASE deploy/helm/indus --namespace NS --set ...`: every template's documents. */
async function render(values: K = {}, release = { Name: "load", Namespace: "perf" }): Promise<K[]> {
  const context = {
    Values: merge(defaults, values),
    Release: { ...release, Service: "Helm", IsInstall: true, IsUpgrade: false, Revision: 1 },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const docs: K[] = [];
  for (const t of templates) {
    const text = await renderGo(readFileSync(join(CHART, "templates", t), "utf8"), context);
    for (const d of parseAllDocuments(text)) {
      if (d.errors.length) throw new Error(`templates/${t} renders invalid YAML: ${d.errors[0]!.message}\n${text}`);
      const js = d.toJS();
      if (js) docs.push(js);
    }
  }
  return docs;
}
const find = (docs: K[], kind: string, name: string): K => docs.find((d) => d.kind === kind && d.metadata.name === name);

const VARIANTS: [string, K][] = [
  ["defaults", {}],
  ["token from a value, ServiceMonitor on, a PVC for the run store, 20 agents on a target list", {
    token: { value: "s3cret" },
    metrics: { serviceMonitor: { enabled: true }, podAnnotations: false },
    controller: { existingClaim: "indus-runs" },
    agent: { replicas: 20, workers: 4, allowTargets: "shop.internal:443", resources: { requests: { cpu: 4, memory: "2Gi" }, limits: { cpu: 4, memory: "2Gi" } } },
    image: { tag: "9.9.9" },
  }],
];

describe("deploy/helm/indus", () => {
  test("the chart's version and appVersion are package.json's; templates use no function outside Go's text/template", () => {
    expect(chart.apiVersion).toBe("v2");
    expect([chart.version, chart.appVersion]).toEqual([pkg.version, pkg.version]);
    for (const t of readdirSync(join(CHART, "templates"))) {
      const text = readFileSync(join(CHART, "templates", t), "utf8");
      for (const [, fn] of text.matchAll(/\{\{-?\s*(?:\$\w+\s*:?=\s*)?(\w+)\s/g)) {
        expect(["if", "else", "end", "range", "with", "printf", "print", "eq", "ne", "and", "or", "not", "len", "index"]).toContain(fn!);
      }
    }
  });

  test.each(VARIANTS)("%s: every rendered document passes Kubernetes' schemas, with no unknown field", async (label, values) => {
    const docs = await render(values);
    expect((await Promise.all(docs.map(schemaProblems))).flat()).toEqual([]);
    expect(unknownFieldProblems(docs, `helm ${label}`)).toEqual([]);
  });

  test.each(VARIANTS)("%s: every pod passes the restricted profile, with requests and limits", async (_label, values) => {
    const workloads = (await render(values)).filter(podSpec);
    expect(workloads.map((w) => w.metadata.name).sort()).toEqual(["load-agent", "load-controller"]);
    expect(workloads.flatMap(restrictedProblems)).toEqual([]);
    expect(workloads.flatMap(resourceProblems)).toEqual([]);
  });

  test("defaults: agents behind a headless Service with a PDB, found by the controller through its DNS name; the token Secret is yours", async () => {
    const docs = await render();
    const agent = find(docs, "Deployment", "load-agent");
    const controller = find(docs, "Deployment", "load-controller");
    expect(agent.spec.replicas).toBe(3);
    const svc = find(docs, "Service", "load-agents");
    expect(svc.spec.clusterIP).toBe("None");
    expect(find(docs, "PodDisruptionBudget", "load-agent").spec).toEqual({ maxUnavailable: 1, selector: agent.spec.selector });
    const cArgs = podSpec(controller).containers[0].args;
    expect(parseAgentsFlag(flag(cArgs, "agents")!)).toEqual([{ kind: "dns", name: "load-agents.perf.svc.cluster.local", port: 50052 }]);
    for (const w of [agent, controller]) {
      const c = podSpec(w).containers[0];
      expect(cliProblems(c.args)).toEqual([]);
      expect(c.image).toBe(`ghcr.io/indus-dev/indus:${pkg.version}`);
      expect(podSpec(w).volumes.find((v: K) => v.name === "token").secret.secretName).toBe("indus-token");
      expect(w.spec.template.metadata.annotations["prometheus.io/scrape"]).toBe("true");
    }
    expect(docs.some((d) => d.kind === "Secret" || d.kind === "ServiceMonitor")).toBe(false);
  });

  test("values: replicas, workers, resources, image tag, token Secret, PVC, ServiceMonitor", async () => {
    const docs = await render(VARIANTS[1]![1]);
    const agent = find(docs, "Deployment", "load-agent");
    const c = podSpec(agent).containers[0];
    expect(agent.spec.replicas).toBe(20);
    expect(c.args).toContain("--workers=4");
    expect(c.args).toContain("--allow-targets=shop.internal:443");
    expect(c.resources).toEqual({ requests: { cpu: "4", memory: "2Gi" }, limits: { cpu: "4", memory: "2Gi" } });
    expect(c.image).toBe("ghcr.io/indus-dev/indus:9.9.9");
    expect(agent.spec.template.metadata.annotations).toBeUndefined();
    expect(find(docs, "Secret", "load-token").stringData).toEqual({ token: "s3cret" });
    expect(podSpec(agent).volumes.find((v: K) => v.name === "token").secret.secretName).toBe("load-token");
    const controller = find(docs, "Deployment", "load-controller");
    expect(podSpec(controller).volumes.find((v: K) => v.name === "data")).toEqual({ name: "data", persistentVolumeClaim: { claimName: "indus-runs" } });
    const sm = find(docs, "ServiceMonitor", "load");
    expect(sm.metadata.labels.release).toBe("kube-prometheus-stack");
    expect(sm.spec.endpoints).toEqual([{ port: "metrics", path: "/metrics", interval: "5s" }]);
    expect(sm.spec.namespaceSelector).toEqual({ matchNames: ["perf"] });
  });

  test("a value the templates need but values.yaml lacks is an error, not an empty field", async () => {
    const broken = merge(defaults, {});
    delete broken.agent.workers;
    await expect(renderGo(readFileSync(join(CHART, "templates", "agent.yaml"), "utf8"), { Values: broken, Release: { Name: "x", Namespace: "y", Service: "Helm" }, Chart: { AppVersion: "1" } })).rejects.toThrow(/workers/);
  });
});
