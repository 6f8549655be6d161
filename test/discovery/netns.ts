// Two network namespaces joined by a veth pair (10.251.0.1 ↔ 10.251.0.2): the only place tests multicast.
import { randomBytes } from "node:crypto";

export interface NetnsPair {
  a: string;
  b: string;
  addressA: string;
  addressB: string;
  /** runs argv inside namespace ns */
  spawn(ns: string, argv: string[]): Bun.Subprocess<"ignore", "pipe", "pipe">;
  remove(): void;
}

const PREFIX = "indus-ns-";

function ip(args: string[]): { ok: boolean; err: string } {
  const r = Bun.spawnSync(["ip", ...args], { stdout: "pipe", stderr: "pipe" });
  return { ok: r.exitCode === 0, err: r.stderr.toString().trim() };
}

function must(args: string[]): void {
  const r = ip(args);
  if (!r.ok) throw new Error(`ip ${args.join(" ")}: ${r.err}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes namespaces a crashed earlier run of this test left behind (their pid is gone). */
function removeLeftovers(): void {
  const r = Bun.spawnSync(["ip", "netns", "list"], { stdout: "pipe", stderr: "pipe" });
  for (const line of r.stdout.toString().split("\n")) {
    const m = new RegExp(`^(${PREFIX}[ab]-(\\d+)-[0-9a-f]+)`).exec(line.trim());
    if (m && !alive(Number(m[2]))) ip(["netns", "del", m[1]!]);
  }
}

/** Creates the pair, or returns the reason it cannot (not root, no CAP_NET_ADMIN, no `ip`). */
export function createNetnsPair(): NetnsPair | string {
  if (process.platform !== "linux") return `network namespaces need Linux (this is ${process.platform})`;
  if (!Bun.which("ip")) return "the `ip` command (iproute2) is not installed";
  removeLeftovers();
  const tag = `${process.pid}-${randomBytes(3).toString("hex")}`;
  const a = `${PREFIX}a-${tag}`;
  const b = `${PREFIX}b-${tag}`;
  const probe = ip(["netns", "add", a]);
  if (!probe.ok) return `\`ip netns add\` is not permitted here (${probe.err})`;
  const vethA = `iva${tag.slice(-6)}`;
  const vethB = `ivb${tag.slice(-6)}`;
  const remove = () => {
    ip(["netns", "del", a]);
    ip(["netns", "del", b]);
  };
  try {
    must(["netns", "add", b]);
    must(["link", "add", vethA, "netns", a, "type", "veth", "peer", "name", vethB, "netns", b]);
    for (const [ns, dev, addr] of [[a, vethA, "10.251.0.1/30"], [b, vethB, "10.251.0.2/30"]] as const) {
      must(["-n", ns, "addr", "add", addr, "dev", dev]);
      must(["-n", ns, "link", "set", "lo", "up"]);
      must(["-n", ns, "link", "set", dev, "up"]);
      // no default route in the namespace: multicast needs one of its own
      must(["-n", ns, "route", "add", "224.0.0.0/4", "dev", dev]);
    }
  } catch (e) {
    remove();
    throw e;
  }
  return {
    a,
    b,
    addressA: "10.251.0.1",
    addressB: "10.251.0.2",
    spawn: (ns, argv) => Bun.spawn(["ip", "netns", "exec", ns, ...argv], { stdin: "ignore", stdout: "pipe", stderr: "pipe" }),
    remove,
  };
}

/** Reads a process's stdout line by line and waits for a line that satisfies a predicate. */
export function lineReader(stream: ReadableStream<Uint8Array>) {
  const lines: string[] = [];
  let waiters: { test: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buf = "";
    for await (const chunk of stream) {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        waiters = waiters.filter((w) => (w.test(line) ? (w.resolve(line), false) : true));
      }
    }
  })();
  return {
    lines,
    /** the first line from now on (or already read, if fromStart) that passes test */
    waitFor(test: (line: string) => boolean, timeoutMs: number, what: string, fromStart = false): Promise<string> {
      const earlier = fromStart ? lines.find(test) : undefined;
      if (earlier !== undefined) return Promise.resolve(earlier);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; lines so far:\n${lines.join("\n")}`)), timeoutMs);
        waiters.push({ test, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
  };
}
