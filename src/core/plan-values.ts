// The values a plan writes, as zod schemas: durations ("30s" → ms), VU counts, rates, strict mappings.
// Shared by the plan's schema (src/plan) and each load profile's own fields (src/schedule).
import { z } from "zod";
import { formatDuration, parseDuration } from "./duration.ts";

// "0" alone, or number+unit parts: "200ms", "1.5s", "1h30m". Mirrors parseDuration, and shows in the JSON Schema.
const DURATION_PATTERN = /^(0|(\d+(\.\d+)?(ms|s|m|h))+)$/;

/** A mapping that refuses keys it does not define (each one is reported with a "did you mean"). */
export function mapping<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, { error: "must be a mapping of keys to values" });
}

/** A duration string turned into milliseconds, at least `minMs`. */
export function duration(minMs: number) {
  return z
    .string({
      error: (issue) =>
        typeof issue.input === "number"
          ? `is not a duration: it needs a unit (write "${issue.input}s" or "${issue.input}ms")`
          : `is not a duration (examples: 30s, 2m, 1h30m)`,
    })
    .regex(DURATION_PATTERN, { error: "is not a duration (examples: 30s, 2m, 1h30m)" })
    .transform((text, ctx) => {
      const ms = parseDuration(text) ?? 0; // the pattern has already admitted it
      if (ms < minMs) ctx.addIssue({ code: "custom", input: text, message: `must be at least ${formatDuration(minMs)}` });
      return ms;
    });
}

/** A VU count: a whole number, at least `min`. */
export function vuCount(min: 0 | 1) {
  const message = min === 0 ? "must be a non-negative integer" : "must be a positive integer";
  return z.int({ error: message }).min(min, { error: message });
}

/** Iterations per time_unit: a number (not only whole: 0.5 per 1s is one every 2 s). */
export function rateValue(positive: boolean) {
  const message = positive ? "must be a number above 0 (iterations per time_unit)" : "must be a number, 0 or more (iterations per time_unit)";
  const n = z.number({ error: message });
  return positive ? n.positive({ error: message }) : n.min(0, { error: message });
}
