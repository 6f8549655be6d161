// One simulated case drawn from a seed: the fleet, the plan, and the faults to throw at it.
import { parsePlan } from "../../src/plan/index.ts";
import type { Plan } from "../../src/plan/types.ts";
import { createRng, type Rng } from "./rng.ts";


/** a partition that lasts this long never heals */
export const NEVER = 1e9;

export interface AgentFaults {
  /** ms after the run starts; crash at, restart at */
  crashAt?: number;
  restartAt?: number;
  /** the stream breaks (a snapshot lost): both ends see it close */
  resetAt?: number;
  partition?: { from: number; to: number };
  /** snapshots take 0.2–1.5 s to arrive; the executor starts late */
  slow?: boolean;
  startDelayMs: number;
  /** some messages arrive 0.8–2.5 s late (in order) */
  late?: boolean;
  /** some snapshots arrive twice */
  duplicate?: boolean;
  /** messages may overtake each other */
  reorder?: boolean;
  /** share of requests that fail */
  errorRate: number;
  /** the fault times count from the moment the run starts (else from the submission: they may hit the start) */
  relative: boolean;
}

export interface SimCase {
  seed: number;
  agents: number;
  plan: Plan;
  faults: AgentFaults[];
  controllerCrashAt?: number;
  userAbortAt?: number;
  /** the user's Stop (requests in flight finish) rather than Abort */
  userStopGraceful?: boolean;
}

/** A seed → a case. big: a 1,000-agent fleet (fewer faults, shorter plan). */
export function drawCase(seed: number, size?: "big"): SimCase {
  const rng = createRng(seed);
  const agents = size === "big" ? 1000 : rng.chance(0.1) ? rng.int(20, 100) : rng.int(1, 8);
  const seconds = size === "big" ? rng.int(3, 6) : rng.int(2, 14);
  const policy = rng.pick(["redistribute", "continue", "abort"] as const);
  const plan = parsePlan(planYaml(rng, agents, seconds, policy), "sim.yaml");
  const horizon = seconds * 1000;
  const faultRate = size === "big" ? 0.01 : agents > 8 ? 0.05 : 0.25;
  const faults = Array.from({ length: agents }, (): AgentFaults => {
    const f: AgentFaults = { startDelayMs: rng.int(1, 50), errorRate: rng.chance(0.2) ? rng.next() * 0.2 : 0, relative: rng.chance(0.85) || size === "big" };
    if (rng.chance(faultRate)) {
      f.crashAt = rng.int(0, horizon);
      if (rng.chance(0.5)) f.restartAt = f.crashAt + rng.int(100, 3000);
    }
    if (rng.chance(faultRate / 2)) f.resetAt = rng.int(0, horizon);
    if (rng.chance(faultRate)) {
      const from = rng.int(0, horizon);
      f.partition = { from, to: rng.chance(0.3) ? NEVER : from + rng.int(200, 9000) };
    }
    if (rng.chance(faultRate / 2)) {
      f.slow = true;
      f.startDelayMs = rng.chance(0.2) ? rng.int(5000, 7000) : rng.int(100, 1500);
    }
    if (rng.chance(faultRate)) f.late = true;
    if (rng.chance(faultRate)) f.duplicate = true;
    if (rng.chance(faultRate / 2)) f.reorder = true;
    return f;
  });
  return {
    seed,
    agents,
    plan,
    faults,
    ...(rng.chance(size === "big" ? 0.2 : 0.1) ? { controllerCrashAt: rng.int(0, horizon + 1000) } : {}),
    ...(rng.chance(0.1) ? { userAbortAt: rng.int(0, horizon + 1000), userStopGraceful: rng.chance(0.5) } : {}),
  };
}

function planYaml(rng: Rng, agents: number, seconds: number, policy: string): string {
  const scenarios = rng.int(1, 2);
  const lines = [`name: sim`, `on_agent_loss: ${policy}`, `scenarios:`];
  for (let i = 0; i < scenarios; i++) {
    const duration = i === 0 ? seconds : rng.int(1, seconds);
    const peak = rng.int(1, agents * 3 + 5);
    const profile = rng.chance(0.5) ? `{ type: constant, vus: ${peak} }` : `{ type: ramp_up, start_vus: ${rng.int(1, peak)}, end_vus: ${peak} }`;
    lines.push(`  sc${i}:`, `    duration: ${duration}s`, `    profile: ${profile}`, `    steps:`, `      - { name: s, url: "http://127.0.0.1:9/" }`);
  }
  if (rng.chance(0.3)) {
    lines.push(`thresholds:`, `  - metric: error_ratio`, `    condition: "<"`, `    value: ${rng.pick([0.01, 0.05, 0.1])}`);
    if (rng.chance(0.7)) lines.push(`    abort_on_fail: true`);
  }
  return lines.join("\n") + "\n";
}
