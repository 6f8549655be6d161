// Runs an arrival-rate scenario's part: iterations start on the clock, on a free VU, late or dropped only visibly.
import type { Clock } from "../../core/clock.ts";
import type { ScenarioRecorder } from "../../metrics/recorder.ts";
import type { RateProfile } from "../../plan/types.ts";
import { arrivalAt, firstArrival, scenarioRates, type RateSchedule } from "../../schedule/index.ts";
import type { DataFeed } from "../steps/data-feed.ts";
import type { ScenarioProgram } from "../steps/program.ts";
import { runStep } from "../steps/step-io.ts";
import { VuState } from "../steps/vu-state.ts";
import type { Engine } from "../types.ts";
import type { RateAssignment } from "./rate-assignment.ts";
import { ScriptVu, type ScriptRuntime } from "../script/index.ts";

/**
 * A graceful stop lets the arrivals due within this long still start: the controller's "end of
 * schedule" and this part's clock differ by the time the messages took to get here.
 */
const STOP_GRACE_MS = 250;

/*
 * Every arrival of this part's share ends in exactly one of: started (iterations, once it completes),
 * or dropped_iterations. The paths that used to lose arrivals, and what each does now:
 *   - natural end: the pacer runs to the last arrival; waiting ones start or expire (dropped).
 *   - stop at the schedule's end (the controller says so; this part's clock started when its assignment
 *     arrived, so it is late by that much): arrivals due within STOP_GRACE_MS start; the rest of the
 *     share is counted dropped. Starting them all at once would be a burst the schedule never asked
 *     for; they were due on the controller's clock and did not run, so they are dropped.
 *   - graceful stop before the end (a user's stop, however close to the end): only what was due is
 *     owed; arrivals not yet due were never scheduled to have started, so they are neither run nor counted.
 *   - abort: arrivals due by now and not started (waiting for a VU, or not yet paced) are dropped.
 *     Iterations cut in flight were started: they are neither completed nor dropped.
 *   - re-assignment mid-run: this part's old-share arrivals before the new `from`, and new-share
 *     arrivals it had already paced past, stay owed (kept in `owed`), never skipped.
 *   - a worker split: splitAssignment's parts are the share exactly, each part follows these rules.
 */

/*
 * Arrival k is due at start + arrivalAt(k) — a time on the clock, never "after the previous one":
 *
 *   due:    k₀      k₁      k₂      k₃      k₄
 *   VU 1:   ████████████████        ████           (a slow response holds VU 1)
 *   VU 2:           ████    ████████████           (VU 2 is added: none was free at k₁)
 *   max_vus reached, none free at k₄ → dropped_iterations +1, or it waits up to max_lateness
 *
 * Every request is recorded twice: its service time (from the actual send) and its time from the
 * iteration's intended start, lateness included, so a stall cannot hide behind the VUs it blocks.
 */
export class RateRunner {
  private readonly schedule: RateSchedule;
  private readonly maxLatenessMs: number;
  private assignment: RateAssignment | null = null;
  private t0 = 0;
  /** the next arrival index of this part */
  private next = 0;
  /** arrivals still owed from before a re-assignment, ascending: they run before or among `next`'s */
  private owed: number[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly free: VuState[] = [];
  private readonly all: VuState[] = [];
  private busy = 0;
  /** arrivals waiting for a VU (max_lateness > 0): index and due time, oldest first */
  private waitingK: number[] = [];
  private waitingDue: number[] = [];
  /** arrivals due at or after this (ms since start) are not started: a stop was asked for */
  private stopAt = Infinity;
  /** a graceful stop at the schedule's end: arrivals at or after stopAt are counted dropped */
  private dropAfterStop = false;
  private drained: PromiseWithResolvers<void> | null = null;

  constructor(
    private readonly program: ScenarioProgram,
    profile: RateProfile,
    durationMs: number,
    private readonly recorder: ScenarioRecorder,
    private readonly engine: Engine,
    private readonly clock: Clock,
    private readonly abort: AbortSignal,
    private readonly feed: DataFeed | null = null,
    private readonly script: ScriptRuntime | null = null,
  ) {
    this.schedule = scenarioRates(profile, durationMs);
    this.maxLatenessMs = profile.max_lateness;
  }

  /** Starts the part (the first call) or hands it another share of the arrivals (an agent was lost). */
  assign(assignment: RateAssignment): void {
    if (this.stopAt !== Infinity || this.abort.aborted) return;
    const first = this.assignment === null;
    const old = this.assignment;
    this.assignment = assignment;
    if (first) this.t0 = this.clock.now();
    else this.keepOwed(old!, assignment);
    this.next = firstArrival(assignment, Math.max(assignment.from, first ? 0 : this.next));
    while (this.all.length < assignment.preAllocatedVus) this.free.push(this.newVu());
    this.recorder.vus = this.all.length;
    if (this.timer !== null) clearTimeout(this.timer);
    this.tick();
  }

  /**
   * A re-assignment's `from` is on the controller's clock: arrivals of the old share before it that this
   * part has not started yet are still its own, and arrivals of the new share it already paced past
   * (not in the old share) are handed to it now. Both are owed, due on this part's clock.
   */
  private keepOwed(old: RateAssignment, now: RateAssignment): void {
    const total = this.schedule.total;
    const owed = new Set(this.owed);
    for (let k = this.next; k < Math.min(now.from, total); k += old.stride) owed.add(k);
    for (let k = firstArrival(now, now.from); k < Math.min(this.next, total); k += now.stride) {
      if (firstArrival(old, k) !== k) owed.add(k);
    }
    this.owed = [...owed].sort((x, y) => x - y);
  }

  /** The next arrival this part owes, or `total` when none is left. */
  private peek(): number {
    const o = this.owed[0];
    return o !== undefined && o < this.next ? o : this.next;
  }

  private advance(k: number): void {
    if (this.owed[0] === k) this.owed.shift();
    while (this.owed[0] === this.next) this.owed.shift();
    if (k === this.next) this.next += this.assignment!.stride;
  }

  /** Counts as dropped this part's arrivals not yet started and due by untilMs (on its clock). */
  private dropUnstarted(untilMs: number): void {
    const total = this.schedule.total;
    for (let k = this.peek(); k < total && arrivalAt(this.schedule, k) <= untilMs; k = this.peek()) {
      this.recorder.droppedIterations++;
      this.advance(k);
    }
  }

  /**
   * Graceful: arrivals still due within STOP_GRACE_MS start, then every iteration finishes; at the schedule's end
   * (`scheduleEnd`) the arrivals after that are counted dropped. Abort: at once.
   */
  async stop(scheduleEnd: boolean): Promise<void> {
    const now = this.elapsed();
    const aborted = this.abort.aborted;
    this.stopAt = aborted ? now : Math.min(this.stopAt, now + STOP_GRACE_MS);
    if (this.assignment !== null) {
      if (aborted) {
        // due and not started: waiting for a VU, or due by now and not yet paced (a busy event loop)
        this.recorder.droppedIterations += this.waitingK.length;
        this.waitingK = [];
        this.waitingDue = [];
        this.dropUnstarted(now);
        this.next = this.schedule.total;
        this.owed = [];
      } else if (scheduleEnd) {
        // the schedule's end on a late clock: what is due before stopAt still starts (the pacer),
        // everything after it will not: count it dropped now, leaving the pacer only [.., stopAt)
        this.dropAfterStop = true;
      }
    }
    // the pacer's next wake-up may be far off (a slow rate): past the stop it is not needed
    const wakeNeeded = !aborted && arrivalAt(this.schedule, this.peek()) < this.stopAt;
    if (this.timer !== null && !wakeNeeded) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!wakeNeeded) this.pacerDone();
    this.drained ??= Promise.withResolvers<void>();
    this.checkDrained();
    await this.drained.promise;
    for (const vu of this.all) vu.client.close();
    this.recorder.vus = 0;
  }

  private elapsed(): number {
    return this.clock.now() - this.t0;
  }

  private readonly tick = (): void => {
    this.timer = null;
    const a = this.assignment;
    if (a === null || this.abort.aborted) return this.checkDrained();
    const now = this.elapsed();
    this.expireWaiting(now);
    const total = this.schedule.total;
    let k = this.peek();
    let due = arrivalAt(this.schedule, k);
    // Everything due by now starts now, late arrivals included: when behind, catch up, never skip.
    while (k < total && due <= now && due < this.stopAt) {
      this.arrive(k, due);
      this.advance(k);
      k = this.peek();
      due = arrivalAt(this.schedule, k);
    }
    if (k < total && due < this.stopAt) this.timer = setTimeout(this.tick, Math.max(0, due - now));
    else this.pacerDone();
  };

  /** The pacer starts nothing more: a graceful stop at the schedule's end counts the rest dropped. */
  private pacerDone(): void {
    if (this.dropAfterStop && this.assignment !== null) this.dropUnstarted(Infinity);
    this.checkDrained();
  }

  private arrive(k: number, dueMs: number): void {
    const vu = this.free.pop() ?? (this.all.length < this.assignment!.maxVus ? this.newVu() : undefined);
    if (vu !== undefined) return this.start(vu, k, dueMs);
    if (this.maxLatenessMs > 0) {
      this.waitingK.push(k);
      this.waitingDue.push(dueMs);
    } else {
      this.recorder.droppedIterations++;
    }
  }

  private start(vu: VuState, k: number, dueMs: number): void {
    if (this.feed !== null) {
      const row = this.feed.next(k);
      if (row === null) {
        // unique rows used up: the arrival cannot run
        this.recorder.droppedIterations++;
        this.release(vu);
        return;
      }
      vu.takeRow(this.feed.columns, row);
    }
    this.busy++;
    vu.iteration = k;
    const lateUs = Math.max(0, (this.elapsed() - dueMs) * 1000);
    void this.iterate(vu, lateUs).then(
      () => this.done(vu),
      () => this.done(vu),
    );
  }

  private done(vu: VuState): void {
    this.busy--;
    this.release(vu);
  }

  /** A VU is free again: the oldest arrival still waiting (within max_lateness) takes it. */
  private release(vu: VuState): void {
    if (this.waitingK.length > 0 && !this.abort.aborted) {
      this.expireWaiting(this.elapsed());
      const k = this.waitingK.shift();
      const due = this.waitingDue.shift();
      if (k !== undefined && due !== undefined) return this.start(vu, k, due);
    }
    this.free.push(vu);
    this.checkDrained();
  }

  /** Arrivals that waited longer than max_lateness are dropped, and counted. */
  private expireWaiting(now: number): void {
    let n = 0;
    while (n < this.waitingDue.length && now - this.waitingDue[n]! > this.maxLatenessMs) n++;
    if (n === 0) return;
    this.waitingK.splice(0, n);
    this.waitingDue.splice(0, n);
    this.recorder.droppedIterations += n;
  }

  private checkDrained(): void {
    if (this.drained === null || this.timer !== null || this.busy > 0 || this.waitingK.length > 0) return;
    this.drained.resolve();
  }

  private newVu(): VuState {
    const a = this.assignment!;
    const vu = new VuState(this.engine.createClient(), this.program, 1 + a.offset + a.stride * this.all.length);
    if (this.script !== null) vu.script = new ScriptVu(this.script, vu, { pause: (ms) => this.pause(ms), stopping: () => this.abort.aborted || this.elapsed() >= this.stopAt });
    this.all.push(vu);
    this.recorder.vus = this.all.length;
    return vu;
  }

  /** A script's vu.sleep: ends early when the run is aborted. */
  private pause(ms: number): Promise<void> {
    if (!(ms > 0) || this.abort.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.abort.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.addEventListener("abort", done);
    });
  }

  /** One iteration: the script (if any), then every step in order, each recorded with the iteration's lateness. */
  private async iterate(vu: VuState, lateUs: number): Promise<void> {
    const steps = this.program.steps;
    const recorders = this.recorder.steps;
    const abort = this.abort;
    if (vu.script !== null) {
      if (this.script!.module === null) await this.script!.ready;
      if (!(await vu.script.iterate(lateUs)) || abort.aborted) return;
    }
    for (let i = 0; i < steps.length; i++) {
      if ((await runStep(vu, steps[i]!, recorders[i]!, lateUs, abort)) === "aborted") return;
    }
    this.recorder.iterations++;
  }
}
