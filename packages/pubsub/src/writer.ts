import { setTimeout as delay } from "node:timers/promises";
import type { Writable } from "zeromq";

// Waits between retries at the HWM: first the next turn of the event loop, then a little longer each time.
const BACKOFF_MS = [0, 1, 1, 2, 5, 10] as const;

/** What became of one message the writer could not hand to ZeroMQ. */
export type WriteFailure = "hwm" | "closed" | "error";

/**
 * The one owner of a socket's sends. zeromq.js allows one send in flight per socket (a second throws EBUSY
 * synchronously), so every producer enqueues here and a single loop sends in order. The queue is bounded; what it
 * cannot take, or what ZeroMQ refuses at its HWM (EAGAIN), is reported through `onFailure` to be counted.
 */
export class SocketWriter {
  private queue: (readonly Uint8Array[])[] = [];
  private head = 0;
  private pumping = false;
  private closed = false;
  private roomWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  /**
   * @param socket - the socket this writer owns.
   * @param capacity - most messages waiting at once; 0 = no limit.
   * @param onFailure - called once per message that was accepted but could not be sent.
   * @param onSent - called once per message handed to ZeroMQ.
   * @param hwmWaitMs - how long a message may wait for room at the HWM before it counts as dropped (0 = not at all).
   * @param onInternalError - called with anything unexpected thrown inside the pump (a callback that throws, say);
   *   the pump goes on.
   */
  constructor(
    private readonly socket: Writable,
    private readonly capacity: number,
    private readonly onFailure: (reason: WriteFailure, error?: unknown) => void,
    private readonly onSent: () => void = () => {},
    private readonly hwmWaitMs = 0,
    private readonly onInternalError: (error: unknown) => void = () => {},
  ) {}

  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Queues a message; false when the queue is full or the writer closed (nothing was queued). */
  enqueue(frames: readonly Uint8Array[]): boolean {
    if (this.closed || (this.capacity > 0 && this.pending >= this.capacity)) return false;
    this.queue.push(frames);
    if (!this.pumping) void this.pump();
    return true;
  }

  /**
   * Resolves when the queue has room (or the writer closed), or rejects after `timeoutMs`; a negative,
   * non-finite or larger than 2^31-1 ms timeout waits as long as it takes.
   */
  async waitForRoom(timeoutMs: number): Promise<void> {
    if (this.closed || this.capacity === 0 || this.pending < this.capacity) return;
    const room = new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    if (!hasTimer(timeoutMs)) return room;
    const timer = new AbortController();
    try {
      await Promise.race([
        room,
        delay(timeoutMs, undefined, { signal: timer.signal }).then(() => Promise.reject(new RoomTimeout())),
      ]);
    } finally {
      timer.abort();
    }
  }

  /** Resolves when everything queued has been handed to ZeroMQ (or failed), or false after `timeoutMs`. */
  async flush(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0 && !this.pumping) return true;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    if (!hasTimer(timeoutMs)) return idle;
    const timer = new AbortController();
    try {
      return await Promise.race([idle, delay(timeoutMs, false, { signal: timer.signal }).catch(() => false)]);
    } finally {
      timer.abort();
    }
  }

  /** Stops taking messages; what is still queued is reported as `closed` failures. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const dropped = this.pending;
    this.queue = [];
    this.head = 0;
    for (let i = 0; i < dropped; i++) this.fail("closed");
    this.wake();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.pending > 0) {
        // A catch-all per message: nothing unexpected may stop the pump with `pumping` left true.
        try {
          const frames = this.queue[this.head++] as readonly Uint8Array[];
          if (this.head > 1024 && this.head * 2 > this.queue.length) {
            this.queue = this.queue.slice(this.head);
            this.head = 0;
          }
          this.wakeRoom();
          await this.send(frames);
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
   * Sends one message. At the HWM (EAGAIN) it retries with a short backoff for up to `hwmWaitMs` before
   * reporting the drop: an XPUB always looks writable, so zeromq.js's sendTimeout never waits for room itself.
   */
  private async send(frames: readonly Uint8Array[]): Promise<void> {
    const deadline = this.hwmWaitMs > 0 ? Date.now() + this.hwmWaitMs : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.socket.send(frames as Uint8Array[]);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === "EAGAIN" && !this.closed && Date.now() < deadline) {
          await delay(BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] as number);
          continue;
        }
        this.fail(code === "EAGAIN" ? "hwm" : this.closed || code === "ENOTSOCK" ? "closed" : "error", error);
        return;
      }
      try {
        this.onSent();
      } catch (error) {
        this.internalError(error);
      }
      return;
    }
  }

  /** Reports a failure; a callback that throws is reported as an internal error, never thrown. */
  private fail(reason: WriteFailure, error?: unknown): void {
    try {
      this.onFailure(reason, error);
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
    for (const waiter of this.roomWaiters.splice(0)) waiter();
  }

  private wake(): void {
    this.wakeRoom();
    if (this.pending === 0 && !this.pumping) for (const waiter of this.idleWaiters.splice(0)) waiter();
  }
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
