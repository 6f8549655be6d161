// Checks for Kubernetes manifests: Kubernetes' own API schemas (the pinned npm packages kubernetes-models 4.5.1, whose
// models have the 1.31 API's fields, and @kubernetes-models/prometheus-operator 4.4.4; both compile their validators
// from the OpenAPI schemas; 5.x would need Node >= 22, and npm warns on the Node 20 that CI machines here have), unknown
// fields (the same packages' TypeScript types, with tsc's excess-property check: like kubeconform -strict), and the
// `restricted` Pod Security Standard, written out from https://kubernetes.io/docs/concepts/security/pod-security-standards/.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers.ts";

// A loose shape: manifests are checked field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K = any;

/** apiVersion + kind → the model module and class name, for the kinds indus ships. */
function modelOf(doc: K): { module: string; kind: string } {
  const [group, version] = String(doc.apiVersion).includes("/") ? String(doc.apiVersion).split("/") : ["", String(doc.apiVersion)];
  if (group === "monitoring.coreos.com") return { module: `@kubernetes-models/prometheus-operator/${group}/${version}/${doc.kind}`, kind: doc.kind };
  return { module: `kubernetes-models/${group ? `${group}/` : ""}${version}/${doc.kind}`, kind: doc.kind };
}

/** Kubernetes' schema for the document's kind: every problem, "Deployment/indus-agent: data/spec/... must be boolean". */
export async function schemaProblems(doc: K): Promise<string[]> {
  const where = `${doc?.kind}/${doc?.metadata?.name}`;
  if (!doc?.apiVersion || !doc?.kind) return [`${where}: no apiVersion or kind`];
  const { module, kind } = modelOf(doc);
  let Model: new (d: unknown) => { validate(): void };
  try {
    Model = (await import(module))[kind];
  } catch {
    return [`${where}: unknown apiVersion/kind ${doc.apiVersion} ${doc.kind}`];
  }
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    return [`${where}: ${(e as Error).message}`];
  }
}

/**
 * Unknown or misspelt fields, which the API schemas allow (the API server drops them): each document becomes a typed
 * object literal in a scratch .ts file and tsc reports excess properties against the models' types.
 */
export function unknownFieldProblems(docs: K[], label: string): string[] {
  const dir = join(ROOT, "test-artifacts", `k8s-strict-${process.pid}-${label.replace(/\W+/g, "-")}`);
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  docs.forEach((doc, i) => {
    const { module, kind } = modelOf(doc);
    lines.push(`import type { I${kind} as T${i} } from "${module}";`, `export const d${i}: T${i} = ${JSON.stringify(doc)};`);
  });
  const file = join(dir, "manifests.ts");
  writeFileSync(file, lines.join("\n") + "\n");
  const tsc = Bun.spawnSync(
    [join(ROOT, "node_modules", ".bin", "tsc"), "--ignoreConfig", "--noEmit", "--strict", "--skipLibCheck", "--target", "esnext", "--module", "preserve", "--moduleResolution", "bundler", "--types", "", file],
    { cwd: ROOT, stdout: "pipe", stderr: "pipe" },
  );
  rmSync(dir, { recursive: true, force: true });
  const out = (tsc.stdout.toString() + tsc.stderr.toString()).trim();
  return tsc.exitCode === 0 ? [] : out.split("\n").filter((l) => l.includes("error TS")).map((l) => `${label}: ${l.replace(/^.*manifests\.ts/, "")}`);
}

/** The pod spec of a workload, or undefined for kinds that run no pods. */
export function podSpec(doc: K): K | undefined {
  if (doc.kind === "Pod") return doc.spec;
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(doc.kind)) return doc.spec?.template?.spec;
  if (doc.kind === "CronJob") return doc.spec?.jobTemplate?.spec?.template?.spec;
  return undefined;
}

const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const SAFE_SYSCTLS = ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];

/** Every way the workload's pods break the `restricted` profile (baseline rules included), as "kind/name: rule". */
export function restrictedProblems(doc: K): string[] {
  const spec = podSpec(doc);
  if (!spec) return [];
  const where = `${doc.kind}/${doc.metadata?.name}`;
  const problems: string[] = [];
  const pod = spec.securityContext ?? {};
  const containers: K[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  const fail = (rule: string) => problems.push(`${where}: ${rule}`);

  // baseline
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) fail("host namespaces (hostNetwork/hostPID/hostIPC) must not be used");
  if (pod.windowsOptions?.hostProcess) fail("windowsOptions.hostProcess must not be true");
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!type || !RESTRICTED_VOLUMES.includes(type)) fail(`volume ${v.name}: type ${type} is not allowed (only ${RESTRICTED_VOLUMES.join(", ")})`);
  }
  for (const s of pod.sysctls ?? []) if (!SAFE_SYSCTLS.includes(s.name)) fail(`sysctl ${s.name} is not in the safe set`);
  if (pod.seLinuxOptions?.user || pod.seLinuxOptions?.role) fail("seLinuxOptions.user/role must not be set");
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const name = `container ${c.name}`;
    if (sc.privileged) fail(`${name}: privileged`);
    if (sc.windowsOptions?.hostProcess) fail(`${name}: windowsOptions.hostProcess`);
    for (const p of c.ports ?? []) if (p.hostPort) fail(`${name}: hostPort ${p.hostPort}`);
    if (sc.procMount && sc.procMount !== "Default") fail(`${name}: procMount ${sc.procMount}`);
    if (sc.seLinuxOptions?.user || sc.seLinuxOptions?.role) fail(`${name}: seLinuxOptions.user/role must not be set`);
    if (sc.appArmorProfile && !["RuntimeDefault", "Localhost"].includes(sc.appArmorProfile.type)) fail(`${name}: appArmorProfile ${sc.appArmorProfile.type}`);
    // restricted
    if (sc.allowPrivilegeEscalation !== false) fail(`${name}: securityContext.allowPrivilegeEscalation must be false`);
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes("ALL")) fail(`${name}: securityContext.capabilities.drop must include ALL`);
    const add: string[] = sc.capabilities?.add ?? [];
    for (const cap of add) if (cap !== "NET_BIND_SERVICE") fail(`${name}: capability ${cap} may not be added`);
    if (sc.runAsNonRoot !== true && pod.runAsNonRoot !== true) fail(`${name}: runAsNonRoot must be true (pod or container)`);
    if (sc.runAsNonRoot === false) fail(`${name}: runAsNonRoot must not be false`);
    if (sc.runAsUser === 0) fail(`${name}: runAsUser must not be 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") fail(`${name}: seccompProfile.type must be RuntimeDefault or Localhost (pod or container)`);
  }
  if (pod.runAsUser === 0) fail("pod runAsUser must not be 0");
  if (pod.seccompProfile && !["RuntimeDefault", "Localhost"].includes(pod.seccompProfile.type)) fail(`pod seccompProfile ${pod.seccompProfile.type}`);
  return problems;
}

/** Every container asks for CPU and memory and is capped in both. */
export function resourceProblems(doc: K): string[] {
  const spec = podSpec(doc);
  if (!spec) return [];
  const problems: string[] = [];
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const part of ["requests", "limits"]) {
      for (const r of ["cpu", "memory"]) {
        if (c.resources?.[part]?.[r] === undefined) problems.push(`${doc.kind}/${doc.metadata?.name} container ${c.name}: no resources.${part}.${r}`);
      }
    }
  }
  return problems;
}
