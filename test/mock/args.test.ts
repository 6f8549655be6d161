// parseMockArgs: the mock server's flags, good and bad.
import { describe, expect, test } from "bun:test";
import { parseMockArgs } from "../../src/mock/index.ts";

describe("parseMockArgs", () => {
  test("no flags: nothing set, defaults come from the server", () => {
    expect(parseMockArgs([])).toEqual({});
  });

  test.each([
    [["--port", "9000"], { port: 9000 }],
    [["--port=0"], { port: 0 }],
    [["-p", "8081"], { port: 8081 }],
    [["--host", "0.0.0.0"], { hostname: "0.0.0.0" }],
    [["--latency", "50"], { latency: 50 }],
    [["--latency", "50ms"], { latency: 50 }],
    [["--latency=1.5s"], { latency: 1500 }],
    [["--latency", "12.5"], { latency: 12.5 }],
    [["--jitter", "10ms"], { jitter: 10 }],
    [["--error-rate", "0.05"], { errorRate: 0.05 }],
    [["--error-rate", "5%"], { errorRate: 0.05 }],
    [["--error-rate", "1"], { errorRate: 1 }],
    [["--seed", "7"], { seed: 7 }],
    [["--quiet"], { quiet: true }],
    [
      ["--port", "0", "--latency", "20ms", "--jitter", "0", "--error-rate", "0", "--host", "127.0.0.1"],
      { port: 0, latency: 20, jitter: 0, errorRate: 0, hostname: "127.0.0.1" },
    ],
  ] as const)("%p", (argv, expected) => {
    expect(parseMockArgs([...argv])).toEqual(expected);
  });

  test.each([
    [["--port", "abc"], /--port: expected an integer 0\.\.65535, got "abc"/],
    [["--port", "70000"], /--port/],
    [["--port", "80.5"], /--port/],
    [["--latency", "fast"], /--latency: expected milliseconds or a duration like 50ms, got "fast"/],
    [["--latency=-5"], /--latency/],
    [["--latency", "5x"], /--latency/],
    [["--jitter", ""], /--jitter/],
    [["--error-rate", "1.5"], /--error-rate: expected a fraction 0\.\.1/],
    [["--error-rate", "150%"], /--error-rate/],
    [["--error-rate", "lots"], /--error-rate/],
    [["--seed", "-1"], /--seed/],
    [["--host="], /--host/],
    [["--bogus"], /bogus/],
    [["stray"], /stray/],
  ] as const)("rejects %p", (argv, message) => {
    expect(() => parseMockArgs([...argv])).toThrow(message);
    try {
      parseMockArgs([...argv]);
    } catch (err) {
      expect((err as Error).constructor).toBe(Error);
    }
  });
});
