// Numbered events for the scenarios that follow one stream through a fault (broker restart, relay faults): a
// paced publisher of sequence numbers, and what a receiver's list of them says.

/** A publisher of 0, 1, 2, … running until stopped or `max`. */
export interface NumberedPublisher {
  /** Events published so far (the next sequence number). */
  readonly published: number;
  /** publish() calls that returned false (the publish queue was full). */
  readonly refused: number;
  /** Stops publishing and resolves once the loop has ended. */
  stop(): Promise<void>;
}

/**
 * Calls `publish(seq)` for 0, 1, 2, …, `perTick` at a time with a timer turn in between: a paced load, not a flood,
 * for scenarios about faults. Stops at `max` whatever happens.
 */
export function publishNumbered(
  publish: (seq: number) => boolean,
  max: number,
  perTick = 10,
): NumberedPublisher {
  let published = 0;
  let refused = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped && published < max) {
      for (let i = 0; i < perTick; i++) {
        if (!publish(published)) refused++;
        published++;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();
  return {
    get published() {
      return published;
    },
    get refused() {
      return refused;
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** What a receiver got of the sequence numbers 0 … published-1, in the order it got them. */
export function sequenceReport(received: readonly number[], published: number) {
  const unique = new Set(received);
  const missing: number[] = [];
  for (let seq = 0; seq < published; seq++) if (!unique.has(seq)) missing.push(seq);
  return {
    /** Distinct sequence numbers received. */
    unique: unique.size,
    duplicates: received.length - unique.size,
    inOrder: received.every((seq, i) => i === 0 || seq > (received[i - 1] as number)),
    missing,
  };
}
