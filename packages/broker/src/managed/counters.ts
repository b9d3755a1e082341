import { COUNTER_SLOTS, Control, type SharedMemory, type Slot } from "./shared.js";

// A torn read can only happen while the worker is inside flush(); after this many retries (a worker that died
// mid-flush) the reader takes what it sees rather than spin forever.
const MAX_READ_ATTEMPTS = 1000;

/**
 * The worker's side of the counters: per-message additions go to plain numbers (no BigInt allocation on the hot
 * path) and are published to the shared BigUint64Array when the worker's event loop turns — at the end of a
 * batch, or as soon as the loop goes idle — under a seqlock so readers see consistent snapshots.
 */
export class CounterWriter {
  readonly #shared: BigUint64Array;
  readonly #control: Int32Array;
  readonly #pending = new Float64Array(COUNTER_SLOTS);
  #scheduled = false;
  readonly #flush = (): void => this.flush();

  constructor(memory: SharedMemory) {
    this.#shared = new BigUint64Array(memory.counters);
    this.#control = new Int32Array(memory.control);
  }

  /** Adds to a counter; it becomes visible to `stats()` at the next flush. */
  add(slot: Slot, amount: number): void {
    this.#pending[slot] = (this.#pending[slot] ?? 0) + amount;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /** Publishes what has accumulated. */
  flush(): void {
    this.#scheduled = false;
    Atomics.add(this.#control, Control.generation, 1);
    for (let slot = 0; slot < COUNTER_SLOTS; slot++) {
      const amount = this.#pending[slot] ?? 0;
      if (amount !== 0) {
        Atomics.add(this.#shared, slot, BigInt(amount));
        this.#pending[slot] = 0;
      }
    }
    Atomics.add(this.#control, Control.generation, 1);
  }
}

/** The main thread's side: a consistent snapshot of every counter. */
export function readCounters(memory: SharedMemory): bigint[] {
  const shared = new BigUint64Array(memory.counters);
  const control = new Int32Array(memory.control);
  let values: bigint[] = [];
  for (let attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
    const before = Atomics.load(control, Control.generation);
    values = Array.from({ length: COUNTER_SLOTS }, (_, slot) => Atomics.load(shared, slot));
    if (before % 2 === 0 && Atomics.load(control, Control.generation) === before) break;
  }
  return values;
}
