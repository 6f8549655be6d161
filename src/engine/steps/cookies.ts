// A VU's cookie jar: what Set-Cookie stored, sent back as one Cookie header to the hosts and paths it is for.

interface Cookie {
  name: string;
  value: string;
  /** lower case; with hostOnly, the exact host that set it */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  /** epoch ms; Infinity for a session cookie */
  expires: number;
}

/**
 * RFC 6265 in the parts a load test meets: Domain, Path, Max-Age, Expires, Secure. One jar per VU,
 * emptied when the VU is; `size` lets a request with nothing to send skip the jar entirely.
 */
export class CookieJar {
  private cookies: Cookie[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.cookies.length;
  }

  /** Takes a response's Set-Cookie values, for the URL that answered. */
  store(setCookies: readonly string[], url: URL): void {
    for (const line of setCookies) {
      const cookie = parseSetCookie(line, url, this.now());
      if (cookie === undefined) continue;
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path));
      if (cookie.expires > this.now()) this.cookies.push(cookie);
    }
  }

  /** The Cookie header for a request to url, or null when no cookie applies. */
  header(url: URL): string | null {
    if (this.cookies.length === 0) return null;
    const now = this.now();
    const host = url.hostname.toLowerCase();
    const path = url.pathname || "/";
    const secure = url.protocol === "https:";
    const matching = this.cookies
      .filter((c) => c.expires > now && domainMatches(c, host) && pathMatches(c.path, path) && (!c.secure || secure))
      // longer paths first, as RFC 6265 §5.4 asks
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length === 0 ? null : matching.map((c) => `${c.name}=${c.value}`).join("; ");
  }

  /** A cookie's value by name (for `extract: { cookie: NAME }`), whatever its domain. */
  get(name: string): string | undefined {
    const now = this.now();
    return this.cookies.find((c) => c.name === name && c.expires > now)?.value;
  }

  clear(): void {
    this.cookies = [];
  }
}

/** One Set-Cookie value as a cookie; undefined when it is not one (or is for another domain). */
export function parseSetCookie(line: string, url: URL, now: number): Cookie | undefined {
  const [pair = "", ...attributes] = line.split(";");
  const eq = pair.indexOf("=");
  if (eq <= 0) return undefined;
  const host = url.hostname.toLowerCase();
  const cookie: Cookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    domain: host,
    hostOnly: true,
    path: defaultPath(url.pathname),
    secure: false,
    expires: Infinity,
  };
  let maxAgeSeen = false;
  for (const attribute of attributes) {
    const at = attribute.indexOf("=");
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? "" : attribute.slice(at + 1).trim();
    switch (key) {
      case "domain": {
        const domain = value.replace(/^\./, "").toLowerCase();
        if (domain === "") break;
        // a server may not set cookies for a domain it is not part of
        if (host !== domain && !host.endsWith(`.${domain}`)) return undefined;
        cookie.domain = domain;
        cookie.hostOnly = false;
        break;
      }
      case "path":
        if (value.startsWith("/")) cookie.path = value;
        break;
      case "secure":
        cookie.secure = true;
        break;
      case "max-age": {
        const seconds = Number(value);
        if (!/^-?\d+$/.test(value)) break;
        cookie.expires = seconds <= 0 ? -Infinity : now + seconds * 1000;
        maxAgeSeen = true;
        break;
      }
      case "expires": {
        const at = Date.parse(value);
        if (!maxAgeSeen && !Number.isNaN(at)) cookie.expires = at;
        break;
      }
    }
  }
  return cookie;
}

function domainMatches(c: Cookie, host: string): boolean {
  return c.hostOnly ? host === c.domain : host === c.domain || host.endsWith(`.${c.domain}`);
}

function pathMatches(cookiePath: string, path: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || path[cookiePath.length] === "/";
}

/** RFC 6265 §5.1.4: the request path up to its last "/". */
function defaultPath(path: string): string {
  if (!path.startsWith("/")) return "/";
  const last = path.lastIndexOf("/");
  return last <= 0 ? "/" : path.slice(0, last);
}
