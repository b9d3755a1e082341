/**
 * A bounded single-consumer queue that is also an async iterator: producers `push` (false when full), one
 * consumer iterates; `close()` ends the iteration once what is queued has been taken. Leaving the iteration
 * early (`return()`, i.e. `break` in `for await`) ends the channel, drops what is queued and calls `onReturn`
 * once, so the producer can stop feeding it.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  // Concurrent next() calls are served in call order; none is lost.
  private waiters: ((result: IteratorResult<T>) => void)[] = [];
  private ended = false;
  private iterating = false;
  private onReturn: (() => void) | undefined;

  /**
   * @param capacity - most items held at once; 0 = no limit.
   * @param onReturn - called once when the consumer leaves the iteration (`return()`).
   */
  constructor(
    private readonly capacity = 0,
    onReturn?: () => void,
  ) {
    this.onReturn = onReturn;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get closed(): boolean {
    return this.ended;
  }

  /**
   * Queues an item; false when the channel is full or closed (the caller counts the drop). `force` bypasses the
   * capacity (for a last item that must arrive, such as a final status).
   */
  push(item: T, force = false): boolean {
    if (this.ended) return false;
    const waiting = this.waiters.shift();
    if (waiting) {
      waiting({ value: item, done: false });
      return true;
    }
    if (!force && this.capacity > 0 && this.size >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  /** Ends the channel: the consumer gets what is queued, then the iteration finishes. */
  close(): void {
    this.ended = true;
    // Waiters exist only while nothing is queued: they all finish now.
    if (this.size === 0)
      for (const waiting of this.waiters.splice(0)) waiting({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) {
      const value = this.items[this.head++] as T;
      // Compact now and then instead of shifting on every take.
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiters.push(resolve);
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items = [];
    this.head = 0;
    this.close();
    const onReturn = this.onReturn;
    this.onReturn = undefined;
    onReturn?.();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    if (this.iterating) throw new Error("this stream already has a consumer");
    this.iterating = true;
    return this;
  }
}
