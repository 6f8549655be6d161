// AbortWatch: every client of an engine shares one "abort" listener per signal; each subscription is O(1).
import { describe, expect, test } from "bun:test";
import { AbortWatch } from "../../src/engine/socket/abort-watch.ts";

describe("AbortWatch", () => {
  test("an abort reaches every subscriber still subscribed, once", () => {
    const watch = new AbortWatch();
    const abort = new AbortController();
    const calls: string[] = [];
    const a = { onAbort: () => void calls.push("a") };
    const b = { onAbort: () => void calls.push("b") };
    const c = { onAbort: () => void calls.push("c") };
    watch.add(abort.signal, a);
    watch.add(abort.signal, b);
    watch.add(abort.signal, b); // the same subscriber twice is one subscription
    watch.add(abort.signal, c);
    watch.remove(abort.signal, c);
    abort.abort();
    abort.abort();
    expect(calls.sort()).toEqual(["a", "b"]);
  });

  test("signals are independent", () => {
    const watch = new AbortWatch();
    const one = new AbortController();
    const two = new AbortController();
    let n = 0;
    watch.add(one.signal, { onAbort: () => void (n += 1) });
    watch.add(two.signal, { onAbort: () => void (n += 10) });
    two.abort();
    expect(n).toBe(10);
  });

  test("100,000 subscriptions to one signal stay linear: one listener on the signal", () => {
    const watch = new AbortWatch();
    const abort = new AbortController();
    let added = 0;
    const add = abort.signal.addEventListener.bind(abort.signal);
    abort.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      add(...args);
    }) as typeof abort.signal.addEventListener;
    let fired = 0;
    const subs = Array.from({ length: 100_000 }, () => ({ onAbort: () => void fired++ }));
    for (const s of subs) watch.add(abort.signal, s);
    for (const s of subs.slice(0, 50_000)) watch.remove(abort.signal, s);
    abort.abort();
    expect(added).toBe(1);
    expect(fired).toBe(50_000);
  });
});
