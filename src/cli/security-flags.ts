// --token, --tls-cert, --tls-key, --tls-ca, --insecure: shared by controller, agent and the CLI client.
import { readFileSync } from "node:fs";
import { IndusError } from "../core/errors.ts";
import type { CliIo } from "./io.ts";

export const securityFlags = {
  token: { type: "string", description: "Shared token sent/required as gRPC metadata (env INDUS_TOKEN)" },
  "token-file": { type: "string", description: "Read the token from this file, e.g. a mounted secret (env INDUS_TOKEN_FILE)" },
  "tls-cert": { type: "string", description: "PEM certificate (server: its own; client: for mutual TLS)" },
  "tls-key": { type: "string", description: "PEM private key for --tls-cert" },
  "tls-ca": { type: "string", description: "PEM CA (server: require client certificates; client: trust this CA)" },
} as const;

export const insecureFlag = {
  insecure: { type: "boolean", description: "Allow listening on a non-loopback address without token or TLS", default: false },
} as const;

export interface Security {
  token: string | undefined;
  tls: { cert?: string; key?: string; ca?: string } | undefined;
}

function readPem(flag: string, path: unknown): string | undefined {
  if (path === undefined || path === "") return undefined;
  try {
    return readFileSync(String(path), "utf8");
  } catch (e) {
    throw new IndusError("bad_flag", `--${flag}: cannot read ${path}: ${(e as Error).message}`);
  }
}

/** --token, else INDUS_TOKEN, else the file named by --token-file or INDUS_TOKEN_FILE (kept off the command line and `docker inspect`). */
function tokenFrom(io: CliIo, args: Record<string, unknown>): string | undefined {
  const direct = (args.token as string | undefined) || io.env.INDUS_TOKEN;
  if (direct) return direct;
  const flag = args["token-file"] ? "--token-file" : "INDUS_TOKEN_FILE";
  const path = (args["token-file"] as string | undefined) || io.env.INDUS_TOKEN_FILE;
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new IndusError("bad_flag", `${flag}: cannot read ${path}: ${(e as Error).message}`);
  }
  const token = text.trim(); // secrets written with `echo` end in a newline
  if (!token) throw new IndusError("bad_flag", `${flag}: ${path} is empty`, { hint: "write the shared token into it, e.g. openssl rand -hex 32 > token" });
  return token;
}

export function securityFromFlags(io: CliIo, args: Record<string, unknown>): Security {
  const token = tokenFrom(io, args);
  const cert = readPem("tls-cert", args["tls-cert"]);
  const key = readPem("tls-key", args["tls-key"]);
  const ca = readPem("tls-ca", args["tls-ca"]);
  if ((cert === undefined) !== (key === undefined)) {
    throw new IndusError("bad_flag", "--tls-cert and --tls-key go together: give both or neither");
  }
  const tls = cert || key || ca ? { ...(cert && { cert }), ...(key && { key }), ...(ca && { ca }) } : undefined;
  return { token, tls };
}

/** Server-side TLS needs a certificate; a CA alone means nothing there. */
export function serverTls(security: Security): { cert: string; key: string; ca?: string } | undefined {
  const t = security.tls;
  if (!t) return undefined;
  if (!t.cert || !t.key) throw new IndusError("bad_flag", "a server needs --tls-cert and --tls-key for TLS (--tls-ca alone only checks client certificates)");
  return { cert: t.cert, key: t.key, ...(t.ca && { ca: t.ca }) };
}
