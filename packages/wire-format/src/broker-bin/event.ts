import { ByteWriter } from "../bytes/writer.js";
import { type DecodedEvent, eventToValue, valueToEvent, type ZeekEvent } from "../event.js";
import { type BrokerBinDecodeOptions, decodeBrokerBinValue } from "./decode.js";
import { writeValue } from "./encode.js";

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
  const writer = new ByteWriter(128);
  writeValue(writer, eventToValue(event));
  return writer.finish();
}

/** Decodes a `broker-bin-v1` event payload; throws only DecodeError. */
export function decodeBrokerBinEvent(payload: Uint8Array, options?: BrokerBinDecodeOptions): DecodedEvent {
  return valueToEvent(decodeBrokerBinValue(payload, options), BROKER_BIN_V1);
}
