/**
 * The memory the broker's thread and the forwarding worker share: the counters the worker writes and `stats()`
 * reads without a round trip, and the control words (pause, generation of the counter snapshot).
 */

/** Counter slots: Zeek's eight proxy counters in {@link PROXY_STATISTICS} order, then the managed mode's own. */
export const Slot = {
  frontendMessagesReceived: 0,
  frontendBytesReceived: 1,
  frontendMessagesSent: 2,
  frontendBytesSent: 3,
  backendMessagesReceived: 4,
  backendBytesReceived: 5,
  backendMessagesSent: 6,
  backendBytesSent: 7,
  droppedStuckSubscriber: 8,
  tapDropped: 9,
  authRefused: 10,
} as const;

/** The index of one counter in the shared {@link BigUint64Array}. */
export type Slot = (typeof Slot)[keyof typeof Slot];

/** How many counters the shared array holds. */
export const COUNTER_SLOTS = 11;

/** Words of the shared control {@link Int32Array}. */
export const Control = {
  /** 1 while forwarding is paused; the worker `Atomics.waitAsync`s on it. */
  paused: 0,
  /** Odd while the worker is writing the counters (a seqlock), so a snapshot is never torn. */
  generation: 1,
  /**
   * The process is exiting with the broker open: the main thread sets it to {@link EXIT_REQUESTED} and waits
   * (blocking, bounded) until the worker, having closed its sockets, sets {@link EXIT_DONE}.
   */
  exit: 2,
} as const;

export const EXIT_REQUESTED = 1;
export const EXIT_DONE = 2;

const CONTROL_WORDS = 3;

/** The two shared buffers, as handed to the worker in its `workerData`. */
export interface SharedMemory {
  readonly counters: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

/** Zeroed counters and control words, shareable with the worker. */
export function allocateSharedMemory(): SharedMemory {
  return {
    counters: new SharedArrayBuffer(COUNTER_SLOTS * BigUint64Array.BYTES_PER_ELEMENT),
    control: new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT),
  };
}

/**
 * `Atomics.waitAsync` (ES2024; Node ≥ 16 has it, the package compiles against the ES2023 library): waits, without
 * blocking, until `array[index]` is notified while it holds `value`.
 */
export function waitAsync(
  array: Int32Array,
  index: number,
  value: number,
): { async: false; value: "not-equal" | "timed-out" } | { async: true; value: Promise<"ok" | "timed-out"> } {
  return (Atomics as unknown as { waitAsync: typeof waitAsync }).waitAsync(array, index, value);
}
