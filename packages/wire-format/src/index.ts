/**
 * @zmqc/wire-format — the frames and payloads of Zeek's ZeroMQ cluster backend, with no ZeroMQ dependency.
 *
 * @packageDocumentation
 */

export {
  decodeEventBatch,
  type EventBatch,
  encodeEventBatch,
  MAX_BATCH_EVENTS,
  ZMQC_BATCH_V1,
} from "./batch/batch.js";
export { EventBatchBuilder } from "./batch/builder.js";
export { EventEncoder } from "./batch/write-event.js";
export { type BrokerBinDecodeOptions, decodeBrokerBinValue } from "./broker-bin/decode.js";
export { encodeBrokerBinValue, MAX_DEPTH } from "./broker-bin/encode.js";
export { BROKER_BIN_V1, decodeBrokerBinEvent, encodeBrokerBinEvent } from "./broker-bin/event.js";
export { pack754, unpack754 } from "./broker-bin/real.js";
export { type BrokerJsonDecodeOptions, decodeBrokerJsonValue } from "./broker-json/decode.js";
export {
  BROKER_JSON_TYPE_NAMES,
  type BrokerJsonEncodeOptions,
  encodeBrokerJsonText,
  encodeBrokerJsonValue,
} from "./broker-json/encode.js";
export { BROKER_JSON_V1, decodeBrokerJsonEvent, encodeBrokerJsonEvent } from "./broker-json/event.js";
export { decodeCborEvent, encodeCborEvent } from "./cbor/event.js";
export { decodeCborLogBatch, encodeCborLogBatch } from "./cbor/log.js";
export { ZMQC_CBOR_V1 } from "./cbor/value.js";
export { DecodeError, type DecodeReason, EncodeError, type EncodeReason } from "./errors.js";
export {
  type DecodedEvent,
  EVENT_MESSAGE_TYPE,
  EVENT_PROTOCOL_VERSION,
  type EventMetadataEntry,
  eventToValue,
  NETWORK_TIMESTAMP_METADATA,
  valueToEvent,
  type ZeekEvent,
} from "./event.js";
export {
  decodeEventFrames,
  decodeLogFrames,
  decodeSubscription,
  type EventMessage,
  encodeEventFrames,
  encodeLogFrames,
  encodeSubscription,
  LOG_WRITE_TOPIC,
  type LogMessage,
  type SubscriptionFrame,
} from "./frames.js";
export {
  decodeEventMessage,
  decodeLogMessage,
  type EventCodec,
  eventCodec,
  eventFormats,
  type LogCodec,
  logCodec,
  logFormats,
  registerEventCodec,
  registerLogCodec,
} from "./registry.js";
export { toSeconds, Value } from "./value/build.js";
export * from "./value/model.js";
export { compareValues } from "./value/order.js";
export { valueText } from "./value/text.js";
export { type LogFieldOptions, LogValues, logField } from "./zeek-log/build.js";
export {
  decodeZeekLogBatch,
  decodeZeekLogValue,
  MAX_LOG_DEPTH,
  type ZeekLogDecodeOptions,
} from "./zeek-log/decode.js";
export { encodeZeekLogBatch, encodeZeekLogValue } from "./zeek-log/encode.js";
export {
  type DecodedLogBatch,
  LOG_PORT_PROTOCOLS,
  LOG_TYPE_TAGS,
  type LogAbsent,
  type LogAddr,
  type LogBatch,
  type LogBool,
  type LogCount,
  type LogDouble,
  type LogEnum,
  type LogField,
  type LogFile,
  type LogFunc,
  type LogInt,
  type LogInterval,
  type LogPort,
  type LogPortProtocol,
  type LogPresentValue,
  type LogSet,
  type LogString,
  type LogSubnet,
  type LogTime,
  type LogValue,
  type LogValueType,
  type LogVector,
  logValueTag,
  logValueType,
  TypeTag,
  ZEEK_BIN_SERIALIZER,
} from "./zeek-log/model.js";
export {
  decodeZeekLogRows,
  decodeZeekLogView,
  type LogCell,
  type LogRows,
  type LogRowsView,
} from "./zeek-log/rows.js";
