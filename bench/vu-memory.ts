// Memory per idle VU: N VUs with a long think time against a pinned nginx, in this thread; RSS and JS heap per VU,
// and which object types each VU adds (bun:jsc heapStats). Each VU holds its keep-alive socket.
//   npx bun bench/vu-memory.ts [vus=15000]   (the open-file limit bounds vus)
import { heapStats } from "bun:jsc";
import { createRealClock } from "../src/core/clock.ts";
import { createEngine } from "../src/engine/index.ts";
import { createInThreadExecutor } from "../src/engine/runner/executor.ts";
import { parsePlan } from "../src/plan/index.ts";
import { startNginx, STATIC_FILE } from "./support/nginx.ts";
import { which } from "./support/tools.ts";

const vus = Number(process.argv[2] ?? 15_000);
const nginxBin = which("nginx");
if (!nginxBin) throw new Error("nginx is missing: npx bun bench/run.ts --install installs it");
const nginx = await startNginx(nginxBin, 0);
try {
  const plan = parsePlan(
    `name: vu-memory
scenarios:
  idle:
    duration: 60s
    think_time: 30s
    profile: { type: constant, vus: ${vus} }
    steps:
      - { name: get, url: "${nginx.url(STATIC_FILE)}", timeout: 10s }
`,
    "vu-memory.yaml",
  );
  Bun.gc(true);
  const before = { heap: heapStats(), rss: process.memoryUsage().rss };
  const executor = createInThreadExecutor(plan, createEngine("socket"), createRealClock());
  executor.setVus("idle", vus);
  await Bun.sleep(4000); // started (spread over 1 s), one request each, now thinking
  await executor.takeDelta();
  Bun.gc(true);
  const after = { heap: heapStats(), rss: process.memoryUsage().rss };
  const perVu = (a: number, b: number) => Math.round((b - a) / vus);
  const types = Object.entries(after.heap.objectTypeCounts)
    .map(([type, n]) => [type, (n - (before.heap.objectTypeCounts[type] ?? 0)) / vus] as const)
    .filter(([, n]) => n >= 0.5)
    .sort((a, b) => b[1] - a[1]);
  console.log(
    JSON.stringify({
      vus,
      rssBytesPerVu: perVu(before.rss, after.rss),
      heapBytesPerVu: perVu(before.heap.heapSize, after.heap.heapSize),
      objectsPerVu: Object.fromEntries(types.map(([t, n]) => [t, Number(n.toFixed(2))])),
    }),
  );
  await executor.stop("abort");
} finally {
  await nginx.stop();
}
process.exit(0);
