import { DecodeError } from "../errors.js";
import { type DecodedEvent, eventToValue, valueToEvent, type ZeekEvent } from "../event.js";
import { type BrokerJsonDecodeOptions, decodeBrokerJsonValue } from "./decode.js";
import { type BrokerJsonEncodeOptions, encodeBrokerJsonValue } from "./encode.js";

export { type BrokerJsonDecodeOptions, decodeBrokerJsonValue } from "./decode.js";
export { type BrokerJsonEncodeOptions, encodeBrokerJsonText, encodeBrokerJsonValue } from "./encode.js";

/** The wire name of broker's JSON event format (`Cluster::EVENT_SERIALIZER_BROKER_JSON_V1` in Zeek). */
export const BROKER_JSON_V1 = "broker-json-v1";

/**
 * Encodes an event as Zeek's `broker-json-v1` payload: the broker message vector
 * `[1, 1, [name, [args…], [[id, value]…]?]]` as JSON, with no envelope around it (what
 * `BrokerJsonV1_Serializer::SerializeEvent` writes), in UTF-8 bytes.
 *
 * @example
 * ```ts
 * const payload = encodeBrokerJsonEvent({ name: "Cluster::hello", args: [Value.string("worker-1"), Value.string(id)] });
 * ```
 */
export function encodeBrokerJsonEvent(event: ZeekEvent, options?: BrokerJsonEncodeOptions): Uint8Array {
  return encodeBrokerJsonValue(eventToValue(event), options);
}

/**
 * Decodes a `broker-json-v1` event payload; throws only DecodeError. Leniencies Zeek would also take (an unknown
 * key, a port without protocol, a wrong protocol version, …) are listed in `anomalies`.
 */
export function decodeBrokerJsonEvent(
  payload: Uint8Array,
  options: BrokerJsonDecodeOptions = {},
): DecodedEvent {
  const anomalies: string[] = [];
  const value = decodeBrokerJsonValue(payload, {
    ...options,
    onAnomaly(message) {
      anomalies.push(message);
      options.onAnomaly?.(message);
    },
  });
  try {
    const event = valueToEvent(value, BROKER_JSON_V1);
    if (anomalies.length === 0) return event;
    return { ...event, anomalies: [...anomalies, ...(event.anomalies ?? [])] };
  } catch (error) {
    if (DecodeError.isDecodeError(error)) throw error;
    throw new DecodeError(BROKER_JSON_V1, "bad_message", 0, String(error));
  }
}
