// --agents and --discover values → the sources to watch, with every problem reported at once.
import { nodeNet } from "../core/builtins.ts";
import { IndusError } from "../core/errors.ts";
import type { AgentSource } from "./types.ts";

const HOSTNAME = /^(?=.{1,253}\.?$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const USAGE = "host:port,host:port (static), dns:NAME:PORT (one agent per A/AAAA record) or mdns";

function parsePort(text: string): number | string {
  if (!/^\d{1,5}$/.test(text)) return `port "${text}" is not a number`;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : `port ${port} is out of range 1..65535`;
}

/** One entry of --agents: a source, or a problem in words. */
function parseEntry(entry: string): AgentSource | string {
  if (entry === "mdns") return { kind: "mdns" };
  if (entry.startsWith("-")) return `"${entry}" is a flag, not an agent: write --agents=host:port`;
  if (entry.startsWith("dns:")) {
    const rest = entry.slice("dns:".length);
    const cut = rest.lastIndexOf(":");
    if (cut < 0) return `"${entry}" needs a port: dns:${rest || "NAME"}:50052`;
    const name = rest.slice(0, cut);
    const port = parsePort(rest.slice(cut + 1));
    if (!HOSTNAME.test(name)) return `"${entry}": "${name}" is not a DNS name`;
    if (typeof port === "string") return `"${entry}": ${port}`;
    return { kind: "dns", name: name.toLowerCase(), port };
  }
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)/i.exec(entry);
  if (scheme) return `"${entry}": give host:port without a scheme (${scheme[1] || "host:50052"})`;
  const v6 = /^\[([^\]]*)\]:(.*)$/.exec(entry);
  if (v6) {
    const [, host = "", portText = ""] = v6;
    if (nodeNet().isIP(host) !== 6) return `"${entry}": "${host}" is not an IPv6 address`;
    const port = parsePort(portText);
    return typeof port === "string" ? `"${entry}": ${port}` : { kind: "static", address: `[${host}]:${port}` };
  }
  if (nodeNet().isIP(entry) === 6) return `"${entry}": put an IPv6 address in brackets: [${entry}]:50052`;
  const cut = entry.lastIndexOf(":");
  if (cut < 0) return `"${entry}" needs a port: ${entry}:50052`;
  const host = entry.slice(0, cut);
  const port = parsePort(entry.slice(cut + 1));
  if (nodeNet().isIP(host) === 6) return `"${entry}": put an IPv6 address in brackets: [${host}]:${entry.slice(cut + 1)}`;
  if (!HOSTNAME.test(host)) return `"${entry}": "${host}" is not a host name or address`;
  if (typeof port === "string") return `"${entry}": ${port}`;
  return { kind: "static", address: `${host}:${port}` };
}

/**
 * Parses --agents: comma-separated host:port (static), dns:NAME:PORT and mdns entries, in any mix.
 * Throws one IndusError (exit 2) listing every bad entry.
 */
export function parseAgentsFlag(value: string): AgentSource[] {
  const entries = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) throw new IndusError("bad_flag", "--agents: no agents given", { hint: `use ${USAGE}` });
  const sources: AgentSource[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const parsed = parseEntry(entry);
    if (typeof parsed === "string") {
      problems.push(parsed);
      continue;
    }
    const key = JSON.stringify(parsed);
    if (seen.has(key)) continue;
    seen.add(key);
    sources.push(parsed);
  }
  if (problems.length > 0) {
    const head = problems.length === 1 ? "--agents: 1 bad entry" : `--agents: ${problems.length} bad entries`;
    throw new IndusError("bad_flag", [head + ":", ...problems.map((p) => "  " + p)].join("\n"), { hint: `use ${USAGE}` });
  }
  return sources;
}

/** Parses --discover: only "mdns" for now. */
export function parseDiscoverFlag(value: string): AgentSource[] {
  const v = value.trim().toLowerCase();
  if (v === "") throw new IndusError("bad_flag", "--discover: no method given", { hint: "write --discover=mdns" });
  if (v === "mdns") return [{ kind: "mdns" }];
  throw new IndusError("bad_flag", `--discover: unknown method "${value}"`, { hint: "the only method is mdns (--discover=mdns)" });
}
