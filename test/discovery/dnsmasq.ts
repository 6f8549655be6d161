// A real DNS server for tests: dnsmasq (Debian's dnsmasq-base) on 127.0.0.1, answering from a hosts file.
import { createSocket } from "node:dgram";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Resolver } from "node:dns/promises";

export interface Dnsmasq {
  /** "127.0.0.1:port", for Resolver.setServers / dnsServers */
  server: string;
  /** Replaces the hosts file ("ip name" lines) and makes dnsmasq re-read it (SIGHUP). */
  setHosts(lines: string[]): Promise<void>;
  stop(): Promise<void>;
}

export function findDnsmasq(): string | undefined {
  return Bun.which("dnsmasq") ?? ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"].find((p) => existsSync(p));
}

async function freeUdpPort(): Promise<number> {
  const sock = createSocket("udp4");
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  const { port } = sock.address();
  await new Promise<void>((r) => sock.close(() => r()));
  return port;
}

/** Starts dnsmasq authoritative for *.indus.test (unknown names: NXDOMAIN), with no upstream and no /etc/hosts. */
export async function startDnsmasq(binary: string, hosts: string[]): Promise<Dnsmasq> {
  const dir = mkdtempSync(join(tmpdir(), "indus-dns-"));
  chmodSync(dir, 0o755); // dnsmasq drops root to "nobody" before it re-reads the file on SIGHUP
  const file = join(dir, "hosts");
  const write = (lines: string[]) => {
    writeFileSync(file, lines.join("\n") + "\n");
    chmodSync(file, 0o644);
  };
  write(hosts);
  // dnsmasq binds TCP as well as UDP on its port: a port free for UDP may be taken for TCP by another
  // test's listener, so a start that fails with "Address already in use" tries another port.
  let started: { proc: ReturnType<typeof Bun.spawn>; server: string } | undefined;
  for (let attempt = 1; !started; attempt++) {
    const port = await freeUdpPort();
    const server = `127.0.0.1:${port}`;
    const proc = Bun.spawn(
      [
        binary, "--keep-in-foreground", "--conf-file=/dev/null", `--port=${port}`, "--listen-address=127.0.0.1",
        "--bind-interfaces", "--no-resolv", "--no-hosts", "--local=/indus.test/", `--addn-hosts=${file}`,
        "--pid-file=", "--log-facility=-",
      ],
      { stdout: "pipe", stderr: "pipe" },
    );
    const probe = new Resolver({ timeout: 200, tries: 1 });
    probe.setServers([server]);
    const ask = async () => {
      try {
        await probe.resolve4("ready.indus.test");
        return true;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === "ENOTFOUND"; // an answer: it is serving
      }
    };
    const deadline = Date.now() + 5000;
    let serving = false;
    while (!(serving = await ask())) {
      if (proc.exitCode !== null || Date.now() > deadline) break;
      await Bun.sleep(50);
    }
    if (serving) {
      started = { proc, server };
      break;
    }
    proc.kill();
    const stderr = await new Response(proc.stderr as ReadableStream).text();
    if (!stderr.includes("Address already in use") || attempt >= 5) throw new Error(`dnsmasq did not start: ${stderr}`);
  }
  const { proc, server } = started;
  return {
    server,
    async setHosts(lines) {
      write(lines);
      proc.kill("SIGHUP");
      await Bun.sleep(100);
    },
    async stop() {
      if (proc.exitCode === null) proc.kill("SIGTERM");
      await proc.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
