import { ByteReader } from "../bytes/reader.js";
import type { ByteWriter } from "../bytes/writer.js";
import { type DecodedEvent, eventToValue, valueToEvent, type ZeekEvent } from "../event.js";
import type { ZeekValue } from "../value/model.js";
import { type BrokerBinDecodeOptions, decodeBrokerBinValue, readValue } from "./decode.js";
import { MAX_DEPTH, withScratch, writeValue } from "./encode.js";
import { readVarbyte } from "./varbyte.js";

/** The wire name of broker's binary event format, Zeek's default. */
export const BROKER_BIN_V1 = "broker-bin-v1";

/**
 * Encodes an event as Zeek's `broker-bin-v1` payload (frame 3 of an event message).
 *
 * @example
 * ```ts
 * const payload = encodeBrokerBinEvent({
 *   name: "Cluster::hello",
 *   args: [Value.string("worker-1"), Value.string(nodeId)],
 * });
 * ```
 */
export function encodeBrokerBinEvent(event: ZeekEvent): Uint8Array {
  return withScratch((writer) => writeBrokerBinEvent(writer, event));
}

/**
 * Appends an event's `broker-bin-v1` payload to `writer`: what {@link encodeBrokerBinEvent} returns, written in
 * place (a batch builder writes its events straight into its own buffer with it).
 */
export function writeBrokerBinEvent(writer: ByteWriter, event: ZeekEvent): void {
  if (event.metadata && event.metadata.length > 0) {
    writeValue(writer, eventToValue(event));
    return;
  }
  // The usual shape: the fixed envelope start, then name and arguments, without building envelope values.
  writer.bytes(ENVELOPE_START);
  writer.u8(0x0e);
  writer.u8(0x02);
  writeValue(writer, { type: "string", value: event.name });
  writeValue(writer, { type: "vector", elements: event.args }, 2);
}

/** Decodes a `broker-bin-v1` event payload; throws only DecodeError. */
export function decodeBrokerBinEvent(payload: Uint8Array, options?: BrokerBinDecodeOptions): DecodedEvent {
  const maxDepth = options?.maxDepth ?? MAX_DEPTH;
  const reader = new ByteReader(payload, BROKER_BIN_V1);
  const event = readWellFormedEvent(reader, maxDepth);
  if (event) {
    reader.end();
    return event;
  }
  // Anything unusual (a wrong version, metadata, a malformed envelope) takes the general path, which words the
  // errors and records the anomalies.
  return valueToEvent(decodeBrokerBinValue(payload, options), BROKER_BIN_V1);
}

// `0e 03 | 02 <u64 1> | 02 <u64 1>` — the fixed start of every event message: [version 1, type Event, …].
const ENVELOPE_START = Buffer.from("0e03020000000000000001020000000000000001", "hex");

/**
 * The hot path: an event message of the usual shape (version 1, type Event, no metadata) read straight into an
 * event, without building the envelope's values first. Returns undefined for any other shape.
 */
function readWellFormedEvent(reader: ByteReader, maxDepth: number): DecodedEvent | undefined {
  const bytes = reader.bytes;
  if (bytes.length < ENVELOPE_START.length + 3) return undefined;
  for (let i = 0; i < ENVELOPE_START.length; i++) if (bytes[i] !== ENVELOPE_START[i]) return undefined;
  // Content vector of exactly 2 (no metadata), whose first element is the name string.
  if (bytes[20] !== 0x0e || bytes[21] !== 0x02 || bytes[22] !== 0x05) return undefined;
  reader.offset = 23;
  const nameStart = reader.offset;
  const name = reader.text(
    reader.declared(readVarbyte(reader, "string length"), "string length", nameStart),
    "event name",
  );
  if (typeof name !== "string" || reader.u8("type tag") !== 0x0e) return undefined;
  const countStart = reader.offset;
  const count = readVarbyte(reader, "vector size");
  if (count > reader.remaining)
    reader.fail(
      "bad_length",
      `vector claims ${count} elements, only ${reader.remaining} bytes left`,
      countStart,
    );
  const args: ZeekValue[] = new Array(count);
  for (let i = 0; i < count; i++) args[i] = readValue(reader, 3, maxDepth);
  return { name, args };
}
