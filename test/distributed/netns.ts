// A small lab of network namespaces joined by one bridge: one "host" per role, 10.250.X.0/24 inside the lab only.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";

export interface Lab {
  /** the namespaces' names, by role */
  ns: Record<string, string>;
  /** the address of each role inside the lab */
  ip: Record<string, string>;
  /** prefix for Bun.spawn: run a command inside a role's namespace */
  exec(role: string): string[];
  /** Makes `nameserver` the resolver of processes started with exec(role) (ip netns exec binds /etc/netns/NS/resolv.conf). */
  setResolver(role: string, nameserver: string): void;
  destroy(): void;
}

function ip(args: string[]): void {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr || r.error?.message || `exit ${r.status}`}`);
}

function ipNetnsExec(name: string, command: string[]): void {
  const r = spawnSync("ip", ["netns", "exec", name, ...command], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip netns exec ${name} ${command.join(" ")}: ${r.stderr || r.error?.message || `exit ${r.status}`}`);
}

/** Whether this process may create network namespaces (root, or CAP_SYS_ADMIN + CAP_NET_ADMIN); why not, if not. */
export function netnsUnavailable(): string | undefined {
  const probe = `indus-probe-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  const r = spawnSync("ip", ["netns", "add", probe], { encoding: "utf8" });
  if (r.error) return `cannot run ip: ${r.error.message}`;
  if (r.status !== 0) return (r.stderr || `ip netns add exited ${r.status}`).trim();
  spawnSync("ip", ["netns", "del", probe]);
  return undefined;
}

/**
 * Creates a hub namespace holding a bridge, and one namespace per role wired to it by a veth pair.
 * Everything is created inside namespaces (nothing in the caller's); destroy() removes it all.
 */
export function createLab(roles: string[]): Lab {
  const tag = `ind${process.pid % 10000}${Math.floor(Math.random() * 1296).toString(36)}`;
  const subnet = `10.250.${1 + Math.floor(Math.random() * 254)}`;
  const hub = `${tag}-hub`;
  const ns: Record<string, string> = {};
  const addrs: Record<string, string> = {};
  const created: string[] = [];
  const destroy = () => {
    for (const name of created.splice(0).reverse()) {
      spawnSync("ip", ["netns", "del", name]);
      rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
    }
  };
  try {
    ip(["netns", "add", hub]);
    created.push(hub);
    ip(["-n", hub, "link", "add", "br0", "type", "bridge"]);
    ip(["-n", hub, "link", "set", "br0", "up"]);
    roles.forEach((role, i) => {
      const name = `${tag}-${role}`;
      ip(["netns", "add", name]);
      created.push(name);
      ns[role] = name;
      addrs[role] = `${subnet}.${10 + i}`;
      ip(["link", "add", `p${i}`, "netns", hub, "type", "veth", "peer", "name", "eth0", "netns", name]);
      ip(["-n", hub, "link", "set", `p${i}`, "master", "br0", "up"]);
      ip(["-n", name, "addr", "add", `${addrs[role]}/24`, "dev", "eth0"]);
      ip(["-n", name, "link", "set", "eth0", "up"]);
      ip(["-n", name, "link", "set", "lo", "up"]);
      // no default route in a namespace: mDNS multicast needs a route of its own
      ip(["-n", name, "route", "add", "224.0.0.0/4", "dev", "eth0"]);
      // The tests listen on fixed ports 50051-50099, inside Linux's default ephemeral range (32768-60999): a connection
      // an earlier test's process made from this address (its socket lingering in FIN_WAIT after a kill) could hold
      // one, and a listener's bind would fail "address already in use" (seen once, unexplained, in session 11's CI).
      // Outgoing connections in the lab take their ports above those instead.
      ipNetnsExec(name, ["sh", "-c", "echo '51000 60999' > /proc/sys/net/ipv4/ip_local_port_range"]);
    });
  } catch (e) {
    destroy();
    throw e;
  }
  const setResolver = (role: string, nameserver: string) => {
    const dir = `/etc/netns/${ns[role]!}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/resolv.conf`, `nameserver ${nameserver}\n`);
  };
  return { ns, ip: addrs, exec: (role) => ["ip", "netns", "exec", ns[role]!], setResolver, destroy };
}
