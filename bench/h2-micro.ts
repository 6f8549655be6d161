// CPU per request: a bare node:http2 client loop under Bun vs indus's HTTP/2 engine, both against an h2c Node server in a child process.
//   taskset -c 1 npx bun bench/h2-micro.ts
import http2 from "node:http2";
import { createH2Engine, prepareRequest } from "../src/engine/index.ts";
const child = Bun.spawn(["node", "-e", `
const http2 = require("node:http2");
const s = http2.createServer(); s.on("stream", (st) => { st.respond({":status":200,"content-length":"3"}); st.end("ok\\n"); });
s.listen(0, "127.0.0.1", () => console.log(s.address().port));`], { stdout: "pipe" });
const reader = child.stdout.getReader();
const port = Number(new TextDecoder().decode((await reader.read()).value).trim());
const url = `http://127.0.0.1:${port}/`;
const N = 64, PER = 400;
async function raw() {
  const sessions = Array.from({ length: N }, () => http2.connect(url));
  const t0 = process.cpuUsage();
  await Promise.all(sessions.map(async (s) => { for (let i = 0; i < PER; i++) await new Promise<void>((res) => { const r = s.request({ ":path": "/" }); r.on("data", () => {}); r.on("close", () => res()); r.end(); }); }));
  const u = process.cpuUsage(t0); sessions.forEach((s) => s.close());
  return (u.user + u.system) / (N * PER);
}
async function engine() {
  const e = createH2Engine({ http: "2" });
  const clients = Array.from({ length: N }, () => e.createClient());
  const req = prepareRequest({ method: "GET", url, headers: {}, timeout: 5000 });
  const ac = new AbortController();
  await Promise.all(clients.map((c) => c.send(req, ac.signal)));
  const t0 = process.cpuUsage();
  await Promise.all(clients.map(async (c) => { for (let i = 0; i < PER; i++) await c.send(req, ac.signal); }));
  const u = process.cpuUsage(t0); clients.forEach((c) => c.close());
  return (u.user + u.system) / (N * PER);
}
for (let k = 0; k < 2; k++) console.log("raw µs/req", (await raw()).toFixed(1), "engine µs/req", (await engine()).toFixed(1));
child.kill();
process.exit(0);
