import { DecodeError } from "./errors.js";
import type { ZeekValue } from "./value/model.js";

/** A Zeek event as it travels between nodes: its fully qualified name, its arguments, optional metadata. */
export interface ZeekEvent {
  /** Fully qualified event name, e.g. `Cluster::hello`. */
  readonly name: string;
  /** Arguments in parameter order (a record argument is a vector of its fields). */
  readonly args: readonly ZeekValue[];
  /** Metadata entries; sent only when there are any (Zeek ≥ 8 sends none by default). */
  readonly metadata?: readonly EventMetadataEntry[] | undefined;
}

/** One metadata entry: ids 1–199 are Zeek's (1 = network timestamp), 200 and up are user-defined. */
export interface EventMetadataEntry {
  readonly id: bigint;
  readonly value: ZeekValue;
}

/** A decoded event plus anything Zeek would let through that a careful receiver wants to count. */
export interface DecodedEvent extends ZeekEvent {
  /** Leniencies taken while decoding (a wrong protocol version, a mistyped network timestamp, …). */
  readonly anomalies?: readonly string[];
}

/** Metadata id of the network timestamp (`EventMetadata::NETWORK_TIMESTAMP`). */
export const NETWORK_TIMESTAMP_METADATA = 1n;
/** broker's protocol version in every event message. */
export const EVENT_PROTOCOL_VERSION = 1n;
/** broker's message type of an event (`Message::Type::Event`). */
export const EVENT_MESSAGE_TYPE = 1n;

/** The broker message an event travels as: `[count 1, count 1, [name, [args…], [[id, value]…]?]]`. */
export function eventToValue(event: ZeekEvent): ZeekValue {
  const content: ZeekValue[] = [
    { type: "string", value: event.name },
    { type: "vector", elements: event.args },
  ];
  if (event.metadata && event.metadata.length > 0) {
    content.push({
      type: "vector",
      elements: event.metadata.map(({ id, value }) => ({
        type: "vector",
        elements: [{ type: "count", value: id }, value],
      })),
    });
  }
  return {
    type: "vector",
    elements: [
      { type: "count", value: EVENT_PROTOCOL_VERSION },
      { type: "count", value: EVENT_MESSAGE_TYPE },
      { type: "vector", elements: content },
    ],
  };
}

function badMessage(format: string, detail: string): never {
  throw new DecodeError(format, "bad_message", 0, detail);
}

/**
 * Reads an event out of a decoded broker message. Rejects what Zeek rejects (a message that is not a
 * `[version, type, [name, args, metadata?]]` vector); accepts, but reports as an anomaly, what Zeek lets through
 * (a wrong version or message type, a network timestamp that is not a timestamp). Unknown metadata ids are kept.
 */
export function valueToEvent(message: ZeekValue, format: string): DecodedEvent {
  if (message.type !== "vector" || message.elements.length !== 3) {
    badMessage(format, "an event message is a vector of 3: [version, type, content]");
  }
  const [version, messageType, content] = message.elements as [ZeekValue, ZeekValue, ZeekValue];
  const anomalies: string[] = [];
  if (version.type !== "count" || version.value !== EVENT_PROTOCOL_VERSION) {
    anomalies.push(`protocol version is ${describe(version)}, expected count 1`);
  }
  if (messageType.type !== "count" || messageType.value !== EVENT_MESSAGE_TYPE) {
    anomalies.push(`message type is ${describe(messageType)}, expected count 1 (Event)`);
  }
  if (content.type !== "vector" || content.elements.length < 2 || content.elements.length > 3) {
    badMessage(format, "event content is a vector of 2 or 3: [name, args, metadata?]");
  }
  const [name, args, metadata] = content.elements as [ZeekValue, ZeekValue, ZeekValue | undefined];
  if (name.type !== "string" || typeof name.value !== "string")
    badMessage(format, "event name is not a UTF-8 string");
  if (args.type !== "vector") badMessage(format, "event arguments are not a vector");
  const event: {
    name: string;
    args: readonly ZeekValue[];
    metadata?: EventMetadataEntry[];
    anomalies?: string[];
  } = {
    name: name.value,
    args: args.elements,
  };
  if (metadata !== undefined) event.metadata = readMetadata(metadata, format, anomalies);
  if (anomalies.length > 0) event.anomalies = anomalies;
  return event;
}

function readMetadata(metadata: ZeekValue, format: string, anomalies: string[]): EventMetadataEntry[] {
  if (metadata.type !== "vector") badMessage(format, "event metadata is not a vector");
  return metadata.elements.map((entry) => {
    if (entry.type !== "vector" || entry.elements.length !== 2 || entry.elements[0]?.type !== "count") {
      badMessage(format, "an event metadata entry is a vector [count id, value]");
    }
    const [id, value] = entry.elements as [{ type: "count"; value: bigint }, ZeekValue];
    if (id.value === NETWORK_TIMESTAMP_METADATA && value.type !== "timestamp") {
      anomalies.push(`network timestamp metadata is ${value.type}, expected timestamp`);
    }
    return { id: id.value, value };
  });
}

function describe(value: ZeekValue): string {
  return value.type === "count" ? `count ${value.value}` : value.type;
}
