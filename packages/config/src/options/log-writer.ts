import { z } from "zod";
import { option } from "./define.js";
import { durationMsSchema } from "./field-schemas.js";

/** Log batch wire formats: Zeek's, and a CBOR one for all-TypeScript clusters. */
export const LOG_SERIALIZERS = ["zeek-bin-serializer", "zmqc-cbor-v1"] as const;
/** A log batch wire format. */
export type LogSerializer = (typeof LOG_SERIALIZERS)[number];

/** Options of the sending side's log buffers. */
export const logWriterOptionSpecs = {
  /** Records buffered per log writer before they are sent as one batch. Default 1000. */
  writeBufferSize: option(z.int().min(1), {
    default: 1000,
    zeek: "Log::write_buffer_size",
    doc: "Records buffered per (stream, filter, path, writer) before a batch is sent.",
  }),
  /** How often every log buffer is flushed, in ms (also `"1s"`); 0 turns the timer off. Default 1000. */
  flushInterval: option(durationMsSchema, {
    default: 1000,
    zeek: "Log::flush_interval",
    doc: "Interval in ms at which all log buffers are flushed (0 = only when full).",
  }),
  /** Wire format of log batches. Default `zeek-bin-serializer` (what Zeek loggers read). */
  logSerializer: option(z.enum(LOG_SERIALIZERS), {
    default: "zeek-bin-serializer",
    zeek: "Cluster::log_serializer",
    doc: "Wire format of log batches.",
  }),
} as const;
