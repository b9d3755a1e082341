import { ZmqcError } from "@zmqc/config";

/** Options of `Logger.written`. */
export interface WrittenOptions {
  /**
   * Give up after this long (ms) with ZmqcError TIMEOUT. Default 10 000; a negative, non-finite or larger than
   * 2^31-1 value waits for ever (as `@zmqc/pubsub`'s waits).
   */
  readonly timeoutMs?: number;
}

/** The largest delay a Node timer honours; a larger one would fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Waiter {
  readonly records: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout | undefined;
}

/**
 * Promises for "this many records are on disk", settled as the count moves: what a program that sent records
 * waits for, since PUSH/PULL has no acknowledgement. Rejected when the logger stops first.
 */
export class WrittenWaiters {
  private readonly waiters = new Set<Waiter>();
  private stoppedWith: Error | undefined;

  constructor(private readonly count: () => number) {}

  /** Resolves once `count()` reaches `records`. */
  wait(records: number, { timeoutMs = 10_000 }: WrittenOptions = {}): Promise<void> {
    if (!Number.isInteger(records) || records < 0)
      return Promise.reject(
        new ZmqcError("CONFIG", `written(records): ${records} is not a whole number of records`),
      );
    if (this.count() >= records) return Promise.resolve();
    if (this.stoppedWith) return Promise.reject(this.stoppedWith);
    return new Promise<void>((resolve, reject) => {
      const timer = !(Number.isFinite(timeoutMs) && timeoutMs >= 0 && timeoutMs <= MAX_TIMER_MS)
        ? undefined
        : setTimeout(() => {
            this.waiters.delete(waiter);
            reject(
              new ZmqcError(
                "TIMEOUT",
                `${this.count()} of ${records} records written within ${timeoutMs} ms`,
              ),
            );
          }, timeoutMs);
      // Like the socket's other waits, a pending one does not keep the process alive by itself.
      timer?.unref();
      const waiter: Waiter = { records, resolve, reject, timer };
      this.waiters.add(waiter);
    });
  }

  /** The count moved: settles every waiter it has reached. */
  check(): void {
    if (this.waiters.size === 0) return;
    const count = this.count();
    for (const waiter of this.waiters)
      if (count >= waiter.records) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve();
      }
  }

  /** The logger stopped: every waiter not yet reached is rejected with CLOSED, and so is every later one. */
  stop(): void {
    this.check();
    this.stoppedWith = new ZmqcError("CLOSED", `the logger stopped after ${this.count()} records`);
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(this.stoppedWith);
    }
    this.waiters.clear();
  }
}
