// The output writer counts what the runtime has not yet written, and treats a reader that left as a quiet close.
import { describe, expect, test } from "bun:test";
import { createWriter, READER_GONE_FAILURE, type RawStream } from "../../src/core/output.ts";

/** A stream whose writes complete only when the test says so, as a pipe's do when its reader is slow. */
function slowStream() {
  const queued: { chunk: string; done: (e?: Error | null) => void }[] = [];
  let onError: (e: Error) => void = () => {};
  const written: string[] = [];
  const stream: RawStream = {
    write(chunk, done) {
      queued.push({ chunk, done });
      return false;
    },
    on(_event, listener) {
      onError = listener;
    },
  };
  return {
    stream,
    written,
    /** the reader takes the oldest queued chunk */
    take() {
      const next = queued.shift()!;
      written.push(next.chunk);
      next.done();
    },
    pending: () => queued.length,
    fail(code: string) {
      const e = Object.assign(new Error(`write ${code}`), { code });
      for (const q of queued.splice(0)) q.done(e);
      onError(e);
    },
  };
}

async function settled(p: Promise<void>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await Bun.sleep(0);
  return done;
}

describe("createWriter", () => {
  test("drained() waits for every queued write, in order", async () => {
    const s = slowStream();
    const w = createWriter(s.stream);
    w.write("a");
    w.write("b");
    w.write("");
    expect(s.pending()).toBe(2);
    const drained = w.drained();
    expect(await settled(drained)).toBe(false);
    s.take();
    expect(await settled(drained)).toBe(false);
    s.take();
    expect(await settled(drained)).toBe(true);
    expect(s.written).toEqual(["a", "b"]);
    expect(w.failure).toBeUndefined();
  });

  test("nothing written: drained at once", async () => {
    expect(await settled(createWriter(slowStream().stream).drained())).toBe(true);
  });

  test("EPIPE (the reader closed) ends the wait, drops later writes and is marked as the reader leaving", async () => {
    const s = slowStream();
    const w = createWriter(s.stream);
    w.write("first line\n");
    w.write("the rest");
    const drained = w.drained();
    s.fail("EPIPE");
    expect(await settled(drained)).toBe(true);
    expect(w.failure).toBe(READER_GONE_FAILURE);
    w.write("after");
    expect(s.pending()).toBe(0);
    expect(await settled(w.drained())).toBe(true);
  });

  test("another write error is kept with its message", async () => {
    const s = slowStream();
    const w = createWriter(s.stream);
    w.write("x");
    s.fail("ENOSPC");
    expect(w.failure).toBe("write ENOSPC");
  });

  test("a write that throws counts as a failure, not a pending byte", async () => {
    const w = createWriter({
      write() {
        throw Object.assign(new Error("closed"), { code: "ERR_STREAM_DESTROYED" });
      },
      on() {},
    });
    w.write("x");
    expect(w.failure).toBe(READER_GONE_FAILURE);
    expect(await settled(w.drained())).toBe(true);
  });
});
