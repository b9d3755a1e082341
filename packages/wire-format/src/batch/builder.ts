import { ByteWriter } from "../bytes/writer.js";
import { EncodeError } from "../errors.js";
import type { ZeekEvent } from "../event.js";
import { MAX_BATCH_EVENTS, putVarbyte, VERSION, varbyteSize, ZMQC_BATCH_V1 } from "./batch.js";
import { type EventWriter, eventWriterFor } from "./write-event.js";

/** Room kept at the front for the batch's header: its count is known only when the batch is finished. */
const COUNT_ROOM = varbyteSize(MAX_BATCH_EVENTS);

/**
 * Builds `zmqc-batch-v1` payloads (SPEC.md §6.1) one event at a time, encoding each event straight into the
 * batch's buffer: no array per event, no copy per event, one copy per finished batch. The bytes are exactly
 * {@link encodeEventBatch}'s for the same events.
 *
 * @example
 * ```ts
 * const builder = new EventBatchBuilder("broker-bin-v1");
 * for (const event of events) builder.add(event);
 * socket.send([topic, nodeId, ZMQC_BATCH_V1, builder.finish()]);
 * ```
 */
export class EventBatchBuilder {
  /** The events' own format (the inner format of every batch this builder makes). */
  readonly format: string;
  private readonly name: Buffer;
  private readonly headerRoom: number;
  private readonly writeEvent: EventWriter;
  private readonly writer = new ByteWriter(4096);
  private events = 0;
  // Where each short event (under 128 bytes, one length byte) starts, and its length: their length bytes are
  // written by finish(), all at once, as the writer's memory is reachable only through a view made per call.
  private readonly shortEvents: number[] = [];

  /** @throws EncodeError for an empty format name. */
  constructor(format: string) {
    this.format = format;
    this.name = Buffer.from(format, "utf8");
    if (this.name.length === 0)
      throw new EncodeError(ZMQC_BATCH_V1, "bad_value", "the inner format name is empty");
    this.headerRoom = 1 + varbyteSize(this.name.length) + this.name.length + COUNT_ROOM;
    this.writeEvent = eventWriterFor(format);
    this.clear();
  }

  /** Events in the open batch. */
  get count(): number {
    return this.events;
  }

  /** Bytes of the open batch's events, length prefixes included (what `maxBytes`-style limits weigh). */
  get byteLength(): number {
    return this.writer.offset - this.headerRoom;
  }

  /** Whether the open batch holds the most events a batch may carry ({@link MAX_BATCH_EVENTS}). */
  get full(): boolean {
    return this.events >= MAX_BATCH_EVENTS;
  }

  /**
   * Encodes an event in the builder's format into the open batch.
   *
   * @throws EncodeError when the event cannot be encoded (the batch is left as it was), or the batch is full.
   */
  add(event: ZeekEvent): void {
    const start = this.begin();
    try {
      this.writeEvent(this.writer, event);
    } catch (error) {
      this.writer.offset = start;
      throw error;
    }
    this.end(start);
  }

  /** Adds an event payload already encoded in the builder's format. @throws EncodeError when the batch is full. */
  addPayload(payload: Uint8Array): void {
    const start = this.begin();
    this.writer.bytes(payload);
    this.end(start);
  }

  /**
   * The open batch as a `zmqc-batch-v1` payload the caller owns; the builder starts a new, empty batch.
   *
   * @throws EncodeError when the batch is empty.
   */
  finish(): Uint8Array {
    if (this.events === 0)
      throw new EncodeError(
        ZMQC_BATCH_V1,
        "out_of_range",
        `a batch holds 1 to ${MAX_BATCH_EVENTS} events, not 0`,
      );
    const bytes = this.writer.view();
    const short = this.shortEvents;
    for (let i = 0; i < short.length; i += 2) bytes[short[i] as number] = short[i + 1] as number;
    // The header ends where the first event starts: it is written backwards from there.
    const start =
      this.headerRoom - (1 + varbyteSize(this.name.length) + this.name.length + varbyteSize(this.events));
    bytes[start] = VERSION;
    const at = putVarbyte(bytes, start + 1, this.name.length);
    bytes.set(this.name, at);
    putVarbyte(bytes, at + this.name.length, this.events);
    const out = new Uint8Array(bytes.length - start);
    out.set(bytes.subarray(start));
    this.clear();
    return out;
  }

  /** Drops the open batch. */
  clear(): void {
    this.writer.reset();
    for (let i = 0; i < this.headerRoom; i++) this.writer.u8(0);
    this.events = 0;
    this.shortEvents.length = 0;
  }

  /** Starts a length-prefixed event: one byte of length is assumed, the usual case. Returns where it starts. */
  private begin(): number {
    if (this.events >= MAX_BATCH_EVENTS)
      throw new EncodeError(
        ZMQC_BATCH_V1,
        "out_of_range",
        `a batch holds at most ${MAX_BATCH_EVENTS} events`,
      );
    const start = this.writer.offset;
    this.writer.u8(0);
    return start;
  }

  /** Notes a short event's length for finish(); moves a payload of 128 bytes or more on to fit a longer varbyte. */
  private end(start: number): void {
    const writer = this.writer;
    const length = writer.offset - start - 1;
    if (length < 0x80) {
      this.shortEvents.push(start, length);
    } else {
      const extra = varbyteSize(length) - 1;
      for (let i = 0; i < extra; i++) writer.u8(0);
      const bytes = writer.view();
      bytes.copyWithin(start + 1 + extra, start + 1, start + 1 + length);
      putVarbyte(bytes, start, length);
    }
    this.events++;
  }
}
