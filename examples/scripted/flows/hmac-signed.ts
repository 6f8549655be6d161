// Signs each request's body and timestamp with HMAC-SHA256; the secret comes from the environment (SIGNING_SECRET).
import type { VU } from "indus";
import { sign } from "./lib/sign.ts";

export default async function (vu: VU) {
  const base = vu.env.TARGET_URL ?? "http://localhost:8080";
  const secret = vu.env.SIGNING_SECRET ?? "indus-demo-secret";
  const body = JSON.stringify({ vu: vu.id, iteration: vu.iteration, at: Date.now() });
  const timestamp = String(Date.now());
  const r = await vu.http.post(`${base}/api/signed`, body, {
    step: "signed",
    headers: { "Content-Type": "application/json", "X-Timestamp": timestamp, "X-Signature": sign(secret, `${timestamp}.${body}`) },
  });
  vu.check("signature accepted", r.status === 200);
}
