import { setTimeout as delay } from "node:timers/promises";
import type { Writable } from "zeromq";

// Waits between retries at the HWM: first the next turn of the event loop, then a little longer each time.
const BACKOFF_MS = [0, 1, 1, 2, 5, 10] as const;

/** What became of one message the writer could not hand to ZeroMQ ("unclaimed": dropped by `dropHeld()`). */
export type WriteFailure = "hwm" | "closed" | "error" | "unclaimed";

/**
 * Decides, message by message, whether the pump may hand a message to ZeroMQ now or must keep it back (in order,
 * still counted in `pending`) until `releaseHeld()` or `dropHeld()`.
 */
export interface SendGate {
  /** Whether the gate keeps anything back at all: read once per message, so keep it a plain field. */
  readonly holding: boolean;
  /** While holding: whether this message may go now. */
  admits(frames: readonly Uint8Array[]): boolean;
}

/**
 * The one owner of a socket's sends. zeromq.js allows one send in flight per socket (a second throws EBUSY
 * synchronously), so every producer enqueues here and a single loop sends in order. The queue is bounded; what it
 * cannot take, or what ZeroMQ refuses at its HWM (EAGAIN), is reported through `onFailure` to be counted.
 */
export class SocketWriter {
  private queue: (readonly Uint8Array[])[] = [];
  private head = 0;
  /** Messages the gate kept back, oldest first. */
  private held: (readonly Uint8Array[])[] = [];
  private pumping = false;
  private closed = false;
  private roomWaiters: Waiter[] = [];
  private idleWaiters: Waiter[] = [];
  // Made once: the timers of waitForRoom() and flush() call these with the waiter that timed out.
  private readonly roomTimedOut = (waiter: Waiter): void => {
    remove(this.roomWaiters, waiter);
    waiter.reject(new RoomTimeout());
  };
  private readonly idleTimedOut = (waiter: Waiter): void => {
    remove(this.idleWaiters, waiter);
    waiter.reject(new RoomTimeout());
  };

  /**
   * @param socket - the socket this writer owns.
   * @param capacity - most messages waiting at once; 0 = no limit.
   * @param onFailure - called once per message that was accepted but could not be sent, with its frames.
   * @param onSent - called once per message handed to ZeroMQ, with its frames.
   * @param hwmWaitMs - how long a message may wait for room at the HWM before it counts as dropped (0 = not at all).
   * @param onInternalError - called with anything unexpected thrown inside the pump (a callback that throws, say);
   *   the pump goes on.
   * @param roomBatch - how many free places wake the producers waiting in `waitForRoom()` while the pump is
   *   running (they are always woken when it stops: queue empty, HWM backoff, close). 1 wakes them for every
   *   message taken. More lets a producer that keeps the queue full refill it in batches instead of waiting once per
   *   message; use it only for a socket whose sends never wait (sendTimeout 0, or an XPUB), where the pump never
   *   leaves the microtask queue while it has messages.
   * @param gate - keeps messages back while it holds (see {@link SendGate}); none by default.
   */
  constructor(
    private readonly socket: Writable,
    private readonly capacity: number,
    private readonly onFailure: (reason: WriteFailure, error: unknown, frames: readonly Uint8Array[]) => void,
    private readonly onSent: (frames: readonly Uint8Array[]) => void = () => {},
    private readonly hwmWaitMs = 0,
    private readonly onInternalError: (error: unknown) => void = () => {},
    private readonly roomBatch = 1,
    private readonly gate?: SendGate,
  ) {}

  /** Messages accepted and not yet handed to ZeroMQ or failed: queued, and kept back by the gate. */
  get pending(): number {
    return this.queue.length - this.head + this.held.length;
  }

  /** Whether enqueue() would refuse a message now (the queue is full, or the writer closed). */
  get full(): boolean {
    return this.closed || (this.capacity > 0 && this.pending >= this.capacity);
  }

  /** Messages the gate keeps back now. */
  get heldCount(): number {
    return this.held.length;
  }

  /**
   * Sends, ahead of anything queued after them and in their order, the kept-back messages the gate admits now
   * (all of them once it no longer holds). Call it whenever the gate may admit more.
   */
  releaseHeld(): void {
    if (this.held.length === 0 || this.closed) return;
    const gate = this.gate;
    const go: (readonly Uint8Array[])[] = [];
    const stay: (readonly Uint8Array[])[] = [];
    for (const frames of this.held) (gate?.holding && !gate.admits(frames) ? stay : go).push(frames);
    if (go.length === 0) return;
    this.held = stay;
    this.queue = go.concat(this.queue.slice(this.head));
    this.head = 0;
    if (!this.pumping) void this.pump();
  }

  /** Fails every kept-back message the predicate selects as `unclaimed`, then releases the rest as releaseHeld(). */
  dropHeld(select: (frames: readonly Uint8Array[]) => boolean): void {
    if (this.held.length === 0 || this.closed) return;
    const dropped: (readonly Uint8Array[])[] = [];
    const kept: (readonly Uint8Array[])[] = [];
    for (const frames of this.held) (select(frames) ? dropped : kept).push(frames);
    this.held = kept;
    for (const frames of dropped) this.fail("unclaimed", undefined, frames);
    this.releaseHeld();
    this.wake();
  }

  /** Queues a message; false when the queue is full or the writer closed (nothing was queued). */
  enqueue(frames: readonly Uint8Array[]): boolean {
    if (this.full) return false;
    this.queue.push(frames);
    if (!this.pumping) void this.pump();
    return true;
  }

  /**
   * Resolves when the queue has room (or the writer closed), or rejects after `timeoutMs`; a negative,
   * non-finite or larger than 2^31-1 ms timeout waits as long as it takes.
   */
  waitForRoom(timeoutMs: number): Promise<void> {
    if (this.closed || this.capacity === 0 || this.pending < this.capacity) return Promise.resolve();
    // A producer that keeps the queue full waits once per message, so this path is hot: a plain timer (no
    // AbortController, no timers/promises), and no closure per wait beyond the promise's own.
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { settle: resolve, reject, timer: undefined };
      this.roomWaiters.push(waiter);
      if (hasTimer(timeoutMs)) waiter.timer = setTimeout(this.roomTimedOut, timeoutMs, waiter);
    });
  }

  /** Resolves when everything queued has been handed to ZeroMQ (or failed), or false after `timeoutMs`. */
  flush(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0 && !this.pumping) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = { settle: () => resolve(true), reject: () => resolve(false), timer: undefined };
      this.idleWaiters.push(waiter);
      if (hasTimer(timeoutMs)) waiter.timer = setTimeout(this.idleTimedOut, timeoutMs, waiter);
    });
  }

  /** Stops taking messages; what is still queued is reported as `closed` failures. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const dropped = this.held.concat(this.queue.slice(this.head));
    this.held = [];
    this.queue = [];
    this.head = 0;
    for (const frames of dropped) this.fail("closed", undefined, frames);
    this.wake();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.head < this.queue.length) {
        // A catch-all per message: nothing unexpected may stop the pump with `pumping` left true.
        try {
          const frames = this.queue[this.head++] as Uint8Array[];
          if (this.head === this.queue.length) {
            // Drained: start over in place. Without this a queue that never backs up (one event at a time) grew
            // to 1024 taken entries and then ran the compaction below for the first time in optimized code, which
            // deoptimized the pump mid-run (a millisecond stall for the recompile on a busy 2-core box).
            this.queue.length = 0;
            this.head = 0;
          } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
            this.queue = this.queue.slice(this.head);
            this.head = 0;
          }
          if (this.roomWaiters.length > 0 && this.capacity - this.pending >= this.roomBatch) this.wakeRoom();
          if (this.gate?.holding && !this.gate.admits(frames)) {
            this.held.push(frames);
            continue;
          }
          // The first attempt inline, with one await: it is the whole story for almost every message, and an
          // async helper per message would cost a promise and two more turns of the microtask queue.
          const started = this.hwmWaitMs > 0 ? Date.now() : 0;
          try {
            await this.socket.send(frames);
          } catch (error) {
            await this.retry(frames, error, started);
            continue;
          }
          this.sent(frames);
        } catch (error) {
          this.internalError(error);
        }
      }
    } finally {
      this.pumping = false;
      this.wake();
    }
  }

  /**
   * After a failed first attempt: at the HWM (EAGAIN) retries with a short backoff until `hwmWaitMs` after the
   * first attempt before reporting the drop (an XPUB always looks writable, so zeromq.js's sendTimeout never waits
   * for room itself); any other failure is reported at once.
   */
  private async retry(frames: Uint8Array[], firstError: unknown, started: number): Promise<void> {
    const deadline = this.hwmWaitMs > 0 ? started + this.hwmWaitMs : 0;
    let error = firstError;
    for (let attempt = 0; ; attempt++) {
      const code = (error as { code?: string }).code;
      if (code !== "EAGAIN" || this.closed || Date.now() >= deadline) {
        this.fail(
          code === "EAGAIN" ? "hwm" : this.closed || code === "ENOTSOCK" ? "closed" : "error",
          error,
          frames,
        );
        return;
      }
      this.wakeRoom();
      await delay(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] as number);
      try {
        await this.socket.send(frames);
      } catch (next) {
        error = next;
        continue;
      }
      this.sent(frames);
      return;
    }
  }

  private sent(frames: readonly Uint8Array[]): void {
    try {
      this.onSent(frames);
    } catch (error) {
      this.internalError(error);
    }
  }

  /** Reports a failure; a callback that throws is reported as an internal error, never thrown. */
  private fail(reason: WriteFailure, error: unknown, frames: readonly Uint8Array[]): void {
    try {
      this.onFailure(reason, error, frames);
    } catch (callbackError) {
      this.internalError(callbackError);
    }
  }

  private internalError(error: unknown): void {
    try {
      this.onInternalError(error);
    } catch {
      // Nowhere left to report it.
    }
  }

  private wakeRoom(): void {
    if (this.roomWaiters.length > 0) settleAll(this.roomWaiters.splice(0));
  }

  private wake(): void {
    this.wakeRoom();
    if (this.pending === 0 && !this.pumping && this.idleWaiters.length > 0)
      settleAll(this.idleWaiters.splice(0));
  }
}

/** A pending waitForRoom() or flush(): settled once, by the writer or by its timer (cleared on settling). */
interface Waiter {
  readonly settle: () => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

function settleAll(waiters: readonly Waiter[]): void {
  for (const waiter of waiters) {
    clearTimeout(waiter.timer);
    waiter.settle();
  }
}

function remove(waiters: Waiter[], waiter: Waiter): void {
  const index = waiters.indexOf(waiter);
  if (index >= 0) waiters.splice(index, 1);
}

/** The queue stayed full for the whole wait. */
export class RoomTimeout extends Error {
  constructor() {
    super("the publish queue stayed full");
    this.name = "RoomTimeout";
  }
}

/** Whether a timeout sets a timer: a negative, non-finite or too large one (Node makes those 1 ms) means none. */
export function hasTimer(timeoutMs: number): boolean {
  return Number.isFinite(timeoutMs) && timeoutMs >= 0 && timeoutMs <= MAX_TIMER_MS;
}

/** The largest delay a Node timer honours (2^31-1 ms); anything larger fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
