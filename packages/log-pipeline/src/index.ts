/**
 * @zmqc/log-pipeline — remote logging for a Zeek-compatible ZeroMQ cluster: typed log streams, batching senders,
 * loggers that receive Zeek's log batches, and Zeek's log file writers (TSV and JSON, exact to the byte).
 *
 * @packageDocumentation
 */

/** The end-of-stream marker of a retired logger's hand-off. */
export { LOG_END_FORMAT } from "./end-marker.js";
export { type Logger, type LoggerOptions, type LoggerStats, startLogger } from "./logger.js";
/** Prometheus counters of a sender and a logger (prom-client). */
export { registerLoggerMetrics, registerLogSenderMetrics } from "./metrics.js";
/** Records, not files: a receiver's batches as a stream of records. */
export { type DecodedLogRecord, decodeBatches, logValueCell } from "./receiver/decode-batches.js";
export {
  type LogReceiver,
  type LogReceiverCloseOptions,
  type LogReceiverOptions,
  type LogReceiverStats,
  type ReceivedBatch,
  startLogReceiver,
} from "./receiver/receiver.js";
export {
  type AtomType,
  type AtomValue,
  type ColumnSpec,
  type Columns,
  type ColumnType,
  LogRecordError,
  type LogRecordOf,
} from "./sender/columns.js";
export {
  type LogBalancePolicy,
  type LogOverflowPolicy,
  type LogSender,
  type LogSenderOptions,
  type LogSenderStats,
  startLogSender,
} from "./sender/sender.js";
export { createLogStream, type LogStream, type LogStreamOptions } from "./sender/stream.js";
/** Addresses as Zeek's log writers print them (FreeBSD inet_ntop: `::ffff:1.2.3.4`). */
export { formatIpv6, parseIpv6, renderAddress, renderSubnet } from "./writers/address.js";
/** The growable buffer a batch is formatted into (LogFormat.writePayload). */
export { ByteSink } from "./writers/byte-sink.js";
/** Zeek's `\xNN` escaping: `escape_utf8` and friends. */
export { escapeUtf8, hexEscape, type Utf8EscapeMode } from "./writers/escape.js";
/** Writes batches to one file per log path, with Zeek's rotation names. */
export {
  LogFileWriter,
  type LogFileWriterOptions,
  type LogRotationOptions,
  type RotatedFile,
} from "./writers/file-writer.js";
/** The format interface the file writer uses, and batch formatting. */
export {
  batchRecordCount,
  formatBatch,
  isLogPayload,
  isLogRows,
  type LogBatchLike,
  type LogFormat,
  type LogPayloadBatch,
  payloadBatch,
  type WritableBatch,
} from "./writers/format.js";
/** RapidJSON's Grisu2 double formatting, as in Zeek's JSON logs. */
export { rapidJsonDouble } from "./writers/grisu2.js";
/** Zeek's JSON log lines (`LogAscii::use_json=T`). */
export {
  type JsonFormatOptions,
  type JsonTimestampFormat,
  rapidJsonString,
  ZeekJsonFormat,
} from "./writers/json-format.js";
/** The non-epoch time formats of Zeek's JSON logs. */
export { jsonIso8601, jsonMillis, jsonMillisUnsigned } from "./writers/json-time.js";
/** Numbers as Zeek's TSV writer prints them. */
export { formatZeekDouble, formatZeekFixed6 } from "./writers/numbers.js";
/** Rotation names (`<path>.<open>`, `<path>__<open>__<close>__`) and Zeek's rotation schedule. */
export {
  defaultRotationName,
  logQueueRotationName,
  type NextRotationOptions,
  nextRotation,
  parseRotationBaseTime,
  type RotationNameInfo,
  type RotationNamer,
} from "./writers/rotation.js";
/** Time zones and Zeek's `%Y-%m-%d-%H-%M-%S` timestamps. */
export { formatZeekDate, type TimeZone, type WallClock, wallClock } from "./writers/time.js";
/** Zeek's default ASCII (TSV) log format. */
export { type TsvFormatOptions, ZeekTsvFormat } from "./writers/tsv-format.js";
/** The TSV header's type names (`set[string]`, `vector[count]`). */
export { zeekTypeName } from "./writers/tsv-header.js";
export type { WrittenOptions } from "./written-waiters.js";
