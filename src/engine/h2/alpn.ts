// `http: auto` over TLS: ask the server by ALPN whether it speaks h2, once per origin and engine.
import { nodeTls } from "../../core/builtins.ts";
import { nodeTlsOptions, type TlsSettings } from "../tls.ts";

export type Negotiated = "h2" | "http/1.1";

/**
 * Remembers each origin's answer. A failed probe is not remembered: the request then goes over h2 and
 * fails there with its proper class (refused, tls, ...).
 */
export function createAlpnCache(tls: TlsSettings) {
  const known = new Map<string, Promise<Negotiated>>();
  return (origin: string, hostname: string, port: number): Promise<Negotiated> => {
    let answer = known.get(origin);
    if (answer === undefined) {
      answer = probe(hostname, port, tls);
      known.set(origin, answer);
      answer.catch(() => known.delete(origin));
    }
    return answer.catch((): Negotiated => "h2");
  };
}

function probe(host: string, port: number, tls: TlsSettings): Promise<Negotiated> {
  return new Promise((resolve, reject) => {
    const socket = nodeTls().connect({ host, port, ALPNProtocols: ["h2", "http/1.1"], ...nodeTlsOptions(tls, host) });
    socket.once("secureConnect", () => {
      resolve(socket.alpnProtocol === "h2" ? "h2" : "http/1.1");
      socket.destroy();
    });
    socket.once("error", reject);
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error("ALPN probe timed out"));
    });
  });
}
