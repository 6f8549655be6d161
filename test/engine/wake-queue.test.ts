// The think queue: one timer for every thinking VU, never early, retired sleepers never woken, and VUs that think through it.
import { describe, expect, test } from "bun:test";
import { WakeQueue } from "../../src/engine/wake-queue.ts";

function sleeper(log: string[], name: string) {
  return {
    parkedAt: 0,
    wokeAt: 0,
    wake() {
      this.wokeAt = performance.now();
      log.push(name);
    },
  };
}

describe("WakeQueue", () => {
  test("wakes sleepers in the order they parked, each no earlier than its pause", async () => {
    const q = new WakeQueue(30);
    const log: string[] = [];
    const all = ["a", "b", "c"].map((n) => sleeper(log, n));
    const done = Promise.withResolvers<void>();
    for (const s of all) {
      s.parkedAt = performance.now();
      q.park({ wake: () => (s.wake(), log.length === 3 && done.resolve()) });
      await Bun.sleep(5);
    }
    await done.promise;
    expect(log).toEqual(["a", "b", "c"]);
    for (const s of all) expect(s.wokeAt - s.parkedAt).toBeGreaterThanOrEqual(30 - 0.01);
    expect(q.size).toBe(0);
  });

  test("a cancelled sleeper is never woken; the others still are", async () => {
    const q = new WakeQueue(20);
    const log: string[] = [];
    const done = Promise.withResolvers<void>();
    q.park({ wake: () => log.push("a") });
    const t = q.park({ wake: () => log.push("b") });
    q.park({ wake: () => (log.push("c"), done.resolve()) });
    q.cancel(t);
    expect(q.size).toBe(2);
    await done.promise;
    expect(log).toEqual(["a", "c"]);
  });

  test("a sleeper parking again from wake() waits a full pause more", async () => {
    const q = new WakeQueue(10);
    let wakes = 0;
    const done = Promise.withResolvers<void>();
    const s = {
      wake() {
        if (++wakes < 3) q.park(s);
        else done.resolve();
      },
    };
    const t0 = performance.now();
    q.park(s);
    await done.promise;
    expect(wakes).toBe(3);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(30 - 0.01);
  });

  test("close() forgets every sleeper and its timer", async () => {
    const q = new WakeQueue(5);
    let woke = false;
    q.park({ wake: () => (woke = true) });
    q.close();
    const later = new WakeQueue(20);
    await new Promise<void>((resolve) => later.park({ wake: resolve }));
    expect(woke).toBe(false);
  });

  test("tickets stay valid across the queue's compaction", () => {
    const q = new WakeQueue(1_000_000);
    const tickets: number[] = [];
    for (let i = 0; i < 3000; i++) tickets.push(q.park({ wake() {} }));
    for (let i = 0; i < 3000; i += 2) q.cancel(tickets[i]!);
    expect(q.size).toBe(1500);
    q.close();
  });
});

describe("WakeQueue holds nothing once empty", () => {
  test("cancelling the last sleeper stops the timer, and the queue still works afterwards", async () => {
    const q = new WakeQueue(60_000);
    const t = q.park({ wake() {} });
    q.cancel(t);
    expect(q.size).toBe(0);
    const short = new WakeQueue(5);
    await new Promise<void>((resolve) => short.park({ wake: resolve }));
    expect(short.size).toBe(0);
  });
});
