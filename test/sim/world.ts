// The fleet simulator: the real run and session machines and the real merge, with simulated agents, network and time.
// Fakes here stand for what cannot run at this scale: the executor (VUs counted, not sockets) and the network.
import { createSession, sessionStep, type SessionEvent, type SessionState } from "../../src/agent/session-machine.ts";
import { createRunBook, type RunBook } from "../../src/controller/run-book.ts";
import { createRunMachine, runStep, type RunCommand, type RunMachineEvent, type RunMachineState } from "../../src/controller/run-machine.ts";
import { planTargets } from "../../src/controller/targets.ts";
import type { RunResult } from "../../src/run/types.ts";
import { SnapshotAccumulator } from "../../src/metrics/accumulator.ts";
import { snapshotRequests, type Snapshot } from "../../src/metrics/snapshot.ts";
import type { AgentMsg, ControlMsg } from "../../src/transport/messages.ts";
import { scenarioSchedule, splitEven } from "../../src/schedule/index.ts";
import type { RunStore } from "../../src/store/index.ts";
import { Agenda } from "./queue.ts";
import { createRng } from "./rng.ts";
import { NEVER, type SimCase } from "./scenario.ts";

/** Requests a VU makes per simulated ms (10 a second). */
const RATE_PER_VU_MS = 0.01;
const SILENCE_MS = 5000;
const EMPTY_HISTOGRAM = Uint8Array.of(1);


export class Violation extends Error {}

export interface SimOutcome {
  result: RunResult | undefined;
  refused: string | undefined;
  controllerCrashed: boolean;
  events: number;
  simulatedMs: number;
}

interface Link {
  agent: number;
  /** the controller closed it (or died): what the agent sends is dropped */
  ctrlGone: boolean;
  /** the agent closed it (or died) */
  agentGone: boolean;
  lastToAgent: number;
  lastToCtrl: number;
}

interface SimExecutor {
  vus: Record<string, number>;
  owed: Record<string, number>;
  at: number;
}

interface AgentNode {
  index: number;
  dead: boolean;
  link: Link | undefined;
  session: SessionState<Snapshot> | undefined;
  exec: SimExecutor;
  pending: SnapshotAccumulator | undefined;
  lastHeard: number;
  stopSeenAt: number | undefined;
  measured: number;
  timer: number;
  queue: SessionEvent<Snapshot>[];
  stepping: boolean;
  finalSent: boolean;
}

export function simulate(c: SimCase, store?: RunStore): SimOutcome {
  const agenda = new Agenda();
  const net = createRng(c.seed ^ 0x5bd1e995);
  const { plan } = c;
  const runId = `sim${c.seed.toString(16).padStart(8, "0")}`;
  const violate = (msg: string): never => {
    throw new Violation(`t=${agenda.now.toFixed(0)} ms: ${msg}`);
  };
  let events = 0;
  const names = plan.scenarios.map((s) => s.name);
  const schedules = plan.scenarios.map((s) => scenarioSchedule(s));
  const links: Link[] = [];
  const agents: AgentNode[] = [];
  let stopEnteredAt: number | undefined;
  let runStartedAt: number | undefined;

  // ---------------- network ----------------
  /** a fault time on the simulation's clock */
  const abs = (f: SimCase["faults"][number], t: number) => (f.relative ? (runStartedAt === undefined ? Infinity : runStartedAt + t) : t);
  const transit = (link: Link, toCtrl: boolean): number => {
    const f = c.faults[link.agent]!;
    const now = agenda.now;
    let d = net.int(1, 5);
    if (toCtrl && f.slow) d += net.int(200, 1500);
    if (f.late && net.chance(0.3)) d += net.int(800, 2500);
    let at = now + d;
    // a partition holds messages (TCP retransmits): they arrive once it heals
    const p = f.partition && { from: abs(f, f.partition.from), to: f.partition.to === NEVER ? NEVER : abs(f, f.partition.to) };
    if (p && at >= p.from && now < p.to) at = Math.max(at, p.to + d);
    if (!f.reorder) {
      at = Math.max(at, toCtrl ? link.lastToCtrl : link.lastToAgent);
      if (toCtrl) link.lastToCtrl = at;
      else link.lastToAgent = at;
    }
    // a partition that never heals: nothing gets through, not even the news that the stream closed
    return at >= NEVER ? Infinity : at;
  };
  const toAgent = (link: Link, msg: ControlMsg) =>
    agenda.at(transit(link, false), () => {
      const node = agents[link.agent]!;
      if (link.agentGone || node.dead || node.link !== link) return;
      node.lastHeard = agenda.now;
      if (msg.kind === "stop") node.stopSeenAt ??= agenda.now;
      agenda.at(agenda.now + SILENCE_MS + 1, () => checkOrphan(node));
      feedAgent(node, { kind: "message", msg });
    });
  const toCtrl = (link: Link, msg: AgentMsg) => {
    const deliver = () => {
      if (link.ctrlGone || !ctrl || ctrl.dead) return;
      ctrlReceive(link.agent, msg);
    };
    const at = transit(link, true);
    agenda.at(at, deliver);
    // gRPC never duplicates; the controller must count a duplicate once all the same
    if (msg.kind === "snapshot" && c.faults[link.agent]!.duplicate && net.chance(0.3)) agenda.at(at + net.int(0, 400), deliver);
  };
  const closeByCtrl = (link: Link, reason: string) => {
    if (link.ctrlGone) return;
    link.ctrlGone = true;
    agenda.at(transit(link, false), () => {
      const node = agents[link.agent]!;
      if (link.agentGone || node.dead || node.link !== link) return;
      link.agentGone = true;
      feedAgent(node, { kind: "closed", reason });
    });
  };
  const closeByAgent = (link: Link, reason: string) => {
    if (link.agentGone) return;
    link.agentGone = true;
    agenda.at(transit(link, true), () => {
      if (link.ctrlGone || !ctrl || ctrl.dead) return;
      link.ctrlGone = true;
      feedCtrl({ kind: "down", agent: link.agent, reason });
    });
  };

  // ---------------- agents ----------------
  const newExecutor = (): SimExecutor => ({ vus: {}, owed: {}, at: agenda.now });
  const integrate = (e: SimExecutor) => {
    const dt = agenda.now - e.at;
    for (const n in e.vus) e.owed[n] = (e.owed[n] ?? 0) + e.vus[n]! * dt * RATE_PER_VU_MS;
    e.at = agenda.now;
  };
  const take = (node: AgentNode): Snapshot => {
    integrate(node.exec);
    const errorRate = c.faults[node.index]!.errorRate;
    const snapshot: Snapshot = { scenarios: {} };
    for (const n of names) {
      const requests = Math.floor(node.exec.owed[n] ?? 0);
      node.exec.owed[n] = (node.exec.owed[n] ?? 0) - requests;
      node.measured += requests;
      const errors = Math.floor(requests * errorRate);
      snapshot.scenarios[n] = {
        iterations: requests,
        vus: node.exec.vus[n] ?? 0,
        steps: { s: { requests, errors, errorsByClass: {}, bytesIn: 0, bytesOut: 0, latency: EMPTY_HISTOGRAM } },
      };
    }
    return snapshot;
  };
  const loadOf = (node: AgentNode) => {
    let n = 0;
    for (const k in node.exec.vus) n += node.exec.vus[k]!;
    return n;
  };
  const checkOrphan = (node: AgentNode) => {
    if (node.dead || loadOf(node) === 0) return;
    if (agenda.now - node.lastHeard > SILENCE_MS) violate(`agent ${node.index} runs ${loadOf(node)} VUs ${agenda.now - node.lastHeard} ms after it last heard from its controller`);
    if (node.stopSeenAt !== undefined && agenda.now - node.stopSeenAt > SILENCE_MS) violate(`agent ${node.index} runs ${loadOf(node)} VUs ${agenda.now - node.stopSeenAt} ms after stop`);
  };
  const coalesce = (node: AgentNode, delta: Snapshot | undefined): Snapshot => {
    if (!node.pending) return delta ?? { scenarios: {} };
    if (delta) node.pending.add(delta);
    const merged = node.pending.toSnapshot();
    node.pending = undefined;
    return merged;
  };

  const feedAgent = (node: AgentNode, event: SessionEvent<Snapshot>) => {
    if (node.dead || !node.session) return;
    node.queue.push(event);
    if (node.stepping) return;
    node.stepping = true;
    try {
      for (let e = node.queue.shift(); e; e = node.queue.shift()) {
        events++;
        const out = sessionStep(node.session, e, agenda.now);
        for (const cmd of out.commands) agentExecute(node, cmd);
      }
    } finally {
      node.stepping = false;
    }
    const token = ++node.timer;
    const wake = node.session.wakeAt;
    if (wake !== undefined) agenda.at(wake, () => token === node.timer && feedAgent(node, { kind: "tick" }));
  };

  const agentExecute = (node: AgentNode, cmd: ReturnType<typeof sessionStep<Snapshot>>["commands"][number]) => {
    const link = node.link!;
    const f = c.faults[node.index]!;
    const alive = (run: () => void) => () => {
      if (!node.dead && node.link === link) run();
    };
    switch (cmd.kind) {
      case "send":
        return toCtrl(link, cmd.msg);
      case "send-snapshot":
        return toCtrl(link, { kind: "snapshot", seq: cmd.seq, snapshot: coalesce(node, cmd.delta), final: false });
      case "hold":
        return void (node.pending ??= new SnapshotAccumulator()).add(cmd.delta);
      case "send-final": {
        const final = coalesce(node, cmd.last);
        for (const [name, sc] of Object.entries(final.scenarios)) sc.vus = cmd.vus[name] ?? sc.vus;
        node.finalSent = true;
        return toCtrl(link, { kind: "snapshot", seq: 0, snapshot: final, final: true });
      }
      case "claim":
      case "release":
      case "log":
      case "set-rate":
        return;
      case "create-executor":
        return agenda.at(agenda.now + f.startDelayMs, alive(() => feedAgent(node, { kind: "executor-ready" })));
      case "set-vus":
        integrate(node.exec);
        node.exec.vus[cmd.scenario] = cmd.vus;
        return;
      case "take-delta": {
        // workers hand over what they recorded when asked; the answer travels back to the agent later
        const delta = take(node);
        return agenda.at(agenda.now + (f.slow ? net.int(50, 400) : net.int(1, 20)), alive(() => feedAgent(node, { kind: "delta", seq: cmd.seq, delta })));
      }
      case "stop-executor":
        integrate(node.exec);
        for (const k in node.exec.vus) node.exec.vus[k] = 0;
        return agenda.at(agenda.now + net.int(1, 40), alive(() => feedAgent(node, { kind: "stopped", last: take(node) })));
      case "close":
        return closeByAgent(link, "agent closed the stream");
    }
  };

  // ---------------- controller ----------------
  interface Ctrl {
    state: RunMachineState;
    book: RunBook;
    dead: boolean;
    queue: RunMachineEvent<Snapshot>[];
    stepping: boolean;
    timer: number;
  }
  let ctrl: Ctrl | undefined;
  let result: RunResult | undefined;
  let refused: string | undefined;
  let crashed = false;
  /** what the controller was sent, each snapshot once, while the run was live */
  const seen = new Set<string>();
  const delivered = new Array<number>(c.agents).fill(0);
  const finalDelivered = new Array<boolean>(c.agents).fill(false);
  /** per agent, per scenario: the VUs the controller last told it (from the adjusts it sent) */
  const told: Record<string, number>[] = Array.from({ length: c.agents }, () => ({}));
  const persisted: number[] = [];

  const ctrlReceive = (agent: number, msg: AgentMsg) => {
    switch (msg.kind) {
      case "ready":
        return feedCtrl({ kind: "ready", agent });
      case "error":
        return feedCtrl({ kind: "refused", agent, code: msg.code, message: msg.message });
      case "snapshot": {
        const key = `${agent}:${msg.final ? "final" : msg.seq}`;
        if (ctrl!.state.phase !== "done" && !seen.has(key)) {
          seen.add(key);
          delivered[agent] = delivered[agent]! + snapshotRequests(msg.snapshot);
          if (msg.final) finalDelivered[agent] = true;
        }
        const vus: Record<string, number> = {};
        for (const n in msg.snapshot.scenarios) vus[n] = msg.snapshot.scenarios[n]!.vus;
        return feedCtrl({ kind: "snapshot", agent, seq: msg.seq, final: msg.final, vus, snapshot: msg.snapshot });
      }
    }
  };

  const feedCtrl = (event: RunMachineEvent<Snapshot>) => {
    const k = ctrl!;
    if (k.dead) return;
    k.queue.push(event);
    if (k.stepping) return;
    k.stepping = true;
    try {
      for (let e = k.queue.shift(); e; e = k.queue.shift()) {
        events++;
        const before = k.state.second;
        const out = runStep(k.state, e, agenda.now);
        for (const cmd of out.commands) ctrlExecute(k, cmd);
        checkController(k, before);
      }
    } finally {
      k.stepping = false;
    }
    const token = ++k.timer;
    const wake = k.state.wakeAt;
    if (wake !== undefined) agenda.at(wake, () => token === k.timer && !k.dead && feedCtrl({ kind: "tick" }));
  };

  const ctrlExecute = (k: Ctrl, cmd: RunCommand<Snapshot>) => {
    switch (cmd.kind) {
      case "send":
        if (cmd.msg.kind === "adjust") Object.assign(told[cmd.agent]!, cmd.msg.vus);
        return toAgent(links[cmd.agent]!, cmd.msg);
      case "close":
        return closeByCtrl(links[cmd.agent]!, "controller closed the stream");
      case "merge":
        return k.book.merge(cmd.agent, cmd.snapshot);
      case "second": {
        const { entry } = k.book.closeSecond(cmd.t, cmd.vus);
        store?.appendSecond(runId, entry);
        persisted.push(snapshotRequests(entry.snapshot));
        if (cmd.final) return;
        const { breach } = k.book.judge(cmd.t, "running");
        if (breach) k.queue.push({ kind: "breach", reason: breach });
        return;
      }
      case "refuse":
        refused = cmd.message;
        return;
      case "finish":
        result = k.book.finish(cmd, new Date(0)).result;
        store?.finishRun(runId, result);
        return;
      case "log":
        return;
    }
  };

  /** Shares: each second the agents' VUs add up to the schedule, per the loss policy. */
  const checkController = (k: Ctrl, secondBefore: number) => {
    const s = k.state;
    if (s.phase === "running" && runStartedAt === undefined) {
      runStartedAt = agenda.now;
      armFaults(true, agenda.now);
    }
    if ((s.phase === "stopping" || s.phase === "done") && stopEnteredAt === undefined) stopEnteredAt = agenda.now;
    if (plan.on_agent_loss === "abort" && s.phase === "running" && s.slots.some((x) => x.record.state === "lost")) violate("an agent was lost under on_agent_loss: abort and the run goes on");
    if (s.second === secondBefore || s.phase !== "running") return;
    const t = s.second - 1;
    const members: number[] = [];
    s.slots.forEach((x, i) => !x.gone && members.push(i));
    if (members.length === 0) return;
    plan.scenarios.forEach((sc, j) => {
      const total = t < schedules[j]!.length ? schedules[j]![t]! : 0;
      const expected = plan.on_agent_loss === "continue" ? members.reduce((sum, i) => sum + splitEven(total, c.agents, j)[i]!, 0) : total;
      const sum = members.reduce((acc, i) => acc + (told[i]![sc.name] ?? 0), 0);
      if (sum !== expected) violate(`second ${t}, scenario ${sc.name}: agents told ${sum} VUs, schedule says ${expected} (${plan.on_agent_loss}, ${members.length} of ${c.agents} agents)`);
    });
  };

  // ---------------- start ----------------
  ctrl = {
    state: createRunMachine({ runId, plan, targets: planTargets(plan.scenarios), agents: Array.from({ length: c.agents }, (_, i) => ({ id: `a${i}`, address: `10.0.${i >> 8}.${i & 255}:50052` })) }),
    book: createRunBook(runId, plan, c.agents),
    dead: false,
    queue: [],
    stepping: false,
    timer: 0,
  };
  store?.createRun({ id: runId, planName: plan.name, planYaml: undefined, planFile: undefined, plan, startedAt: new Date(0), origin: "controller", agents: ctrl.state.slots.map((s) => ({ id: s.record.id, address: s.record.address })) });
  for (let i = 0; i < c.agents; i++) {
    const link: Link = { agent: i, ctrlGone: false, agentGone: false, lastToAgent: 0, lastToCtrl: 0 };
    links.push(link);
    const node: AgentNode = {
      index: i,
      dead: false,
      link,
      session: createSession<Snapshot>(`a${i}`, 1, SILENCE_MS),
      exec: newExecutor(),
      pending: undefined,
      lastHeard: 0,
      stopSeenAt: undefined,
      measured: 0,
      timer: 0,
      queue: [],
      stepping: false,
      finalSent: false,
    };
    agents.push(node);
    feedAgent(node, { kind: "opened" });
  }
  feedCtrl({ kind: "start" });

  // ---------------- faults ----------------
  const armFaults = (relative: boolean, base: number) => c.faults.forEach((f, i) => {
    if (f.relative !== relative) return;
    if (f.crashAt !== undefined) {
      agenda.at(base + f.crashAt, () => {
        const node = agents[i]!;
        if (node.dead) return;
        node.dead = true;
        node.exec.vus = {};
        const link = node.link!;
        if (!link.agentGone) {
          link.agentGone = true;
          agenda.at(transit(link, true), () => {
            if (link.ctrlGone || !ctrl || ctrl.dead) return;
            link.ctrlGone = true;
            feedCtrl({ kind: "down", agent: i, reason: "connection reset (agent crashed)" });
          });
        }
      });
      if (f.restartAt !== undefined) {
        // a restarted agent is idle: it was never told to run anything, and runs nothing
        agenda.at(base + f.restartAt!, () => {
          const node = agents[i]!;
          if (!node.dead) return;
          Object.assign(node, { dead: false, link: undefined, session: undefined, exec: newExecutor(), pending: undefined, lastHeard: agenda.now, stopSeenAt: undefined });
        });
      }
    }
    if (f.resetAt !== undefined) {
      agenda.at(base + f.resetAt, () => {
        const link = links[i]!;
        if (link.agentGone || link.ctrlGone) return;
        // both ends see the stream break
        link.agentGone = link.ctrlGone = true;
        const node = agents[i]!;
        agenda.at(transit(link, false), () => !node.dead && node.link === link && feedAgent(node, { kind: "closed", reason: "stream reset" }));
        agenda.at(transit(link, true), () => ctrl && !ctrl.dead && feedCtrl({ kind: "down", agent: i, reason: "stream reset" }));
      });
    }
  });
  armFaults(false, 0);
  if (c.userAbortAt !== undefined) agenda.at(c.userAbortAt, () => ctrl && !ctrl.dead && feedCtrl({ kind: "abort", reason: "aborted by the user", graceful: c.userStopGraceful === true }));
  if (c.controllerCrashAt !== undefined) {
    agenda.at(c.controllerCrashAt, () => {
      if (!ctrl || ctrl.state.phase === "done") return;
      ctrl.dead = true;
      crashed = true;
      for (const link of links) closeByCtrl(link, "connection reset (controller crashed)");
      // the restarted controller opens the same store: what was in flight is aborted, with what it had
      agenda.at(agenda.now + net.int(100, 3000), () => {
        if (!store) return;
        const marked = store.markInFlightAborted();
        if (!marked.includes(runId)) violate(`the restarted controller did not mark run ${runId} aborted (marked: ${marked.join(",")})`);
      });
    });
  }

  // ---------------- run ----------------
  const limit = 300_000;
  while (agenda.step()) {
    if (agenda.now > limit) violate("the simulation did not settle within 300 s");
  }

  // ---------------- the verdict ----------------
  for (const node of agents) if (!node.dead && loadOf(node) > 0) violate(`agent ${node.index} still runs ${loadOf(node)} VUs when everything settled`);
  if (crashed) {
    if (store) {
      const stored = store.getRun(runId);
      if (!stored) violate("the crashed run is not in the store");
      if (stored!.state !== "aborted") violate(`the crashed run is stored as ${stored!.state}, not aborted`);
      if (stored!.timeline.length !== persisted.length) violate(`the store holds ${stored!.timeline.length} seconds of the crashed run, ${persisted.length} were written`);
      const storedRequests = stored!.timeline.reduce((n, e) => n + snapshotRequests(e.snapshot), 0);
      const written = persisted.reduce((a, b) => a + b, 0);
      if (storedRequests !== written) violate(`the store holds ${storedRequests} requests of the crashed run, ${written} were measured and written`);
    }
  } else if (refused !== undefined) {
    // a slow agent still answers within the 10 s: only an agent that went away refuses a run
    const gone = c.faults.some((f) => f.crashAt !== undefined || f.resetAt !== undefined || f.partition !== undefined);
    if (!gone && c.userAbortAt === undefined) violate(`the run was refused though every agent was up: ${refused}`);
  } else {
    if (!result) violate("the run neither finished, nor was refused");
    const r = result!;
    const counted = r.summary.global.requests;
    const sent = delivered.reduce((a, b) => a + b, 0);
    if (counted !== sent) violate(`the fleet total is ${counted} requests, the controller was sent ${sent} (each snapshot once)`);
    const perAgent = r.agents.reduce((n, a) => n + a.requests, 0);
    if (perAgent !== counted) violate(`agents' own totals add up to ${perAgent}, the fleet total is ${counted}`);
    r.agents.forEach((rec, i) => {
      const f = c.faults[i]!;
      const node = agents[i]!;
      if (rec.state === "finished" && !finalDelivered[i]) violate(`agent ${i} is reported finished without its final snapshot`);
      if (finalDelivered[i] && rec.state !== "finished") violate(`agent ${i} sent its final snapshot but is reported ${rec.state}`);
      const faulted = f.crashAt !== undefined || f.resetAt !== undefined || f.partition !== undefined || f.slow || f.late;
      // gone for good (crashed, stream broken, cut off) well before the run ended: lost, and the policy applied
      // (the controller starts counting an agent's silence when the run starts)
      const goneAt = Math.max(runStartedAt ?? 0, abs(f, Math.min(f.crashAt ?? Infinity, f.resetAt ?? Infinity, f.partition?.to === NEVER ? f.partition.from : Infinity)));
      if (!finalDelivered[i] && stopEnteredAt !== undefined && goneAt + SILENCE_MS + 1000 < stopEnteredAt && rec.state !== "lost") {
        violate(`agent ${i} went away at ${goneAt} ms, the run stopped at ${stopEnteredAt} ms, and it is reported ${rec.state}, not lost`);
      }
      if (rec.state === "lost" && !faulted) violate(`agent ${i} is reported lost, nothing happened to it`);
      // an agent that went away before the end is named: lost (or failed, when it went during the stop)
      if (!finalDelivered[i] && rec.state !== "lost" && rec.state !== "failed") violate(`agent ${i} never finished and is reported ${rec.state}`);
      // nothing an agent measured goes missing on a sound stream (a reordered one may deliver after the end)
      if (rec.state === "finished" && !f.reorder && node.measured !== rec.requests) violate(`agent ${i} measured ${node.measured} requests, the controller counted ${rec.requests}`);
    });
    if (plan.on_agent_loss === "abort") {
      const lost = r.agents.filter((a) => a.state === "lost");
      if (lost.length > 0 && !(r.reason ?? "").includes("lost") && r.state === "completed") violate(`agents lost under on_agent_loss: abort, and the run completed`);
    }
  }
  return { result, refused, controllerCrashed: crashed, events, simulatedMs: agenda.now };
}
