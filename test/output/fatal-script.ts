// For fatal.test.ts: 3 MB on stdout through processIo, then an exception nothing catches.
import { processIo } from "../../src/cli/io.ts";

const io = processIo();
for (let i = 0; i < 3000; i++) io.stdout.write(`${String(i).padStart(4, "0")} ${"y".repeat(1019)}\n`);
setTimeout(() => {
  throw new Error("boom after the output");
}, 0);
