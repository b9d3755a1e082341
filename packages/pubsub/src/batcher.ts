import { EventBatchBuilder, MAX_BATCH_EVENTS, type ZeekEvent } from "@zmqc/wire-format";

/** Event batching (`zmqc-batch-v1`) for zmqc-only topics: how full a batch may get before it goes. */
export interface BatchingOptions {
  /** Most events in one message. Default 256 (per-message costs stay a small share; the bytes cap still holds). */
  readonly maxEvents?: number;
  /** A batch goes once its payloads reach this many bytes. Default 65 536. */
  readonly maxBytes?: number;
}

/** What a flushed batch is handed to: returns false when it could not be queued (its events are then dropped). */
export type BatchSink = (topic: string, payload: Uint8Array, events: number) => boolean;

/** Idle builders kept for the next topics' batches (each holds a buffer that grew to fit its batches). */
const SPARE_BUILDERS = 8;

/**
 * Collects events per topic, each encoded straight into its topic's open batch, and hands a batch to `sink` when
 * it is full, and at the end of the current turn of the event loop for whatever is left, so batching adds no
 * waiting: a lone event still goes at once (in a batch of one), a burst goes in few messages. Order per topic is
 * kept.
 */
export class EventBatcher {
  private readonly open = new Map<string, EventBatchBuilder>();
  private readonly spare: EventBatchBuilder[] = [];
  // The topic of the last add(), and its builder: a burst to one topic skips the map lookup.
  private lastTopic: string | undefined;
  private lastBuilder: EventBatchBuilder | undefined;
  private scheduled = false;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  private readonly flushScheduled = () => this.flushAll();

  constructor(
    private readonly format: string,
    options: BatchingOptions,
    private readonly sink: BatchSink,
    private readonly onDropped: (events: number) => void,
  ) {
    this.maxEvents = Math.max(1, Math.min(options.maxEvents ?? 256, MAX_BATCH_EVENTS));
    this.maxBytes = Math.max(1, options.maxBytes ?? 65_536);
  }

  /** Events waiting in batches. */
  size(): number {
    let count = 0;
    for (const builder of this.open.values()) count += builder.count;
    return count;
  }

  /**
   * Encodes an event into `topic`'s open batch.
   *
   * @throws EncodeError when the event cannot be encoded in the format (nothing is added).
   */
  add(topic: string, event: ZeekEvent): void {
    const builder = this.builderFor(topic);
    builder.add(event);
    this.added(topic, builder);
  }

  /** Adds an event payload already encoded in the batcher's format. */
  addPayload(topic: string, payload: Uint8Array): void {
    const builder = this.builderFor(topic);
    builder.addPayload(payload);
    this.added(topic, builder);
  }

  /** Hands every waiting batch to the sink now. */
  flushAll(): void {
    this.scheduled = false;
    for (const [topic, builder] of this.open) this.flush(topic, builder);
  }

  /** Drops what waits (counted), for a close that does not drain. */
  discard(): void {
    const waiting = this.size();
    for (const builder of this.open.values()) builder.clear();
    this.open.clear();
    this.lastTopic = undefined;
    this.lastBuilder = undefined;
    if (waiting > 0) this.onDropped(waiting);
  }

  private builderFor(topic: string): EventBatchBuilder {
    if (topic === this.lastTopic && this.lastBuilder !== undefined) return this.lastBuilder;
    let builder = this.open.get(topic);
    if (builder === undefined) {
      builder = this.spare.pop() ?? new EventBatchBuilder(this.format);
      this.open.set(topic, builder);
    }
    this.lastTopic = topic;
    this.lastBuilder = builder;
    return builder;
  }

  private added(topic: string, builder: EventBatchBuilder): void {
    if (builder.count >= this.maxEvents || builder.byteLength >= this.maxBytes) this.flush(topic, builder);
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushScheduled);
    }
  }

  private flush(topic: string, builder: EventBatchBuilder): void {
    this.open.delete(topic);
    if (this.lastBuilder === builder) {
      this.lastTopic = undefined;
      this.lastBuilder = undefined;
    }
    const events = builder.count;
    const payload = events > 0 ? builder.finish() : undefined;
    if (this.spare.length < SPARE_BUILDERS) this.spare.push(builder);
    if (payload !== undefined && !this.sink(topic, payload, events)) this.onDropped(events);
  }
}
