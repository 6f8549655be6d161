// Who may look and who may act: the Host check against DNS rebinding, the token away from loopback, and the same-origin POST rule.
import { nodeCrypto } from "../../core/builtins.ts";

export interface GuardOptions {
  /** the UI listens on a loopback address only */
  loopback: boolean;
  /** required from every request when the UI is not on loopback */
  token: string | undefined;
  tls: boolean;
}

export type Verdict = { ok: true; setCookie?: string; redirect?: string } | { ok: false; status: number; message: string };

const COOKIE = "indus_token";
const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "::1" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && nodeCrypto().timingSafeEqual(x, y);
}

function cookieToken(req: Request): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === COOKIE) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/** May this request read the dashboard at all? A `?token=` on a page sets the cookie and drops the token from the address. */
export function admit(req: Request, url: URL, o: GuardOptions): Verdict {
  const host = req.headers.get("host") ?? "";
  // a page on loopback answers only to loopback names: another site's name resolving to 127.0.0.1 cannot read it
  if (o.loopback && !LOOPBACK_HOSTS.test(host)) return { ok: false, status: 421, message: `host ${host} is not this dashboard's (it listens on loopback only)` };
  if (o.loopback || o.token === undefined) return { ok: true };
  const bearer = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1];
  const given = url.searchParams.get("token") ?? bearer ?? cookieToken(req);
  if (given === undefined || !same(given, o.token)) return { ok: false, status: 401, message: "this dashboard needs the controller's token: open it once as /?token=TOKEN" };
  if (url.searchParams.has("token") && req.method === "GET") {
    const clean = new URL(url);
    clean.searchParams.delete("token");
    const cookie = `${COOKIE}=${encodeURIComponent(given)}; Path=/; HttpOnly; SameSite=Strict${o.tls ? "; Secure" : ""}`;
    return { ok: true, setCookie: cookie, redirect: clean.pathname + clean.search };
  }
  return { ok: true };
}

/**
 * May this POST act? Only from a page of this very dashboard: the Origin must be ours (a browser always sends it on
 * a cross-site POST), a cross-site fetch metadata header is refused, and the custom header forces a CORS preflight
 * that is never granted. The token itself was checked by admit() away from loopback.
 */
export function allowAction(req: Request, url: URL, action: string): Verdict {
  const origin = req.headers.get("origin");
  if (origin === null || origin !== url.origin) return { ok: false, status: 403, message: `refused: origin ${origin ?? "(none)"} is not ${url.origin}` };
  const site = req.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin") return { ok: false, status: 403, message: `refused: a ${site} request` };
  if (req.headers.get("x-indus-action") !== action) return { ok: false, status: 403, message: "refused: missing X-Indus-Action header" };
  return { ok: true };
}
