import { BROKER_BIN_V1, decodeBrokerBinEvent, encodeBrokerBinEvent } from "./broker-bin/event.js";
import { BROKER_JSON_V1, decodeBrokerJsonEvent, encodeBrokerJsonEvent } from "./broker-json/event.js";
import { decodeCborEvent, encodeCborEvent } from "./cbor/event.js";
import { decodeCborLogBatch, encodeCborLogBatch } from "./cbor/log.js";
import { ZMQC_CBOR_V1 } from "./cbor/value.js";
import { DecodeError } from "./errors.js";
import type { DecodedEvent, ZeekEvent } from "./event.js";
import type { EventMessage, LogMessage } from "./frames.js";
import { decodeZeekLogBatch } from "./zeek-log/decode.js";
import { encodeZeekLogBatch } from "./zeek-log/encode.js";
import { type LogBatch, ZEEK_BIN_SERIALIZER } from "./zeek-log/model.js";

/** An event payload format: what goes in frame 3 of an event message, named by frame 2. */
export interface EventCodec {
  /** The wire name (frame 2), e.g. `broker-bin-v1`. */
  readonly format: string;
  encode(event: ZeekEvent): Uint8Array;
  /** Throws only DecodeError. */
  decode(payload: Uint8Array): DecodedEvent;
}

const eventCodecs = new Map<string, EventCodec>();

/** Makes a codec available to {@link eventCodec} by its format name (later registrations replace earlier ones). */
export function registerEventCodec(codec: EventCodec): void {
  eventCodecs.set(codec.format, codec);
}

registerEventCodec({
  format: BROKER_BIN_V1,
  encode: encodeBrokerBinEvent,
  decode: (p) => decodeBrokerBinEvent(p),
});
registerEventCodec({
  format: BROKER_JSON_V1,
  encode: (e) => encodeBrokerJsonEvent(e),
  decode: (p) => decodeBrokerJsonEvent(p),
});
registerEventCodec({ format: ZMQC_CBOR_V1, encode: encodeCborEvent, decode: decodeCborEvent });

/** The names of every registered event format. */
export function eventFormats(): string[] {
  return [...eventCodecs.keys()];
}

/**
 * The codec of an event format. An unknown format is a DecodeError with reason `unknown_format` naming it
 * (Zeek's "Wrong format" case).
 */
export function eventCodec(format: string): EventCodec {
  const codec = eventCodecs.get(format);
  if (!codec) {
    throw new DecodeError(
      format,
      "unknown_format",
      2,
      `unknown event format '${format}' (known: ${eventFormats().join(", ")})`,
    );
  }
  return codec;
}

/** Decodes the payload of an event message with the codec its format frame names. */
export function decodeEventMessage(message: EventMessage): DecodedEvent {
  return eventCodec(message.format).decode(message.payload);
}

/** A log batch format: what goes in frame 3 of a log message, named by frame 2. */
export interface LogCodec {
  /** The wire name (frame 2), e.g. `zeek-bin-serializer`. */
  readonly format: string;
  encode(batch: LogBatch): Uint8Array;
  /** Throws only DecodeError. */
  decode(payload: Uint8Array): LogBatch;
}

const logCodecs = new Map<string, LogCodec>();

/** Makes a log codec available to {@link logCodec} by its format name. */
export function registerLogCodec(codec: LogCodec): void {
  logCodecs.set(codec.format, codec);
}

registerLogCodec({
  format: ZEEK_BIN_SERIALIZER,
  encode: encodeZeekLogBatch,
  decode: (p) => decodeZeekLogBatch(p),
});
registerLogCodec({ format: ZMQC_CBOR_V1, encode: encodeCborLogBatch, decode: decodeCborLogBatch });

/** The names of every registered log format. */
export function logFormats(): string[] {
  return [...logCodecs.keys()];
}

/** The codec of a log format; an unknown one is a DecodeError naming it (Zeek: "Got log message in format …"). */
export function logCodec(format: string): LogCodec {
  const codec = logCodecs.get(format);
  if (!codec) {
    throw new DecodeError(
      format,
      "unknown_format",
      2,
      `unknown log format '${format}' (known: ${logFormats().join(", ")})`,
    );
  }
  return codec;
}

/** Decodes the payload of a log message with the codec its format frame names. */
export function decodeLogMessage(message: LogMessage): LogBatch {
  return logCodec(message.format).decode(message.payload);
}
