// THE encoding of the run model as text: every field of RunResult travels and is stored through it, so a field
// added to the model flows through the wire (gRPC) and the store (SQLite) without a hand-written mirror.
import type { RunResult } from "./types.ts";

/*
 * JSON, with what JSON cannot hold tagged: a non-finite number as {"$num": "NaN"}, bytes (histograms) as
 * {"$b64": "..."}, a Date as its ISO string (startedAt is the only one and is read back as a Date).
 * Keys whose value is undefined are dropped by JSON; decodeRun puts back the model's required ones.
 */

export function encodeRun(result: RunResult, options: { timeline: boolean }): string {
  const value = options.timeline ? result : { ...result, timeline: [] };
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === "number" && !Number.isFinite(v)) return { $num: String(v) };
    if (v instanceof Uint8Array) return { $b64: Buffer.from(v).toString("base64") };
    return v;
  });
}

export function decodeRun(json: string): RunResult {
  const parsed = JSON.parse(json, (_k, v) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      if (typeof v.$b64 === "string" && Object.keys(v).length === 1) return new Uint8Array(Buffer.from(v.$b64, "base64"));
      if (typeof v.$num === "string" && Object.keys(v).length === 1) return Number(v.$num);
    }
    return v;
  }) as RunResult;
  parsed.startedAt = new Date(parsed.startedAt);
  // required keys that may hold undefined
  parsed.reason = parsed.reason ?? undefined;
  for (const t of parsed.thresholds) t.firstFailedAtMs = t.firstFailedAtMs ?? undefined;
  return parsed;
}
