/**
 * Writing one event's payload straight into a caller's {@link ByteWriter}, so a batch can hold its events without
 * a separate array per event. `broker-bin-v1` (the format nearly every batch carries) is written in place by its
 * codec's own writer; any other format goes through its registered codec and is copied in.
 */

import { BROKER_BIN_V1, writeBrokerBinEvent } from "../broker-bin/event.js";
import type { ByteWriter } from "../bytes/writer.js";
import type { ZeekEvent } from "../event.js";
import { eventCodec } from "../registry.js";

/** Appends one event's payload in some format. Throws EncodeError for a value the format cannot carry. */
export type EventWriter = (writer: ByteWriter, event: ZeekEvent) => void;

/** The writer for a format: broker-bin-v1 in place, any other registered format through its codec. */
export function eventWriterFor(format: string): EventWriter {
  if (format === BROKER_BIN_V1) return writeBrokerBinEvent;
  // Looked up on first use: a codec may be registered after the batch builder was made.
  return (writer, event) => writer.bytes(eventCodec(format).encode(event));
}

/**
 * Encodes single events of one format, each returned as bytes the caller owns: exactly the format codec's
 * `encode()`, which it calls (the codec's own encode is as fast as a reused buffer and a copy would be).
 *
 * @example
 * ```ts
 * const encoder = new EventEncoder("broker-bin-v1");
 * socket.send([topic, nodeId, "broker-bin-v1", encoder.encode(event)]);
 * ```
 */
export class EventEncoder {
  constructor(readonly format: string) {}

  /** One event's payload. @throws EncodeError for a value the format cannot carry. */
  encode(event: ZeekEvent): Uint8Array {
    return eventCodec(this.format).encode(event);
  }
}
