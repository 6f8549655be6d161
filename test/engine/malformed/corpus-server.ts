// A raw TCP server that answers each request with bytes chosen by its path, whole or a byte at a time, and logs which connection served what.
import type { Socket } from "bun";

/** What the server does for one request. */
export interface Reply {
  bytes: Uint8Array;
  /** "whole": one write; "bytes": one byte per event-loop turn (in 1009-byte pieces past SMALL bytes). */
  mode: "whole" | "bytes";
  /** Close the connection once written. */
  close: boolean;
}

/** Replies larger than this are written in pieces rather than one byte at a time, to keep the run short. */
export const SMALL = 4096;
const PIECE = 1009;

export const PROBE_PATH = "/probe";
export const PROBE_RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nprobe";

interface ConnState {
  index: number;
  received: string;
  /** Request paths served on this connection, in order. */
  paths: string[];
  /** Writes of one reply finish before the next reply starts. */
  queue: Promise<void>;
}

export interface CorpusServer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** The connection (accept index) that received a request for `path`, or -1. */
  connectionOf(path: string): number;
  /** Resolves once the reply to `path` has been written (or given up on): the server has nothing more to say. */
  written(path: string): Promise<void>;
  stop(): void;
}

/** `reply(path)` chooses the answer; PROBE_PATH always gets PROBE_RESPONSE. */
export function startCorpusServer(reply: (path: string) => Reply): CorpusServer {
  let accepted = 0;
  const byPath = new Map<string, number>();
  const done = new Map<string, Promise<void>>();
  const probe: Reply = { bytes: new Uint8Array(Buffer.from(PROBE_RESPONSE, "latin1")), mode: "whole", close: false };
  const listener = Bun.listen<ConnState>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        socket.data = { index: accepted++, received: "", paths: [], queue: Promise.resolve() };
      },
      data(socket, chunk) {
        const conn = socket.data;
        conn.received += chunk.toString("latin1");
        let end: number;
        while ((end = conn.received.indexOf("\r\n\r\n")) >= 0) {
          const head = conn.received.slice(0, end);
          conn.received = conn.received.slice(end + 4);
          const path = head.split(" ")[1] ?? "/";
          conn.paths.push(path);
          byPath.set(path, conn.index);
          const r = path.startsWith(PROBE_PATH) ? probe : reply(path);
          conn.queue = conn.queue.then(() => write(socket, r));
          done.set(path, conn.queue);
        }
      },
      error() {},
    },
  });
  return {
    port: listener.port,
    get accepted() {
      return accepted;
    },
    connectionOf: (path) => byPath.get(path) ?? -1,
    written: (path) => done.get(path) ?? Promise.resolve(),
    stop: () => listener.stop(true),
  };
}

async function write(socket: Socket<ConnState>, r: Reply): Promise<void> {
  const { bytes } = r;
  if (r.mode === "whole" || bytes.length === 0) {
    if (bytes.length > 0) await writeAll(socket, bytes);
  } else {
    const step = bytes.length > SMALL ? PIECE : 1;
    for (let i = 0; i < bytes.length; i += step) {
      if (socket.readyState !== 1) return; // the client gave up on this connection
      await writeAll(socket, bytes.subarray(i, Math.min(bytes.length, i + step)));
      await turn();
    }
  }
  if (r.close) socket.end();
}

/** Writes everything, waiting out back-pressure (a 200 KB body does not fit the socket buffer at once). */
async function writeAll(socket: Socket<ConnState>, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) {
    const n = socket.write(bytes, at);
    if (n < 0) return;
    at += n;
    socket.flush();
    if (at < bytes.length) {
      if (socket.readyState !== 1) return;
      await turn();
    }
  }
}

/** One event-loop turn, so the client reads what was written before more comes. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
