// bench/perf-jit.ts reads JSC's jitdump (perf's format) into perf map lines: a synthetic dump, built to the format.
import { describe, expect, test } from "bun:test";
import { jitdumpToPerfMap } from "../../bench/perf-jit.ts";

/** A jitdump header (40 bytes) and one record per [id, address, size, name]; code bytes follow a load's name. */
function dump(pid: number, records: [number, bigint, bigint, string][]): Uint8Array {
  const parts: Uint8Array[] = [];
  const header = new DataView(new ArrayBuffer(40));
  header.setUint32(0, 0x4a695444, true); // "JiTD"
  header.setUint32(4, 1, true);
  header.setUint32(8, 40, true);
  header.setUint32(12, 62, true); // EM_X86_64
  header.setUint32(20, pid, true);
  parts.push(new Uint8Array(header.buffer));
  for (const [id, address, size, name] of records) {
    const nameBytes = new TextEncoder().encode(name + "\0");
    const code = id === 0 ? Number(size) : 0;
    const body = id === 0 ? 40 + nameBytes.length + code : 8;
    const record = new DataView(new ArrayBuffer(16 + body));
    record.setUint32(0, id, true);
    record.setUint32(4, 16 + body, true);
    if (id === 0) {
      record.setUint32(16, pid, true);
      record.setBigUint64(24, address, true); // vma
      record.setBigUint64(32, address, true); // code address
      record.setBigUint64(40, size, true);
      new Uint8Array(record.buffer).set(nameBytes, 56);
    }
    parts.push(new Uint8Array(record.buffer));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("jitdumpToPerfMap", () => {
  test("each code load becomes `address size name`; other records are skipped", () => {
    const bytes = dump(4242, [
      [0, 0x7f0a147d9000n, 0x180n, "JSC-DFG: readHead#EZ5SQS"],
      [3, 0n, 0n, ""], // a code-close or debug record: not code
      [0, 0x7f0a147da000n, 0x40n, "JSC-Baseline: <name not materialized>#Al3IbU"],
    ]);
    expect(jitdumpToPerfMap(bytes)).toEqual({
      pid: 4242,
      lines: ["7f0a147d9000 180 JSC-DFG: readHead#EZ5SQS", "7f0a147da000 40 JSC-Baseline: <name not materialized>#Al3IbU"],
    });
  });

  test("a file that is not a jitdump is refused", () => {
    expect(() => jitdumpToPerfMap(new Uint8Array(64))).toThrow("not a jitdump");
  });
});
