/**
 * Writing one event's payload straight into a caller's {@link ByteWriter}, so a batch can hold its events without
 * a separate array per event. `broker-bin-v1` (the format nearly every batch carries) is written in place; any
 * other format goes through its registered codec and is copied in. {@link EventEncoder} uses the same writer for
 * events sent one per message.
 */

import { writeValue } from "../broker-bin/encode.js";
import { BROKER_BIN_V1 } from "../broker-bin/event.js";
import { writeVarbyte } from "../broker-bin/varbyte.js";
import { ByteWriter, utf8Length } from "../bytes/writer.js";
import { EVENT_MESSAGE_TYPE, EVENT_PROTOCOL_VERSION, eventToValue, type ZeekEvent } from "../event.js";
import { eventCodec } from "../registry.js";

/** Appends one event's payload in some format. Throws EncodeError for a value the format cannot carry. */
export type EventWriter = (writer: ByteWriter, event: ZeekEvent) => void;

/**
 * broker's event message up to its name: `[count version, count type, [` — a vector of 3 whose third element is
 * the content vector of 2 (name, args), as encodeBrokerBinEvent writes it for an event without metadata.
 */
const ENVELOPE_START: Uint8Array = (() => {
  const writer = new ByteWriter(32);
  writer.u8(0x0e);
  writeVarbyte(writer, 3);
  writeValue(writer, { type: "count", value: EVENT_PROTOCOL_VERSION });
  writeValue(writer, { type: "count", value: EVENT_MESSAGE_TYPE });
  writer.u8(0x0e);
  writeVarbyte(writer, 2);
  return writer.finish();
})();

/** broker-bin-v1, byte for byte what encodeBrokerBinEvent returns, without building the envelope's values. */
export function writeBrokerBinEvent(writer: ByteWriter, event: ZeekEvent): void {
  if (event.metadata && event.metadata.length > 0) {
    writeValue(writer, eventToValue(event));
    return;
  }
  writer.bytes(ENVELOPE_START);
  writer.u8(0x05);
  writeText(writer, event.name);
  // The arguments: a vector value (tag 14) at depth 2, its elements at depth 3. Strings and counts, the most common
  // arguments, are written here; everything else is writeValue's.
  const { args } = event;
  writer.u8(0x0e);
  writeVarbyte(writer, args.length);
  for (const arg of args) {
    if (arg.type === "string" && typeof arg.value === "string") {
      writer.u8(0x05);
      writeText(writer, arg.value);
    } else if (arg.type === "count" && arg.value >= 0n && arg.value <= 0xffff_ffffn) {
      // A count below 2^32 (most of them): tag 2 and 8 big-endian bytes, without Buffer#writeBigUInt64BE's checks.
      const low = Number(arg.value);
      writer.u8(0x02);
      for (let i = 0; i < 4; i++) writer.u8(0);
      writer.u8(low >>> 24);
      writer.u8((low >>> 16) & 0xff);
      writer.u8((low >>> 8) & 0xff);
      writer.u8(low & 0xff);
    } else writeValue(writer, arg, 3);
  }
}

/**
 * A string's varbyte length and UTF-8 bytes. Short ASCII text (event names, most arguments) is written byte by
 * byte: several times cheaper than Buffer#write's argument checks and native call for a dozen characters.
 */
function writeText(writer: ByteWriter, text: string): void {
  const length = text.length;
  if (length < 0x40) {
    let ascii = true;
    for (let i = 0; i < length; i++) {
      if (text.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      writer.u8(length);
      for (let i = 0; i < length; i++) writer.u8(text.charCodeAt(i));
      return;
    }
  }
  const byteLength = utf8Length(text);
  writeVarbyte(writer, byteLength);
  writer.utf8(text, byteLength);
}

/** The writer for a format: broker-bin-v1 in place, any other registered format through its codec. */
export function eventWriterFor(format: string): EventWriter {
  if (format === BROKER_BIN_V1) return writeBrokerBinEvent;
  // Looked up on first use: a codec may be registered after the batch builder was made.
  return (writer, event) => writer.bytes(eventCodec(format).encode(event));
}

/**
 * Encodes single events of one format, each returned as a compact copy the caller owns: the one-event-per-message
 * counterpart of {@link EventBatchBuilder}, with its in-place `broker-bin-v1` writer and one reused buffer. The
 * bytes are exactly the format codec's `encode()`.
 *
 * @example
 * ```ts
 * const encoder = new EventEncoder("broker-bin-v1");
 * socket.send([topic, nodeId, "broker-bin-v1", encoder.encode(event)]);
 * ```
 */
export class EventEncoder {
  private readonly writeEvent: EventWriter;
  private readonly writer = new ByteWriter(4096);

  constructor(readonly format: string) {
    this.writeEvent = eventWriterFor(format);
  }

  /** One event's payload. @throws EncodeError for a value the format cannot carry. */
  encode(event: ZeekEvent): Uint8Array {
    // Other formats' codecs return bytes of their own already.
    if (this.writeEvent !== writeBrokerBinEvent) return eventCodec(this.format).encode(event);
    const writer = this.writer;
    writer.reset();
    this.writeEvent(writer, event);
    // A new array and one copy: several times cheaper, for a payload of tens of bytes, than slicing an ArrayBuffer.
    const bytes = writer.view();
    const out = new Uint8Array(bytes.length);
    out.set(bytes);
    return out;
  }
}
