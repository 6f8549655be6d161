// A slow pipe reader: takes stdin 16 KiB at a time with a pause after each read and writes it to the file named.
// What a CI step's `| jq` or `| tee` does to indus when it reads slower than indus prints. With a second
// argument it reads nothing until that file exists: a reader that has fallen behind.
import { closeSync, existsSync, openSync, readSync, writeSync } from "node:fs";

const out = openSync(process.argv[2]!, "w");
const startWhen = process.argv[3];
while (startWhen !== undefined && !existsSync(startWhen)) Bun.sleepSync(5);
const buffer = Buffer.alloc(16 * 1024);
for (;;) {
  let n: number;
  try {
    n = readSync(0, buffer);
  } catch (e) {
    if ((e as { code?: string }).code !== "EAGAIN") throw e;
    Bun.sleepSync(1);
    continue;
  }
  if (n === 0) break;
  writeSync(out, buffer, 0, n);
  Bun.sleepSync(2);
}
closeSync(out);
