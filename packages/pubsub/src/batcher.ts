import { encodeEventBatch, MAX_BATCH_EVENTS } from "@zmqc/wire-format";

/** Event batching (`zmqc-batch-v1`) for zmqc-only topics: how full a batch may get before it goes. */
export interface BatchingOptions {
  /** Most events in one message. Default 64. */
  readonly maxEvents?: number;
  /** A batch goes once its payloads reach this many bytes. Default 65 536. */
  readonly maxBytes?: number;
}

/** What a flushed batch is handed to: returns false when it could not be queued (its events are then dropped). */
export type BatchSink = (topic: string, payload: Uint8Array, events: number) => boolean;

interface Pending {
  payloads: Uint8Array[];
  bytes: number;
}

/**
 * Collects encoded events per topic and hands each topic's batch to `sink` when it is full, and at the end of the
 * current turn of the event loop for whatever is left, so batching adds no waiting: a lone event still goes at once
 * (in a batch of one), a burst goes in few messages. Order per topic is kept.
 */
export class EventBatcher {
  private readonly pending = new Map<string, Pending>();
  private scheduled = false;
  private readonly maxEvents: number;
  private readonly maxBytes: number;

  constructor(
    private readonly format: string,
    options: BatchingOptions,
    private readonly sink: BatchSink,
    private readonly onDropped: (events: number) => void,
  ) {
    this.maxEvents = Math.max(1, Math.min(options.maxEvents ?? 64, MAX_BATCH_EVENTS));
    this.maxBytes = Math.max(1, options.maxBytes ?? 65_536);
  }

  /** Events waiting in batches. */
  size(): number {
    let count = 0;
    for (const batch of this.pending.values()) count += batch.payloads.length;
    return count;
  }

  /** Adds one encoded event for `topic`. */
  add(topic: string, payload: Uint8Array): void {
    let batch = this.pending.get(topic);
    if (batch === undefined) {
      batch = { payloads: [], bytes: 0 };
      this.pending.set(topic, batch);
    }
    batch.payloads.push(payload);
    batch.bytes += payload.length;
    if (batch.payloads.length >= this.maxEvents || batch.bytes >= this.maxBytes) this.flush(topic, batch);
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushAll());
    }
  }

  /** Hands every waiting batch to the sink now. */
  flushAll(): void {
    this.scheduled = false;
    for (const [topic, batch] of this.pending) this.flush(topic, batch);
  }

  /** Drops what waits (counted), for a close that does not drain. */
  discard(): void {
    const waiting = this.size();
    this.pending.clear();
    if (waiting > 0) this.onDropped(waiting);
  }

  private flush(topic: string, batch: Pending): void {
    this.pending.delete(topic);
    if (batch.payloads.length === 0) return;
    const events = batch.payloads.length;
    if (!this.sink(topic, encodeEventBatch(this.format, batch.payloads), events)) this.onDropped(events);
  }
}
