// `indus health`: probes a controller's or agent's /readyz, for container HEALTHCHECKs and scripts (0 ready, 1 not).
import { defineCommand } from "citty";
import { ExitCode, IndusError } from "../core/errors.ts";
import { durationFlag } from "./args.ts";
import type { CliIo } from "./io.ts";

/** The agent's and the controller's default --metrics-addr ports on this host: one image runs either role. */
export const DEFAULT_HEALTH_ADDRS = "127.0.0.1:9091,127.0.0.1:9090";

export const healthArgs = {
  addr: {
    type: "string",
    description: `Comma-separated host:port of /readyz to probe; ready when any answers 200 (env INDUS_HEALTH_ADDR; default ${DEFAULT_HEALTH_ADDRS})`,
  },
  path: { type: "string", description: "Path to probe", default: "/readyz" },
  timeout: { type: "string", description: "Give up on an address after this long (a hung process is unhealthy)", default: "2s" },
} as const;

export const healthCommand = defineCommand({
  meta: { name: "health", description: "Exit 0 when a controller or agent on this host is ready to serve (its /readyz), 1 otherwise" },
  args: healthArgs,
});

async function probe(url: string, timeoutMs: number): Promise<{ ok: boolean; why: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    const body = (await res.text()).trim();
    return { ok: res.status === 200, why: `${res.status}${body ? ` ${body}` : ""}` };
  } catch (e) {
    const err = e as Error;
    return { ok: false, why: err.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : err.message };
  }
}

export async function runHealth(io: CliIo, args: Record<string, unknown>): Promise<number> {
  const list = String(args.addr || io.env.INDUS_HEALTH_ADDR || DEFAULT_HEALTH_ADDRS);
  const addrs = list.split(",").map((a) => a.trim()).filter(Boolean);
  const bad = addrs.filter((a) => !/^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/.test(a));
  if (addrs.length === 0 || bad.length > 0) {
    throw new IndusError("bad_flag", `--addr must be host:port[,host:port...], got "${bad.join(",") || list}"`, { hint: "e.g. --addr=127.0.0.1:9091" });
  }
  const path = String(args.path ?? "/readyz");
  const timeoutMs = durationFlag("timeout", args.timeout) ?? 2000;
  const results = await Promise.all(addrs.map(async (a) => ({ addr: a, ...(await probe(`http://${a}${path.startsWith("/") ? path : `/${path}`}`, timeoutMs)) })));
  const ready = results.find((r) => r.ok);
  if (ready) {
    io.stdout.write(`ready: ${ready.addr}${path}\n`);
    return ExitCode.ok;
  }
  io.stderr.write(`not ready: ${results.map((r) => `${r.addr}${path}: ${r.why}`).join("; ")}\n`);
  return ExitCode.failed;
}
