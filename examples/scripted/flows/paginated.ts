// Walks every page of /api/items, following `next`: a loop the number of requests of which the response decides.
import type { VU } from "indus";

export default async function (vu: VU) {
  const base = vu.env.TARGET_URL ?? "http://localhost:8080";
  let page: number | null = 1;
  let seen = 0;
  while (page !== null) {
    const r = await vu.http.get(`${base}/api/items`, { query: { page }, step: "page" });
    if (!vu.check("page answered", r.status === 200)) return;
    const body = r.json() as { items: unknown[]; next: number | null };
    seen += body.items.length;
    page = body.next;
  }
  vu.check("saw every item", seen === 100);
}
