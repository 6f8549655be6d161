// Mock endpoints for the scripted examples: a paginated list and a request that must carry an HMAC signature.
import { nodeCrypto } from "../core/builtins.ts";

/** The secret examples/scripted/flows/hmac-signed.ts signs with (SIGNING_SECRET), unless the mock is told another. */
export const DEMO_SIGNING_SECRET = "indus-demo-secret";
/** /api/items pages: ITEM_PAGES pages of PAGE_SIZE items. */
export const ITEM_PAGES = 5;
export const PAGE_SIZE = 20;

const JSON_HEADERS = { "content-type": "application/json" } as const;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

/** GET /api/items?page=N (1-based) → {"items": [...], "page": N, "next": N+1 or null}; 400 for a page out of range. */
export function itemsPage(req: Request): Response {
  const text = new URL(req.url).searchParams.get("page") ?? "1";
  const page = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(page >= 1 && page <= ITEM_PAGES)) return json({ error: `page must be 1..${ITEM_PAGES}` }, 400);
  const items = Array.from({ length: PAGE_SIZE }, (_, i) => ({ id: (page - 1) * PAGE_SIZE + i + 1 }));
  return json({ items, page, next: page < ITEM_PAGES ? page + 1 : null });
}

/**
 * POST /api/signed with X-Timestamp: <ms> and X-Signature: hex(HMAC-SHA256(secret, "<timestamp>.<body>"))
 * → 200 {"verified": true}; 401 when the signature is missing or wrong.
 */
export async function signedRequest(req: Request, secret = DEMO_SIGNING_SECRET): Promise<Response> {
  const body = await req.text();
  const timestamp = req.headers.get("x-timestamp") ?? "";
  const signature = req.headers.get("x-signature") ?? "";
  const want = nodeCrypto().createHmac("sha256", secret).update(`${timestamp}.${body}`).digest();
  const got = Buffer.from(signature, "hex");
  if (timestamp === "" || got.length !== want.length || !nodeCrypto().timingSafeEqual(got, want)) return json({ error: "bad signature" }, 401);
  return json({ verified: true, bytes: body.length });
}
