// A raw TCP server for the responses Bun.serve will not produce: silent closes, close-delimited bodies, 1xx, resets.
import type { Socket } from "bun";

export interface RawConnection {
  /** 0-based, in accept order. */
  readonly index: number;
  /** Requests seen so far on this connection. */
  requests: number;
  /** Everything received, as latin1. */
  received: string;
}

/** Called once per request head received (requests here have no bodies). */
export type RawHandler = (socket: Socket<RawConnection>, conn: RawConnection) => void;

export interface RawServer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  stop(): void;
}

export function startRawServer(onRequest: RawHandler): RawServer {
  let accepted = 0;
  const listener = Bun.listen<RawConnection>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        socket.data = { index: accepted++, requests: 0, received: "" };
      },
      data(socket, chunk) {
        const conn = socket.data;
        conn.received += chunk.toString("latin1");
        // One call per complete head: count blank lines that end heads.
        const heads = conn.received.split("\r\n\r\n").length - 1;
        while (conn.requests < heads) {
          conn.requests++;
          onRequest(socket, conn);
        }
      },
    },
  });
  return {
    port: listener.port,
    get accepted() {
      return accepted;
    },
    stop: () => listener.stop(true),
  };
}

/** Writes pieces with a pause between them, so the client sees them as separate chunks. */
export async function writeSlowly(socket: Socket<RawConnection>, pieces: string[], pauseMs = 5): Promise<void> {
  for (const piece of pieces) {
    socket.write(piece);
    socket.flush();
    await Bun.sleep(pauseMs);
  }
}
