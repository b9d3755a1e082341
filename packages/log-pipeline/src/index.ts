/**
 * @zmqc/log-pipeline — remote logging for a Zeek-compatible ZeroMQ cluster: typed log streams, batching senders,
 * and loggers that receive Zeek's log batches.
 *
 * @packageDocumentation
 */
export {
  type AtomType,
  type AtomValue,
  type ColumnSpec,
  type Columns,
  type ColumnType,
  type LogRecordOf,
  LogRecordError,
} from "./sender/columns.js";
export { createLogStream, type LogStream, type LogStreamOptions } from "./sender/stream.js";
export {
  type LogOverflowPolicy,
  type LogSender,
  type LogSenderOptions,
  type LogSenderStats,
  startLogSender,
} from "./sender/sender.js";
export {
  type LogReceiver,
  type LogReceiverOptions,
  type LogReceiverStats,
  type ReceivedBatch,
  startLogReceiver,
} from "./receiver/receiver.js";
