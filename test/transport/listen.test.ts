// Which listen addresses are loopback, and when listening without a token or TLS is refused.
import { describe, expect, test } from "bun:test";
import { IndusError } from "../../src/core/errors.ts";
import { assertSafeListen, hostOf, isLoopbackAddress, normalizeListenAddress } from "../../src/transport/grpc/listen.ts";

describe("isLoopbackAddress", () => {
  const cases: [string, boolean][] = [
    ["127.0.0.1:50052", true],
    ["127.0.0.1:0", true],
    ["127.8.9.10:1", true],
    ["localhost:50052", true],
    ["LOCALHOST", true],
    ["[::1]:50052", true],
    ["::1", true],
    ["[::ffff:127.0.0.1]:9", true],
    [":50052", false],
    ["0.0.0.0:50052", false],
    ["[::]:50052", false],
    ["10.0.0.5:50052", false],
    ["192.168.1.2:50052", false],
    ["agents.example.com:50052", false],
    ["128.0.0.1:1", false],
  ];
  for (const [address, loopback] of cases) test(`${address} → ${loopback}`, () => expect(isLoopbackAddress(address)).toBe(loopback));
});

describe("address parts", () => {
  test("hostOf", () => {
    expect(hostOf("h:1")).toBe("h");
    expect(hostOf(":1")).toBe("");
    expect(hostOf("[fe80::1]:9")).toBe("fe80::1");
    expect(hostOf("fe80::1")).toBe("fe80::1");
    expect(hostOf("h")).toBe("h");
  });
  test("':port' means every interface", () => {
    expect(normalizeListenAddress(":50052")).toBe("0.0.0.0:50052");
    expect(normalizeListenAddress("127.0.0.1:0")).toBe("127.0.0.1:0");
  });
});

describe("assertSafeListen", () => {
  const allowed: [string, Parameters<typeof assertSafeListen>[0]][] = [
    ["loopback without anything", { address: "127.0.0.1:50052" }],
    ["localhost without anything", { address: "localhost:0" }],
    ["all interfaces with a token", { address: ":50052", token: "s3cret" }],
    ["all interfaces with TLS", { address: "0.0.0.0:50052", tls: { cert: "c", key: "k" } }],
    ["all interfaces with --insecure", { address: ":50052", insecure: true }],
  ];
  for (const [name, opts] of allowed) test(`allows ${name}`, () => expect(() => assertSafeListen(opts)).not.toThrow());

  test("refuses all interfaces with neither token nor TLS, saying how to fix it", () => {
    let error: unknown;
    try {
      assertSafeListen({ address: ":50052", token: "", insecure: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IndusError);
    expect((error as Error).message).toBe("refusing to listen on 0.0.0.0:50052 without --token or TLS; pass --insecure to allow");
    expect((error as IndusError).exitCode).toBe(2);
  });

  test("refuses a LAN address too", () => {
    expect(() => assertSafeListen({ address: "192.168.1.20:50051" })).toThrow(/refusing to listen on 192\.168\.1\.20:50051/);
  });
});
