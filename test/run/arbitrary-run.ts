// Arbitrary runs from a seed, for the model's property tests: every optional field of the run model, many
// scenarios/steps/checks/agents, lost agents, aborted and failed runs. Judged by the real judge, so they cohere.
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { ERROR_CLASSES, type ErrorClass } from "../../src/metrics/error-class.ts";
import type { GeneratorByAgent } from "../../src/metrics/generator.ts";
import { createHistogram, encodeHistogram } from "../../src/metrics/hdr.ts";
import type { ScenarioDelta, Snapshot, StepDelta } from "../../src/metrics/snapshot.ts";
import { parsePlan } from "../../src/plan/index.ts";
import { tagLayout } from "../../src/plan/tags.ts";
import type { Plan } from "../../src/plan/types.ts";
import { createJudge } from "../../src/run/judge.ts";
import type { AgentRecord, RunResult, RunState, TimelineEntry } from "../../src/run/types.ts";
import { seededRandom } from "../schedule/random.ts";

export interface ArbitraryRun {
  seed: number;
  plan: Plan;
  planYaml: string;
  result: RunResult;
}

const METRICS = ["p50", "p90", "p95", "p99", "min", "max", "mean", "rps", "error_ratio", "requests", "errors", "checks", "p95_intended", "dropped_iterations", "generator_saturation"];

export function arbitraryRun(seed: number): ArbitraryRun {
  const random = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const chance = (p: number) => random() < p;

  // ---- the plan: closed and open scenarios, steps with and without checks, thresholds of every shape ----
  // now and then a fleet: many agents (fewer seconds, to keep the test quick)
  const fleet = chance(0.15);
  const seconds = fleet ? int(1, 3) : int(1, 12);
  const scenarioCount = int(1, 4);
  const lines = [`name: "arbitrary-${seed} \\"q\\" <&>"`, `on_agent_loss: ${pick(["continue", "redistribute", "abort"])}`];
  // tags: on scenarios and steps (a step's override its scenario's), names and values that need escaping, and now and
  // then a bound so low that values fold into "other"
  if (chance(0.3)) lines.push(`max_tag_values: ${int(1, 3)}`);
  lines.push("scenarios:");
  const tagKeys = new Set<string>();
  const names: { scenario: string; steps: { name: string; checks: string[] }[]; open: boolean }[] = [];
  for (let s = 0; s < scenarioCount; s++) {
    const scenario = `sc-${s}-${pick(["browse", "pay", "checkout_2", "Search"])}`;
    const open = chance(0.4);
    const duration = int(1, seconds);
    lines.push(`  "${scenario}":`, `    duration: "${duration}s"`, "    profile:");
    if (open) lines.push("      type: constant_rate", `      rate: ${int(1, 50)}`, `      pre_allocated_vus: ${int(1, 5)}`, `      max_vus: ${int(5, 20)}`);
    else if (chance(0.5)) lines.push("      type: constant", `      vus: ${int(1, 30)}`);
    else lines.push("      type: ramp_up", `      start_vus: ${int(0, 3)}`, `      end_vus: ${int(4, 40)}`);
    if (chance(0.35)) {
      lines.push(`    tags: { region: "${pick(["eu", "us", "ap"])}", "team name": "${pick(["web & api", "a=b", "ops"])}" }`);
      tagKeys.add("region").add("team name");
    }
    lines.push("    steps:");
    const steps: { name: string; checks: string[] }[] = [];
    for (let k = 0; k < int(1, 4); k++) {
      const name = `st-${k}`;
      lines.push(`      - name: "${name}"`, `        url: "http://127.0.0.1:8080/${scenario.replace(/ /g, "_")}/${k}"`);
      if (chance(0.4)) {
        const region = chance(0.3);
        lines.push(`        tags: { endpoint: "e-${int(0, 6)}"${region ? `, region: "${pick(["eu", "sa"])}"` : ""} }`);
        tagKeys.add("endpoint");
        if (region) tagKeys.add("region");
      }
      const checks: string[] = [];
      if (chance(0.5)) {
        lines.push("        check:", "          status: 200");
        checks.push("status");
        if (chance(0.5)) {
          lines.push('          max_duration: "500ms"');
          checks.push("max_duration");
        }
      }
      steps.push({ name, checks });
    }
    names.push({ scenario, steps, open });
  }
  lines.push("thresholds:");
  const thresholdCount = int(0, 5);
  if (thresholdCount === 0) lines.push("  []");
  for (let i = 0; i < thresholdCount; i++) {
    // what the validator accepts: open-model metrics need an arrival-rate scenario, checks a step with checks,
    // generator_saturation is run-wide
    const open = names.filter((n) => n.open);
    const checked = names.filter((n) => n.steps.some((st) => st.checks.length > 0));
    const metric = pick(METRICS.filter((m) => (m === "p95_intended" || m === "dropped_iterations" ? open.length > 0 : m === "checks" ? checked.length > 0 : true)));
    const scopes = metric === "generator_saturation" ? [] : metric === "p95_intended" || metric === "dropped_iterations" ? open : metric === "checks" ? checked : names;
    const sc = scopes.length > 0 && chance(0.5) ? pick(scopes) : undefined;
    const ratio = metric === "error_ratio" || metric === "checks" || metric === "generator_saturation";
    lines.push(`  - metric: ${metric}`, `    condition: "${pick(["<", ">", "<=", ">="])}"`, `    value: ${ratio ? pick([0, 0.05, 0.5, 1]) : pick([0, 0.5, 1, 10, 250, 1e6])}`);
    if (sc) lines.push(`    scenario: "${sc.scenario}"`);
    const stepScoped = metric !== "checks" && metric !== "p95_intended" && metric !== "dropped_iterations";
    if (sc && stepScoped && chance(0.5)) lines.push(`    step: "${pick(sc.steps).name}"`);
    if (chance(0.5)) lines.push(`    window: "${int(1, 5)}s"`);
    if (chance(0.3)) lines.push("    abort_on_fail: true", `    delay: "${int(0, 3)}s"`);
    if (tagKeys.size > 0 && metric !== "generator_saturation" && metric !== "checks" && metric !== "dropped_iterations" && chance(0.4)) {
      const key = pick([...tagKeys]);
      lines.push(`    tags: { "${key}": "${key === "endpoint" ? `e-${int(0, 6)}` : key === "region" ? pick(["eu", "us", "other"]) : "ops"}" }`);
    }
  }
  const planYaml = lines.join("\n") + "\n";
  const plan = parsePlan(planYaml, "arbitrary.yaml");
  const tags = tagLayout(plan);
  const rowTagged: Record<string, boolean> = {};

  // ---- the run: agents, some lost, each second merged and judged ----
  const agentCount = fleet ? int(20, 60) : int(1, 6);
  const agents: AgentRecord[] = Array.from({ length: agentCount }, (_, i) => ({
    id: `agent-${i}`,
    address: chance(0.2) ? `[::1]:${50052 + i}` : `10.0.${i >> 8}.${i & 255}:50052`,
    state: "finished",
    requests: 0,
    errors: 0,
  }));
  const own = agents.map(() => new SnapshotAccumulator({ wholeOnly: true }));
  const lostAt = agents.map(() => (chance(0.25) ? int(1, seconds) : undefined));
  const measuresGenerator = chance(0.6);
  const judge = createJudge(plan);
  const timeline: TimelineEntry[] = [];
  const endS = chance(0.3) ? int(1, seconds) : seconds;
  for (let t = 1; t <= endS; t++) {
    const bucket = new SnapshotAccumulator();
    for (let a = 0; a < agentCount; a++) {
      if (lostAt[a] !== undefined && t > lostAt[a]!) continue;
      const snapshot = agentSecond(names, measuresGenerator ? agents[a]!.id : undefined);
      bucket.add(snapshot, own[a]);
      for (const sc of Object.values(snapshot.scenarios)) for (const st of Object.values(sc.steps)) {
        agents[a]!.requests += st.requests;
        agents[a]!.errors += st.errors;
      }
    }
    const vus: Record<string, number> = {};
    for (const { scenario } of names) {
      vus[scenario] = chance(0.1) ? 0 : int(0, 50);
      bucket.setVus(scenario, vus[scenario]!);
    }
    const entry: TimelineEntry = { t, vus, snapshot: bucket.toSnapshot() };
    timeline.push(entry);
    judge.addSecond(bucket, entry.snapshot.generator);
    judge.judge(t);
  }
  const elapsedS = endS < seconds ? endS - random() * 0.9 : seconds;
  agents.forEach((agent, a) => {
    if (lostAt[a] !== undefined) {
      agent.state = "lost";
      agent.lostAtMs = lostAt[a]! * 1000 - int(0, 999);
    } else if (chance(0.1)) agent.state = "failed";
    if (chance(0.8)) agent.stats = own[a]!.stats({}, elapsedS) ?? undefined;
  });
  const thresholds = judge.outcomes(elapsedS);
  const thresholdsPassed = thresholds.every((r) => r.passed);
  const ending = pick<[RunState, string | undefined]>([
    [thresholdsPassed ? "completed" : "failed", undefined],
    ["aborted", "aborted by user (SIGINT)"],
    ["failed", "all agents lost"],
    ["failed", `agent agent-0 lost`],
    ["aborted", "controller stopped (SIGTERM) — «quoted» \"text\"\n2nd line"],
  ]);
  const result: RunResult = {
    runId: `${seed.toString(16).padStart(8, "0")}-run`,
    planName: plan.name,
    state: ending[0],
    reason: ending[1],
    startedAt: new Date(1_760_000_000_000 + seed * 1013),
    durationMs: Math.round(elapsedS * 1000),
    summary: judge.summary(elapsedS),
    thresholds,
    passed: thresholdsPassed && ending[1] === undefined,
    agents,
    timeline,
  };
  if (chance(0.8)) result.generator = judge.generator();
  if (chance(0.3)) {
    // a script's exceptions: any text (quotes, markup, lines), a frame or not, the agent that reported it first
    result.scriptErrors = Array.from({ length: int(1, 3) }, (_, i) => {
      const sc = pick(result.summary.scenarios);
      return {
        scenario: sc.name,
        step: sc.steps.length > 0 ? pick(sc.steps).name : "default",
        message: pick([`TypeError: x is undefined (${i})`, `boom "${i}" <&>\n  second line`, `Ünïcödé ${i} ✓`]),
        ...(chance(0.5) ? { frame: `flows/x-${i}.ts:${int(1, 99)}:${int(1, 40)}` } : {}),
        agent: pick(agents).id,
      };
    });
  }
  return { seed, plan, planYaml, result };

  function agentSecond(scenarios: typeof names, generatorOf: string | undefined): Snapshot {
    const out: Record<string, ScenarioDelta> = {};
    for (const sc of scenarios) {
      if (chance(0.15)) continue; // an agent may not have run a scenario this second
      const steps: Record<string, StepDelta> = {};
      const tagged: Record<string, Record<string, StepDelta>> = {};
      const stepTags: Record<string, string> = {};
      for (const st of sc.steps) {
        const requests = chance(0.1) ? 0 : int(1, 40);
        const latency = createHistogram();
        const intended = sc.open ? createHistogram() : undefined;
        const errorsByClass: Partial<Record<ErrorClass, number>> = {};
        let errors = 0;
        for (let i = 0; i < requests; i++) {
          const us = Math.round(50 + random() * random() * 2_000_000);
          latency.recordValue(us);
          intended?.recordValue(us + int(0, 50_000));
          if (chance(0.1)) {
            const cls = pick(ERROR_CLASSES);
            errorsByClass[cls] = (errorsByClass[cls] ?? 0) + 1;
            errors++;
          }
        }
        const step: StepDelta = { requests, errors, errorsByClass, bytesIn: requests * int(100, 5000), bytesOut: requests * int(50, 500), latency: encodeHistogram(latency) };
        if (chance(0.3)) step.bytesDecoded = requests * int(200, 9000);
        if (errors > 0 && chance(0.5)) step.errorKinds = { [`tls: ${pick(["certificate expired", "unknown CA"])}`]: int(1, errors) };
        if (intended) step.intended = encodeHistogram(intended);
        if (st.checks.length > 0) {
          step.checks = Object.fromEntries(st.checks.map((name) => {
            const fails = int(0, Math.min(3, requests));
            return [name, { passes: requests - fails, fails }];
          }));
        }
        steps[st.name] = step;
        // as the recorder does: a step with one fixed tag set names it; now and then one tagged per data row instead
        const key = tags.scenarios.get(sc.scenario)!.stepKeys[sc.steps.indexOf(st)]![0]!;
        if (key !== "" && requests > 0) {
          // a step is tagged one way in every agent and second, as the plan says
          const perRow = (rowTagged[`${sc.scenario}/${st.name}`] ??= chance(0.3));
          if (!perRow) stepTags[st.name] = key;
          else (tagged[`${key}&row=${pick(["a", "b"])}`] ??= {})[st.name] = step;
        }
      }
      out[sc.scenario] = { iterations: int(0, 40), vus: int(0, 30), steps };
      if (Object.keys(tagged).length > 0) out[sc.scenario]!.tagged = tagged;
      if (Object.keys(stepTags).length > 0) out[sc.scenario]!.stepTags = stepTags;
      if (sc.open) out[sc.scenario]!.droppedIterations = int(0, 3);
    }
    const snapshot: Snapshot = { scenarios: out };
    if (generatorOf) {
      const generator: GeneratorByAgent = { [generatorOf]: { lagMs: Math.round(random() * 2000) / 10, cpuPct: Math.round(random() * 1000) / 10, saturated: chance(0.2) } };
      snapshot.generator = generator;
    }
    return snapshot;
  }
}
