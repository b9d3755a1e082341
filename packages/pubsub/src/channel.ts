/**
 * A bounded single-consumer queue that is also an async iterator: producers `push` (false when full), one
 * consumer iterates; `close()` ends the iteration once what is queued has been taken.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;
  private iterating = false;

  /** @param capacity - most items held at once; 0 = no limit. */
  constructor(private readonly capacity = 0) {}

  get size(): number {
    return this.items.length - this.head;
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Queues an item; false when the channel is full or closed (the caller counts the drop). */
  push(item: T): boolean {
    if (this.ended) return false;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ value: item, done: false });
      return true;
    }
    if (this.capacity > 0 && this.size >= this.capacity) return false;
    this.items.push(item);
    return true;
  }

  /** Ends the channel: the consumer gets what is queued, then the iteration finishes. */
  close(): void {
    this.ended = true;
    const waiting = this.waiting;
    if (waiting && this.size === 0) {
      this.waiting = undefined;
      waiting({ value: undefined, done: true });
    }
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
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    this.items = [];
    this.head = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    if (this.iterating) throw new Error("this stream already has a consumer");
    this.iterating = true;
    return this;
  }
}
