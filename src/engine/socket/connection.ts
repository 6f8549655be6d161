// One socket to one origin: opening it, writing under back-pressure, and routing its events to the owning client.
import type { Socket, SocketHandler } from "bun";
import type { WireRequest } from "./builder.ts";
import { errorCode, isCertificateCode } from "./errors.ts";

/** The client a connection reports to. Events of a connection the owner gave up are never delivered. */
export interface ConnectionOwner {
  /** Ready for bytes: TCP connected, and for TLS the handshake done. */
  onOpen(conn: Connection): void;
  onData(conn: Connection, chunk: Uint8Array): void;
  onDrain(conn: Connection): void;
  /** The connection ended; it will not be used again. */
  onClose(conn: Connection, error: Error | undefined): void;
  onConnectError(conn: Connection, error: Error): void;
}

export class Connection {
  socket: Socket<Connection> | null = null;
  /** Ready for bytes. */
  open = false;
  /** Given up (by us or by the peer): late events are ignored, a late open is terminated. */
  dead = false;
  /** Responses completed here; more than 0 means the connection is being reused. */
  responses = 0;
  private pending: Uint8Array | null = null;
  private pendingOffset = 0;

  constructor(
    readonly owner: ConnectionOwner,
    readonly origin: string,
    readonly tls: boolean,
  ) {}

  /** Whether part of the last write still waits for the socket to drain. */
  get writing(): boolean {
    return this.pending !== null;
  }

  /** Writes what the socket takes now and keeps the rest for flush(). Returns bytes taken, or -1 if the socket is gone. */
  write(bytes: Uint8Array): number {
    const socket = this.socket;
    if (socket === null) return -1;
    const n = socket.write(bytes);
    if (n < 0) return -1;
    if (n < bytes.length) {
      this.pending = bytes;
      this.pendingOffset = n;
    }
    return n;
  }

  /** Continues a partial write after drain. Returns bytes taken, or -1 if the socket is gone. */
  flush(): number {
    const bytes = this.pending;
    const socket = this.socket;
    if (bytes === null) return 0;
    if (socket === null) return -1;
    const offset = this.pendingOffset;
    const n = socket.write(bytes, offset, bytes.length - offset);
    if (n < 0) return -1;
    if (offset + n >= bytes.length) this.pending = null;
    else this.pendingOffset = offset + n;
    return n;
  }

  /** Closes politely (FIN): for an idle connection or one the server asked to close. */
  end(): void {
    this.dead = true;
    this.pending = null;
    const socket = this.socket;
    this.socket = null;
    socket?.end();
  }

  /** Closes at once: for a connection with a response in flight that nobody will read. */
  destroy(): void {
    this.dead = true;
    this.pending = null;
    const socket = this.socket;
    this.socket = null;
    socket?.terminate();
  }
}

/** Starts connecting; the outcome arrives through the owner. */
export function openConnection(owner: ConnectionOwner, wire: WireRequest, handlers: SocketHandler<Connection>): Connection {
  const conn = new Connection(owner, wire.origin, wire.tls !== undefined);
  try {
    Bun.connect<Connection>({
      hostname: wire.hostname,
      port: wire.port,
      tls: wire.tls,
      data: conn,
      socket: handlers,
    }).catch(ignore); // connectError already reported it
  } catch (error) {
    conn.dead = true;
    queueMicrotask(() => owner.onConnectError(conn, error as Error));
  }
  return conn;
}

function ignore(): void {}

/**
 * Socket handlers shared by every connection of an engine; `socket.data` is the Connection.
 * A TLS connection that closes before it is open failed its handshake.
 */
export function createSocketHandlers(rejectUnauthorized: boolean): SocketHandler<Connection> {
  return {
    binaryType: "uint8array",
    open(socket) {
      const conn = socket.data;
      if (conn.dead) {
        socket.terminate();
        return;
      }
      conn.socket = socket;
      if (conn.tls) return; // wait for the handshake
      conn.open = true;
      conn.owner.onOpen(conn);
    },
    handshake(socket, _success, authorizationError) {
      const conn = socket.data;
      if (conn.dead) return;
      conn.socket = socket;
      // With verification off, a certificate problem is accepted; a failed handshake never is.
      if (authorizationError !== null && (rejectUnauthorized || !isCertificateCode(errorCode(authorizationError)))) {
        // Bun closes the socket itself; report the failure now, before the connection counts as open.
        conn.dead = true;
        conn.socket = null;
        socket.terminate();
        conn.owner.onClose(conn, authorizationError);
        return;
      }
      conn.open = true;
      conn.owner.onOpen(conn);
    },
    data(socket, chunk: Uint8Array) {
      const conn = socket.data;
      if (!conn.dead) conn.owner.onData(conn, chunk);
    },
    drain(socket) {
      const conn = socket.data;
      if (!conn.dead) conn.owner.onDrain(conn);
    },
    close(socket, error) {
      const conn = socket.data;
      conn.socket = null;
      if (conn.dead) return;
      conn.dead = true;
      conn.owner.onClose(conn, error);
    },
    connectError(socket, error) {
      const conn = socket.data;
      if (conn.dead) return;
      conn.dead = true;
      conn.owner.onConnectError(conn, error);
    },
    error() {
      // TLS session failures land here; the close that follows reports them.
    },
  };
}
