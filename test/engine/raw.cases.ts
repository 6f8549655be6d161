// Engine cases that need a misbehaving server (or none): raw TCP servers started per case.
import { afterAll, expect, test } from "bun:test";
import type { HttpClient } from "../../src/engine/index.ts";
import type { EngineSubject } from "./engine.cases.ts";
import { req, send } from "./helpers.ts";
import { startRawServer, writeSlowly, type RawConnection, type RawServer } from "./raw-server.ts";

/** Cases that need a misbehaving server (or none): raw TCP servers started per case. */
export function registerRawCases(subject: EngineSubject, client: () => HttpClient): void {
  const servers: RawServer[] = [];
  const raw = (handler: Parameters<typeof startRawServer>[0]) => {
    const server = startRawServer(handler);
    servers.push(server);
    return server;
  };
  const url = (server: RawServer, path = "/") => `http://127.0.0.1:${server.port}${path}`;
  afterAll(() => {
    for (const s of servers) s.stop();
  });

  const RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

  test("request bytes: request line, Host, User-Agent, headers, Content-Length, body", async () => {
    let seen: RawConnection | null = null;
    const server = raw((socket, conn) => {
      seen = conn;
      socket.write(RESPONSE);
    });
    const c = client();
    const r = await send(c, req(url(server, "/path?q=1"), { method: "POST", body: "abc", headers: { "X-Test": "yes" } }));
    await Bun.sleep(20); // the body may arrive after the head
    const received = (seen as RawConnection | null)?.received ?? "";
    expect(r.error).toBeNull();
    expect(received.startsWith("POST /path?q=1 HTTP/1.1\r\n")).toBe(true);
    const lower = received.toLowerCase();
    expect(lower).toContain(`host: 127.0.0.1:${server.port}\r\n`);
    expect(lower).toContain("user-agent: indus/0.1\r\n");
    expect(lower).toContain("x-test: yes\r\n");
    expect(lower).toContain("content-length: 3\r\n");
    expect(received.endsWith("\r\n\r\nabc")).toBe(true);
    if (subject.exact) {
      expect(lower).toContain("connection: keep-alive\r\n");
      expect(r.bytesOut).toBe(received.length);
      expect(r.bytesIn).toBe(RESPONSE.length);
    }
  });

  test("server closes after each response without saying so: reconnect", async () => {
    const server = raw((socket) => {
      socket.write(RESPONSE);
      socket.end();
    });
    const c = client();
    for (let i = 0; i < 3; i++) {
      const r = await send(c, req(url(server)));
      expect(r.error).toBeNull();
      expect(r.status).toBe(200);
      if (subject.exact) expect(r.connected).toBe(true);
      await Bun.sleep(30);
    }
    expect(server.accepted).toBe(3);
  });

  test("server closes a reused connection before responding: retried once on a new connection", async () => {
    const server = raw((socket, conn) => {
      if (conn.requests === 1) socket.write(RESPONSE);
      else socket.end(); // the idle-close race, made certain
    });
    const c = client();
    const first = await send(c, req(url(server)));
    expect(first.error).toBeNull();
    const second = await send(c, req(url(server)));
    expect(second.error).toBeNull();
    expect(second.status).toBe(200);
    if (subject.exact) {
      expect(second.connected).toBe(true);
      expect(second.bytesIn).toBe(RESPONSE.length);
    }
    expect(server.accepted).toBe(2);
  });

  test("requests alternating between two origins all succeed", async () => {
    const a = raw((socket) => socket.write(RESPONSE));
    const b = raw((socket) => socket.write(RESPONSE));
    const c = client();
    for (let i = 0; i < 4; i++) {
      const r = await send(c, req(url(i % 2 === 0 ? a : b)));
      expect(r.error).toBeNull();
      expect(r.status).toBe(200);
    }
    expect(a.accepted + b.accepted).toBeGreaterThanOrEqual(2);
  });

  test("a fresh connection closed before any response: reset, no retry", async () => {
    const server = raw((socket) => socket.end());
    const c = client();
    const r = await send(c, req(url(server)));
    expect(r.error).toBe("reset");
    expect(server.accepted).toBe(1);
  });

  test("close-delimited body (neither length nor chunked)", async () => {
    const body = "close delimited ".repeat(1000);
    const head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n";
    const server = raw((socket) => {
      void writeSlowly(socket, [head, body.slice(0, 5000), body.slice(5000)]).then(() => socket.end());
    });
    const c = client();
    const r = await send(c, req(url(server)));
    expect(r.error).toBeNull();
    expect(r.status).toBe(200);
    if (subject.exact) expect(r.bytesIn).toBe(head.length + body.length);
    const again = await send(c, req(url(server)));
    expect(again.error).toBeNull();
    if (subject.exact) expect(again.connected).toBe(true);
  });

  test("100 Continue before the final response is skipped", async () => {
    const interim = "HTTP/1.1 100 Continue\r\n\r\n";
    const server = raw((socket) => {
      void writeSlowly(socket, [interim, RESPONSE]);
    });
    const c = client();
    const r = await send(c, req(url(server)));
    expect(r.error).toBeNull();
    expect(r.status).toBe(200);
    if (subject.exact) expect(r.bytesIn).toBe(interim.length + RESPONSE.length);
    const again = await send(c, req(url(server)));
    expect(again.status).toBe(200);
    if (subject.exact) expect(again.connected).toBe(false);
  });

  test("chunked with extensions and trailers, split in small pieces", async () => {
    const response =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n" +
      "5;name=value\r\nhello\r\n" +
      "A\r\n0123456789\r\n" +
      "0\r\nX-Sum: 15\r\n\r\n";
    const server = raw((socket) => {
      const pieces: string[] = [];
      for (let i = 0; i < response.length; i += 7) pieces.push(response.slice(i, i + 7));
      void writeSlowly(socket, pieces, 1);
    });
    const c = client();
    for (let i = 0; i < 2; i++) {
      const r = await send(c, req(url(server)));
      expect(r.error).toBeNull();
      expect(r.status).toBe(200);
      if (subject.exact) {
        expect(r.bytesIn).toBe(response.length);
        expect(r.connected).toBe(i === 0);
      }
    }
  });

  test("server resets the connection mid-response: reset", async () => {
    const server = raw((socket) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial");
      setTimeout(() => socket.terminate(), 20);
    });
    const c = client();
    const r = await send(c, req(url(server)));
    expect(r.error).toBe("reset");
    expect(r.status).toBe(0);
  });

  test("server ends the connection mid-body: reset", async () => {
    const server = raw((socket) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial");
      setTimeout(() => socket.end(), 20);
    });
    const r = await send(client(), req(url(server)));
    expect(r.error).toBe("reset");
  });

  test("malformed response: protocol, and the connection is not reused", async () => {
    const server = raw((socket, conn) => {
      socket.write(conn.index === 0 ? "SMTP ready\r\n\r\n" : RESPONSE);
    });
    const c = client();
    const r = await send(c, req(url(server), { timeout: 1000 }));
    expect(r.status).toBe(0);
    // Bun's fetch keeps waiting for a status line that will never come.
    if (subject.exact) expect(r.error).toBe("protocol");
    else expect(["other", "reset", "timeout", "protocol"]).toContain(r.error!);
    const next = await send(c, req(url(server)));
    expect(next.status).toBe(200);
    if (subject.exact) {
      expect(next.connected).toBe(true);
      expect(server.accepted).toBe(2);
    }
  });

  for (const [name, response] of [
    ["status 000", "HTTP/1.1 000 Zero\r\nContent-Length: 2\r\n\r\nok"],
    ["conflicting Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"],
    ["a bare CR hiding a header", "HTTP/1.1 200 OK\r\nX-A: a\rContent-Length: 2\r\n\r\nok"],
    ["a bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"],
  ] as const) {
    test(`malformed response (${name}): protocol`, async () => {
      const server = raw((socket) => void socket.write(response));
      const r = await send(client(), req(url(server), { timeout: 2000 }));
      expect(r.status).toBe(0);
      expect(r.error).toBe("protocol");
    });
  }

  test("connection refused", async () => {
    const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = listener.port;
    listener.stop(true);
    const r = await send(client(), req(`http://127.0.0.1:${port}/`));
    expect(r.error).toBe("connect_refused");
    expect(r.status).toBe(0);
  });

  test("DNS failure", async () => {
    const r = await send(client(), req("http://nonexistent.invalid/"));
    expect(r.error).toBe("dns");
  });

  test("TLS to a plain HTTP server: tls", async () => {
    // Answers whatever arrives (here a ClientHello) with plain HTTP, as a real server would.
    const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: (socket) => void socket.write(RESPONSE) } });
    try {
      const r = await send(client(), req(`https://127.0.0.1:${listener.port}/`));
      expect(r.error).toBe("tls");
    } finally {
      listener.stop(true);
    }
  });
}
