// Server-Sent Events to many watchers: one frame encoded per second, shared by all; a watcher holds at most one frame, a slow one is dropped.
//
// Each watcher's stream is pulled by the server only as fast as its socket drains. A frame published while the
// previous one is still unsent replaces it (the page only needs the latest state); a watcher that has not taken
// `maxSkipped` frames in a row is closed. Memory per watcher is therefore one frame, whatever the watcher does.

export interface FanoutOptions {
  /** frames a watcher may miss in a row before it is dropped (default 5) */
  maxSkipped?: number;
  /** told when a slow watcher is dropped */
  onDrop?: (skipped: number) => void;
}

export interface Fanout {
  /** a new watcher's stream, starting with `first` when given */
  subscribe(first?: Uint8Array): ReadableStream<Uint8Array>;
  /** the same bytes to every watcher */
  publish(frame: Uint8Array): void;
  /** sends `last` (when given) to each watcher, then ends every stream */
  close(last?: Uint8Array): void;
  readonly watchers: number;
}

interface Watcher {
  pending: Uint8Array[];
  skipped: number;
  wake: (() => void) | undefined;
  ending: boolean;
  stream: ReadableStreamDefaultController<Uint8Array> | undefined;
}

const ENCODER = new TextEncoder();

/** One SSE frame: an event name and JSON data (one line: JSON escapes newlines). */
export function sseFrame(event: string, data: unknown): Uint8Array {
  return ENCODER.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function createFanout(options: FanoutOptions = {}): Fanout {
  const maxSkipped = options.maxSkipped ?? 5;
  const watchers = new Set<Watcher>();
  let closed = false;

  const drop = (w: Watcher) => {
    watchers.delete(w);
    w.pending = [];
    try {
      w.stream?.close();
    } catch {
      // already closed by the peer
    }
    w.wake?.();
  };

  return {
    get watchers() {
      return watchers.size;
    },
    subscribe(first) {
      const w: Watcher = { pending: first ? [first] : [], skipped: 0, wake: undefined, ending: closed, stream: undefined };
      if (!closed) watchers.add(w);
      return new ReadableStream<Uint8Array>(
        {
          start(controller) {
            w.stream = controller;
          },
          async pull(controller) {
            while (w.pending.length === 0 && !w.ending && watchers.has(w)) await new Promise<void>((r) => (w.wake = r));
            w.wake = undefined;
            const next = w.pending.shift();
            if (next) {
              w.skipped = 0;
              controller.enqueue(next);
            }
            if (w.pending.length === 0 && (w.ending || !watchers.has(w))) {
              watchers.delete(w);
              try {
                controller.close();
              } catch {
                // closed while dropping
              }
            }
          },
          cancel() {
            watchers.delete(w);
            w.pending = [];
            w.wake?.();
          },
        },
        // nothing is queued ahead of the socket: pull is called only when the last frame has been taken
        { highWaterMark: 0 },
      );
    },
    publish(frame) {
      if (closed) return;
      for (const w of watchers) {
        if (w.pending.length > 0) {
          w.skipped++;
          if (w.skipped >= maxSkipped) {
            options.onDrop?.(w.skipped);
            drop(w);
            continue;
          }
        }
        // the latest state replaces an unsent one: one frame per watcher at most
        w.pending = [frame];
        w.wake?.();
      }
    },
    close(last) {
      if (closed) return;
      closed = true;
      for (const w of watchers) {
        w.pending = last ? [last] : [];
        w.ending = true;
        w.wake?.();
      }
    },
  };
}
