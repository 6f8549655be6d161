// Many waiters of one duration on one timer: thinking VUs of a scenario, request timeouts of an engine. Equal waits end in the order they began, so a FIFO is the whole schedule.
//
// A timer per thinking VU costs a native timer object, a heap entry to re-arm and an event-loop wake-up each;
// with 10,000 VUs thinking 1 s that is 10,000 timers and up to 10,000 wake-ups a second. Here a scenario holds
// one timer, armed for the oldest sleeper, and every sleeper due when it fires is woken in the same turn.

/** Woken once its pause is over (never early), unless it was woken (retired) before. */
export interface Sleeper {
  wake(): void;
}

/** How late a sleeper may be woken, as a share of its pause (0.2%), and at most 10 ms. */
const SLACK_SHARE = 0.002;
const MAX_SLACK_MS = 10;

export class WakeQueue {
  private sleepers: (Sleeper | null)[] = [];
  private due: number[] = [];
  private head = 0;
  /** tickets issued before the current arrays began */
  private offset = 0;
  /** parked and neither woken nor cancelled */
  private live = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /**
   * The timer fires this long after the oldest sleeper is due, and wakes every sleeper due by then: 10,000 VUs
   * thinking 1 s wake in batches every ~2 ms instead of one timer wake-up a millisecond (measured: 21.7 -> 17.3-19.4
   * CPU us per request, now at or below wrk's). A pause of 1 s lasts up to 1.002 s and a request timeout fires up
   * to 10 ms late; latencies are measured as before, though the target now sees its requests in 2 ms batches.
   */
  private readonly slackMs: number;

  constructor(
    /** every pause in this queue lasts this long */
    readonly pauseMs: number,
  ) {
    this.slackMs = Math.min(MAX_SLACK_MS, pauseMs * SLACK_SHARE);
  }

  /** How many sleepers still wait (retired ones are not counted). */
  get size(): number {
    return this.live;
  }

  /** Parks `sleeper` for pauseMs; returns its ticket for cancel(). */
  park(sleeper: Sleeper): number {
    const at = performance.now() + this.pauseMs;
    this.sleepers.push(sleeper);
    this.due.push(at);
    this.live++;
    if (this.timer === null) this.arm(this.pauseMs + this.slackMs);
    return this.offset + this.sleepers.length - 1;
  }

  /** Forgets a parked sleeper without waking it (the caller wakes it itself). */
  cancel(ticket: number): void {
    const i = ticket - this.offset;
    if (i < this.head || i >= this.sleepers.length || this.sleepers[i] === null) return;
    this.sleepers[i] = null;
    // nobody left: no timer either, so an idle engine keeps nothing armed (nor its thread alive)
    if (--this.live === 0) this.close();
  }

  /** Stops the timer; parked sleepers are forgotten (the run is over). */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.offset += this.sleepers.length;
    this.sleepers = [];
    this.due = [];
    this.head = 0;
    this.live = 0;
  }

  /** The timer fired: wake every sleeper now due, then re-arm for the next. */
  fire(): void {
    this.timer = null;
    const now = performance.now();
    const sleepers = this.sleepers;
    const due = this.due;
    let i = this.head;
    while (i < sleepers.length && due[i]! <= now) {
      const s = sleepers[i];
      sleepers[i] = null;
      i++;
      if (s !== null && s !== undefined) {
        this.live--;
        s.wake();
      }
    }
    if (this.sleepers !== sleepers) return; // closed by a sleeper it woke
    this.head = i;
    if (this.live === 0) {
      this.close();
      return;
    }
    // wake() may park again (a VU whose step was unsendable): those land at the tail, due a full pause later
    if (this.head === sleepers.length) {
      this.offset += sleepers.length;
      this.sleepers = [];
      this.due = [];
      this.head = 0;
      return;
    }
    if (this.head > 1024 && this.head * 2 > sleepers.length) {
      this.offset += this.head;
      this.sleepers = sleepers.slice(this.head);
      this.due = due.slice(this.head);
      this.head = 0;
    }
    this.arm(Math.max(0, this.due[this.head]! - now + this.slackMs));
  }

  private arm(ms: number): void {
    // never early: a timer may fire up to 1 ms before its fractional due time, so round up
    this.timer = setTimeout(fireQueue, Math.ceil(ms), this);
  }
}

/** One timer callback for every queue (the queue rides as the argument): no closure per arm. */
function fireQueue(queue: WakeQueue): void {
  queue.fire();
}
