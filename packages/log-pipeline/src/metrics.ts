import { Counter, register as defaultRegistry, Gauge, type Registry } from "prom-client";
import type { Logger, LoggerStats } from "./logger.js";
import type { LogSender, LogSenderStats } from "./sender/sender.js";

type Metric<S> = readonly [keyof S, string, string, "counter" | "gauge"];

const SENDER_METRICS: readonly Metric<LogSenderStats>[] = [
  ["recordsWritten", "zmqc_log_records_written_total", "Log records written to the sender", "counter"],
  ["recordsSent", "zmqc_log_records_sent_total", "Log records handed to ZeroMQ", "counter"],
  ["batchesSent", "zmqc_log_batches_sent_total", "Log batches handed to ZeroMQ", "counter"],
  [
    "batchesDropped",
    "zmqc_log_batches_dropped_total",
    'Log batches dropped at the PUSH socket\'s HWM (Zeek: "Failed to send log write. HWM reached?")',
    "counter",
  ],
  ["recordsDropped", "zmqc_log_records_dropped_total", "Log records in dropped batches", "counter"],
  ["recordsBuffered", "zmqc_log_records_buffered", "Log records not yet handed to ZeroMQ", "gauge"],
];

const LOGGER_METRICS: readonly Metric<LoggerStats>[] = [
  ["batchesReceived", "zmqc_logger_batches_received_total", "Log batches received", "counter"],
  ["recordsReceived", "zmqc_logger_records_received_total", "Log records received", "counter"],
  ["msgErrors", "zmqc_logger_msg_errors_total", "Log messages with the wrong number of frames", "counter"],
  [
    "formatErrors",
    "zmqc_logger_format_errors_total",
    "Log batches in a format this logger does not read",
    "counter",
  ],
  ["decodeErrors", "zmqc_logger_decode_errors_total", "Log batches that did not decode", "counter"],
  ["recordsWritten", "zmqc_logger_records_written_total", "Log records written to files", "counter"],
  ["writeErrors", "zmqc_logger_write_errors_total", "Log batches a file write failed for", "counter"],
  ["rotations", "zmqc_logger_rotations_total", "Log rotations", "counter"],
  [
    "endMarkers",
    "zmqc_logger_end_markers_total",
    "End-of-stream markers from senders that retired this logger (a graceful hand-off)",
    "counter",
  ],
];

function register<S>(stats: () => S, metrics: readonly Metric<S>[], registry: Registry): () => void {
  const names: string[] = [];
  for (const [key, name, help, kind] of metrics) {
    const read = () => Number(stats()[key]);
    if (kind === "gauge") {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    } else {
      new Counter({
        name,
        help,
        registers: [registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    }
    names.push(name);
  }
  return () => {
    for (const name of names) registry.removeSingleMetric(name);
  };
}

/**
 * Registers a log sender's counters (records and batches sent, dropped at the HWM, buffered) in a prom-client
 * registry; values are read from `stats()` at scrape time. Returns a function that removes them again.
 */
export function registerLogSenderMetrics(
  sender: LogSender,
  registry: Registry = defaultRegistry,
): () => void {
  return register(() => sender.stats(), SENDER_METRICS, registry);
}

/**
 * Registers a logger's counters (batches and records received and written, message, format, decode and write
 * errors, rotations) in a prom-client registry. Returns a function that removes them again.
 */
export function registerLoggerMetrics(logger: Logger, registry: Registry = defaultRegistry): () => void {
  return register(() => logger.stats(), LOGGER_METRICS, registry);
}
