// Mock endpoints for the login flow (examples/login-flow.yaml): a login that hands out a token and a session cookie, a page that needs them, a redirect.

export interface LoginEndpoints {
  login(req: Request): Promise<Response>;
  me(req: Request): Response;
  redirect(req: Request): Response;
}

const JSON_HEADERS = { "content-type": "application/json" } as const;
const TOKEN_PREFIX = "tok_";

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** Tokens are self-contained (the user name, encoded): the mock keeps no state per login, however many there are. */
function tokenFor(username: string): string {
  return TOKEN_PREFIX + Buffer.from(username, "utf8").toString("base64url");
}

function userOf(token: string): string | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const name = Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString("utf8");
  return name === "" ? undefined : name;
}

export function createLoginEndpoints(): LoginEndpoints {
  let sessions = 0;
  return {
    /**
     * POST /api/login {"username": "...", "password": "..."} → 200 {"token", "user"} and Set-Cookie: session=…;
     * 400 without a username, 401 when the password is "wrong".
     */
    async login(req) {
      let body: { username?: unknown; password?: unknown } = {};
      try {
        body = (await req.json()) as typeof body;
      } catch {
        return json({ error: "send a JSON body: {\"username\": \"...\", \"password\": \"...\"}" }, 400);
      }
      const username = typeof body.username === "string" ? body.username : "";
      if (username === "") return json({ error: "username is required" }, 400);
      if (body.password === "wrong") return json({ error: "invalid credentials" }, 401);
      const session = `s${++sessions}`;
      return json({ token: tokenFor(username), user: { name: username } }, 200, { "set-cookie": `session=${session}; Path=/; HttpOnly` });
    },

    /** GET /api/me with Authorization: Bearer <token from /api/login> → 200 {"user", "session"}; 401 otherwise. */
    me(req) {
      const auth = req.headers.get("authorization") ?? "";
      const user = auth.startsWith("Bearer ") ? userOf(auth.slice(7).trim()) : undefined;
      if (user === undefined) return json({ error: "missing or invalid bearer token" }, 401, { "www-authenticate": "Bearer" });
      const session = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.get("cookie") ?? "")?.[1] ?? null;
      return json({ user: { name: user }, session });
    },

    /** GET /api/redirect?to=/path&status=302 → a redirect there (default /api/me, 302); to=self redirects to itself, forever. */
    redirect(req) {
      const url = new URL(req.url);
      const asked = url.searchParams.get("to") ?? "/api/me";
      const to = asked === "self" ? url.pathname + url.search : asked;
      const status = Number(url.searchParams.get("status") ?? 302);
      if (![301, 302, 303, 307, 308].includes(status)) return json({ error: "status must be 301, 302, 303, 307 or 308" }, 400);
      return new Response(null, { status, headers: { location: to } });
    },
  };
}
