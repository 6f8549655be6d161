// How long status details may be: a gRPC status travels in an HTTP/2 trailer, which a megabyte of details never crossed.
import { describe, expect, test } from "bun:test";
import { MAX_STATUS_DETAILS, statusDetails } from "../../src/transport/grpc/channel.ts";

describe("statusDetails", () => {
  test("short details pass as they are; long ones are cut at a line end and say how much was cut", () => {
    expect(statusDetails("agent a is unreachable\nagent b is busy")).toBe("agent a is unreachable\nagent b is busy");
    const line = "x".repeat(99);
    const long = Array.from({ length: 1000 }, () => line).join("\n"); // 99,999 characters
    const cut = statusDetails(long);
    const kept = cut.split("\n").slice(0, -1);
    expect(kept.every((l) => l === line)).toBe(true); // whole lines only
    expect(kept.join("\n").length).toBeLessThanOrEqual(MAX_STATUS_DETAILS);
    expect(cut.split("\n").at(-1)).toBe(`… (${(long.length - kept.join("\n").length).toLocaleString("en-US")} more characters cut)`);
    // one line longer than the limit: cut inside it
    expect(statusDetails("y".repeat(MAX_STATUS_DETAILS + 10))).toBe(`${"y".repeat(MAX_STATUS_DETAILS)}\n… (10 more characters cut)`);
  });
});
