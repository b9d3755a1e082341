import { type BackendOptionsInput, resolveOptions, ZmqcError } from "@zmqc/config";
import { encodeLogFrames, type LogCodec, type LogValue, logCodec } from "@zmqc/wire-format";
import { Push } from "zeromq";
import type { Columns, LogRecordOf } from "./columns.js";
import type { LogStream } from "./stream.js";

/** At the PUSH socket's HWM: drop the batch and count it (Zeek), or wait up to `waitMs` for room. */
export type LogOverflowPolicy = "drop" | { readonly waitMs: number };

/** Options of {@link startLogSender}: the log part of the backend options (Zeek's names and defaults) and more. */
export interface LogSenderOptions
  extends Pick<
    BackendOptionsInput,
    | "connectLogEndpoints"
    | "logSndhwm"
    | "logSndbuf"
    | "lingerMs"
    | "logImmediate"
    | "writeBufferSize"
    | "flushInterval"
    | "logSerializer"
    | "ipv6"
  > {
  /** This node's id, frame 1 of every log message. */
  readonly nodeId: string;
  readonly overflow?: LogOverflowPolicy;
  /** Where warnings go (default: stderr). Zeek reports every failed send; so do we, at most once a second. */
  readonly log?: (line: string) => void;
}

/** What the sender has done. */
export interface LogSenderStats {
  readonly recordsWritten: number;
  readonly recordsSent: number;
  readonly batchesSent: number;
  /** Batches ZeroMQ refused at the HWM (Zeek: "Failed to send log write. HWM reached?"). */
  readonly batchesDropped: number;
  readonly recordsDropped: number;
  /** Records still buffered, not yet sent. */
  readonly recordsBuffered: number;
}

/** Sends log records to the cluster's loggers. */
export interface LogSender extends AsyncDisposable {
  /** Buffers a record; a full buffer (`writeBufferSize`) is sent as one batch. Throws LogRecordError for a bad record. */
  write<C extends Columns>(stream: LogStream<C>, record: LogRecordOf<C>): void;
  /** Sends every buffer now. */
  flush(): Promise<void>;
  stats(): LogSenderStats;
  /** Sends every buffer and waits up to `lingerMs` for delivery, then closes. */
  drain(): Promise<void>;
  /** Closes at once; buffered records are counted as dropped. */
  close(): Promise<void>;
}

interface StreamBuffer {
  readonly stream: LogStream<Columns>;
  records: LogValue[][];
}

/**
 * Starts a log sender: a PUSH socket connected to every logger in `connectLogEndpoints` (ZeroMQ load-balances
 * batches across them), with one buffer per (stream, filter, path, writer) flushed as one batch when it holds
 * `writeBufferSize` records, every `flushInterval`, on `flush()` and at `drain()`.
 */
export async function startLogSender(options: LogSenderOptions): Promise<LogSender> {
  const {
    nodeId,
    overflow = "drop",
    log = (line: string) => process.stderr.write(`${line}\n`),
    ...backend
  } = options;
  const settings = resolveOptions(backend);
  const codec: LogCodec = logCodec(settings.logSerializer);
  const push = new Push({
    linger: settings.lingerMs,
    ipv6: settings.ipv6,
    sendHighWaterMark: settings.logSndhwm,
    sendBufferSize: settings.logSndbuf,
    immediate: settings.logImmediate,
    // Zeek sends with ZMQ_DONTWAIT and reports EAGAIN; waiting is our opt-in.
    sendTimeout: overflow === "drop" ? 0 : overflow.waitMs,
  });
  for (const endpoint of settings.connectLogEndpoints) push.connect(endpoint);

  const buffers = new Map<string, StreamBuffer>();
  const counters = {
    recordsWritten: 0,
    recordsSent: 0,
    batchesSent: 0,
    batchesDropped: 0,
    recordsDropped: 0,
  };
  let sending: Promise<void> = Promise.resolve();
  let closed = false;
  let lastWarning = 0;

  const warn = (line: string) => {
    const now = Date.now();
    if (now - lastWarning >= 1000) {
      lastWarning = now;
      log(line);
    }
  };

  /** Queues one batch on the single send chain (zeromq.js allows one send in flight). */
  const sendBatch = (buffer: StreamBuffer, records: LogValue[][]) => {
    const { stream } = buffer;
    const payload = codec.encode({
      stream: stream.id,
      writer: stream.writer,
      filter: stream.filter,
      path: stream.path,
      fields: stream.fields,
      records,
    });
    const frames = encodeLogFrames({ sender: nodeId, format: codec.format, payload });
    sending = sending.then(async () => {
      if (closed) {
        counters.batchesDropped++;
        counters.recordsDropped += records.length;
        return;
      }
      try {
        await push.send(frames);
        counters.batchesSent++;
        counters.recordsSent += records.length;
      } catch (error) {
        counters.batchesDropped++;
        counters.recordsDropped += records.length;
        const code = (error as { code?: string }).code;
        if (code === "EAGAIN")
          warn(
            `Failed to send log write. HWM reached? (${records.length} records of ${stream.path} dropped)`,
          );
        else warn(`Failed to send log write: ${(error as Error).message}`);
      }
    });
  };

  const flushBuffer = (buffer: StreamBuffer) => {
    if (buffer.records.length === 0) return;
    const records = buffer.records;
    buffer.records = [];
    sendBatch(buffer, records);
  };

  const flushAll = () => {
    for (const buffer of buffers.values()) flushBuffer(buffer);
  };

  const timer = settings.flushInterval > 0 ? setInterval(flushAll, settings.flushInterval) : undefined;
  timer?.unref();

  const close = async () => {
    if (closed) return;
    closed = true;
    if (timer) clearInterval(timer);
    for (const buffer of buffers.values()) {
      counters.recordsDropped += buffer.records.length;
      buffer.records = [];
    }
    await sending;
    push.close();
  };

  const sender: LogSender = {
    write(stream, record) {
      if (closed) throw new ZmqcError("CLOSED", "the log sender is closed");
      const key = `${stream.id}\u0000${stream.filter}\u0000${stream.path}\u0000${stream.writer}`;
      let buffer = buffers.get(key);
      if (!buffer) {
        buffer = { stream: stream as unknown as LogStream<Columns>, records: [] };
        buffers.set(key, buffer);
      }
      buffer.records.push(stream.toValues(record));
      counters.recordsWritten++;
      if (buffer.records.length >= settings.writeBufferSize) flushBuffer(buffer);
    },
    async flush() {
      flushAll();
      await sending;
    },
    stats() {
      let recordsBuffered = 0;
      for (const buffer of buffers.values()) recordsBuffered += buffer.records.length;
      return { ...counters, recordsBuffered };
    },
    async drain() {
      if (closed) return;
      flushAll();
      // The sends themselves hand batches to ZeroMQ; lingerMs then bounds delivery at close.
      await sending;
      await close();
    },
    close,
    [Symbol.asyncDispose]: () => sender.close(),
  };
  return sender;
}
