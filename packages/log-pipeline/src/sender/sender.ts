import { watchHandshakes } from "@zmqc/broker";
import {
  type BackendOptionsInput,
  curveClientKeys,
  type HandshakeError,
  resolveOptions,
  ZmqcError,
} from "@zmqc/config";
import {
  encodeLogFrames,
  encodeZeekLogBatch,
  type LogCodec,
  type LogValue,
  logCodec,
  ZEEK_BIN_SERIALIZER,
} from "@zmqc/wire-format";
import { Push } from "zeromq";
import { LOG_END_FORMAT } from "../end-marker.js";
import { ByteSink } from "../writers/byte-sink.js";
import type { Columns, LogRecordOf } from "./columns.js";
import type { ZeekRecordEncoder } from "./record-encoder.js";
import type { LogStream } from "./stream.js";
import { zeekRecordEncoder } from "./stream.js";

/** At the PUSH socket's HWM: drop the batch and count it (Zeek), or wait up to `waitMs` for room. */
export type LogOverflowPolicy = "drop" | { readonly waitMs: number };

/**
 * How batches are spread over the loggers. `"messages"` (Zeek's): one PUSH connected to every logger, which
 * ZeroMQ round-robins message by message, so uneven batch sizes can skew the loggers' records. `"records"`: one
 * PUSH per logger, and each batch goes to the logger that has had the fewest records from this sender among
 * those with room (a logger at its HWM is skipped, as PUSH skips a full pipe); it also counts what each logger was
 * sent (`stats().perLogger`) and can hand a logger off cleanly ({@link LogSender.retireLogger}).
 */
export type LogBalancePolicy = "messages" | "records";

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
    | "curveServerPublicKey"
    | "curveClientPublicKey"
    | "curveClientSecretKey"
  > {
  /** This node's id, frame 1 of every log message. */
  readonly nodeId: string;
  readonly overflow?: LogOverflowPolicy;
  /** How batches are spread over the loggers (default `"messages"`, Zeek's). */
  readonly balance?: LogBalancePolicy;
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
  /**
   * Records not yet handed to ZeroMQ: in stream buffers, in batches waiting for the socket, or in batches whose
   * send outcome is not counted yet (it is, a microtask later).
   */
  readonly recordsBuffered: number;
  /**
   * With `balance: "records"`: what each logger endpoint was handed (batches and records ZeroMQ accepted for
   * it), and whether it is retired. Empty with `"messages"`, where ZeroMQ picks the logger.
   */
  readonly perLogger: ReadonlyMap<
    string,
    { readonly batches: number; readonly records: number; readonly retired: boolean }
  >;
}

/** Sends log records to the cluster's loggers. */
export interface LogSender extends AsyncDisposable {
  /** Buffers a record; a full buffer (`writeBufferSize`) is sent as one batch. Throws LogRecordError for a bad record. */
  write<C extends Columns>(stream: LogStream<C>, record: LogRecordOf<C>): void;
  /** Sends every buffer now. */
  flush(): Promise<void>;
  stats(): LogSenderStats;
  /**
   * Sends every buffer, waits until every batch is handed to ZeroMQ (or counted as dropped), then closes. It
   * resolves before the loggers have the batches — ZeroMQ has no acknowledgements — while libzmq goes on delivering
   * in the background for up to `lingerMs`; a process that exits meanwhile waits for that (zeromq.js terminates
   * its context at exit, which honours the linger, and prints a warning while it waits).
   */
  drain(): Promise<void>;
  /** Closes at once; buffered records are counted as dropped. */
  close(): Promise<void>;
  /**
   * With `balance: "records"`: stops sending to one logger — later batches go to the others — and queues an
   * end-of-stream marker ({@link LOG_END_FORMAT}) behind the last batch sent to it. A logger closed with
   * `close({ handoffMs })` waits for that marker from every sender it has heard from, so it has taken every batch
   * sent to it before it stops: a graceful stop loses nothing. Resolves true once the marker is queued (it waits
   * up to `lingerMs` for room), false if it could not be (counted nowhere else: the logger then times out).
   * Throws ZmqcError CONFIG for an endpoint that is not one of `connectLogEndpoints`, or with `"messages"`.
   */
  retireLogger(endpoint: string): Promise<boolean>;
  /**
   * Settles (never rejects) with the first fatal handshake failure with a logger (a CURVE mismatch, or a client
   * key the logger refuses): Zeek exits on it; batches for that logger will never be taken. Never settles otherwise.
   */
  readonly handshakeFailed: Promise<HandshakeError>;
}

/**
 * Most encoded batches waiting for the socket before new ones are dropped (and counted): with the `waitMs`
 * policy, or when ZeroMQ has a send in flight. The "drop" policy otherwise hands batches to ZeroMQ at once.
 */
const MAX_PENDING_BATCHES = 256;
/** And most bytes of them (one batch, however large, may always wait): the bound is memory, not a count. */
const MAX_PENDING_BYTES = 32 * 1024 * 1024;

interface StreamBuffer {
  readonly stream: LogStream<Columns>;
  /** Records as log values (zmqc-cbor-v1, or a stream without a record encoder). */
  records: LogValue[][];
  /** Or, for zeek-bin-serializer, the records' bytes already encoded, and the batch header before them. */
  readonly encoder: ZeekRecordEncoder | undefined;
  readonly sink: ByteSink | undefined;
  readonly header: Uint8Array | undefined;
  /** Records buffered, either way. */
  count: number;
}

/** A PUSH socket and what was sent through it: one for all loggers ("messages"), or one per logger ("records"). */
interface Route {
  readonly endpoint: string;
  readonly push: Push;
  batches: number;
  records: number;
  retired: boolean;
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
    balance = "messages",
    log = (line: string) => process.stderr.write(`${line}\n`),
    ...backend
  } = options;
  const settings = resolveOptions(backend);
  const codec: LogCodec = logCodec(settings.logSerializer);
  if (balance !== "messages" && balance !== "records")
    throw new ZmqcError("CONFIG", `balance must be "messages" or "records", not '${String(balance)}'`);
  // Zeek's client mode: encrypt to the loggers, which admit only the shared client key.
  const curve = curveClientKeys(settings);
  const newPush = () =>
    new Push({
      ...(curve
        ? {
            curveServerKey: curve.serverPublicKey,
            curvePublicKey: curve.publicKey,
            curveSecretKey: curve.secretKey,
          }
        : {}),
      linger: settings.lingerMs,
      ipv6: settings.ipv6,
      sendHighWaterMark: settings.logSndhwm,
      sendBufferSize: settings.logSndbuf,
      immediate: settings.logImmediate,
      // Zeek sends with ZMQ_DONTWAIT and reports EAGAIN; waiting is our opt-in.
      sendTimeout: overflow === "drop" ? 0 : overflow.waitMs,
    });
  const routes: Route[] =
    balance === "messages"
      ? [{ endpoint: "*", push: newPush(), batches: 0, records: 0, retired: false }]
      : [...new Set(settings.connectLogEndpoints)].map((endpoint) => ({
          endpoint,
          push: newPush(),
          batches: 0,
          records: 0,
          retired: false,
        }));
  let rejectedBy: HandshakeError | undefined;
  let reportRejection: (error: HandshakeError) => void = () => {};
  const handshakeFailed = new Promise<HandshakeError>((resolve) => {
    reportRejection = resolve;
  });
  // A logger that refuses the handshake (a CURVE mismatch or an unknown client key) never takes a batch: that
  // is fatal in Zeek, and here the first such failure is logged and settles `handshakeFailed`.
  for (const { push } of routes) {
    watchHandshakes(
      push,
      (error) => {
        if (rejectedBy !== undefined) return;
        rejectedBy = error;
        log(error.message);
        reportRejection(error);
      },
      (error) => warn(error.message),
    );
  }
  // Connected only now that the handshakes are watched: a failure must not come before its listener.
  for (const route of routes) {
    if (route.endpoint === "*")
      for (const endpoint of settings.connectLogEndpoints) route.push.connect(endpoint);
    else route.push.connect(route.endpoint);
  }

  /**
   * The routes to try for the next batch, best first: the live ones with room before those at their HWM, each
   * group by the fewest records sent. With one route ("messages") that route, whatever its state.
   */
  const candidates = (): Route[] => {
    if (routes.length === 1) return routes[0]?.retired ? [] : routes;
    return routes
      .filter((route) => !route.retired)
      .sort((a, b) => Number(b.push.writable) - Number(a.push.writable) || a.records - b.records);
  };

  // One buffer per stream object: two streams that share id, filter, path and writer but not their columns would
  // otherwise be encoded with the wrong fields.
  const buffers = new Map<LogStream<Columns>, StreamBuffer>();
  const counters = {
    recordsWritten: 0,
    recordsSent: 0,
    batchesSent: 0,
    batchesDropped: 0,
    recordsDropped: 0,
  };
  // Encoded batches waiting for the socket, sent by one loop (zeromq.js allows one send in flight); bounded, so a
  // logger that stops taking batches costs counted drops, not memory.
  const pending: { frames: Uint8Array[]; records: number; path: string; bytes: number }[] = [];
  let pendingRecords = 0;
  let pendingBytes = 0;
  let pumping: Promise<void> | undefined;
  let closing: Promise<void> | undefined;
  let closed = false;
  let lastWarning = 0;

  const warn = (line: string) => {
    const now = Date.now();
    if (now - lastWarning < 1000) return;
    lastWarning = now;
    try {
      log(line);
    } catch {
      // A failing log sink must not stop logging.
    }
  };

  const dropped = (records: number) => {
    counters.batchesDropped++;
    counters.recordsDropped += records;
  };

  type Pending = (typeof pending)[number];
  const sent = (batch: Pending, route: Route) => {
    counters.batchesSent++;
    counters.recordsSent += batch.records;
    route.batches++;
    route.records += batch.records;
  };
  const failed = (batch: Pending, error: unknown) => {
    dropped(batch.records);
    const code = (error as { code?: string }).code;
    if (code === "EAGAIN")
      warn(`Failed to send log write. HWM reached? (${batch.records} records of ${batch.path} dropped)`);
    else if (!closed) warn(`Failed to send log write: ${(error as Error).message}`);
  };

  /**
   * The route for a batch that may wait (the `waitMs` policy): with several loggers, the best one with room as
   * soon as one has room (checked every millisecond, up to `waitMs`), not a full one that may stay full while
   * another drains; after `waitMs`, the best one anyway (its send then times out or goes through).
   */
  const routeWithRoom = async (): Promise<Route | undefined> => {
    if (routes.length === 1) return candidates()[0];
    const deadline = Date.now() + (overflow === "drop" ? 0 : overflow.waitMs);
    for (;;) {
      const best = candidates()[0];
      if (best === undefined || best.push.writable || Date.now() >= deadline || closed) return best;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };

  const pump = async () => {
    while (pending.length > 0 && !closed) {
      const batch = pending[0] as Pending;
      // A send handed over by sendNow() may still be in flight (EBUSY brought us here): one send at a time.
      if (settling.size > 0) {
        await settled();
        continue;
      }
      const route = await routeWithRoom();
      if (route === undefined) failed(batch, new Error("every logger is retired"));
      else {
        try {
          await route.push.send(batch.frames);
          sent(batch, route);
        } catch (error) {
          failed(batch, error);
        }
      }
      // Taken off only now, so a batch waiting for room still shows in recordsBuffered (and close() counts it).
      if (pending[0] === batch) {
        pending.shift();
        pendingRecords -= batch.records;
        pendingBytes -= batch.bytes;
      }
    }
    pumping = undefined;
  };

  // Sends handed to ZeroMQ at once whose outcome (a microtask later) is not counted yet.
  const settling = new Set<Promise<void>>();
  let settlingRecords = 0;
  /**
   * The "drop" policy sends as Zeek does, at once from the caller (ZMQ_DONTWAIT): with a send timeout of 0,
   * ZeroMQ queues the batch or refuses it (EAGAIN) within the call, so a burst of batches is bounded by
   * `logSndhwm` alone, not by a queue here that a synchronous burst could overrun before it is drained.
   * False when ZeroMQ has a send in flight (EBUSY): the batch then waits in the queue.
   */
  const sendNow = (batch: Pending): boolean => {
    let sending: Promise<void> | undefined;
    let route: Route | undefined;
    const choices = candidates();
    if (choices.length === 0) {
      failed(batch, new Error("every logger is retired"));
      return true;
    }
    for (const choice of choices) {
      try {
        sending = choice.push.send(batch.frames);
        route = choice;
        break;
      } catch (error) {
        if ((error as { code?: string }).code === "EBUSY") continue;
        failed(batch, error);
        return true;
      }
    }
    if (sending === undefined || route === undefined) return false;
    // Counted for the route now: the next batch's choice must see it (the outcome comes a microtask later).
    const chosen = route;
    chosen.records += batch.records;
    settlingRecords += batch.records;
    const outcome: Promise<void> = sending
      .then(
        () => {
          chosen.records -= batch.records;
          sent(batch, chosen);
        },
        (error: unknown) => {
          chosen.records -= batch.records;
          failed(batch, error);
        },
      )
      .finally(() => {
        settlingRecords -= batch.records;
        settling.delete(outcome);
      });
    settling.add(outcome);
    return true;
  };
  const settled = async () => {
    while (settling.size > 0) await Promise.all([...settling]);
  };

  /** Encodes one batch and queues it for the socket; anything that fails is counted, never thrown from a timer. */
  const sendBatch = (stream: LogStream<Columns>, content: LogValue[][] | Uint8Array, count: number) => {
    let frames: Uint8Array[];
    try {
      const payload =
        content instanceof Uint8Array
          ? content
          : codec.encode({
              stream: stream.id,
              writer: stream.writer,
              filter: stream.filter,
              path: stream.path,
              fields: stream.fields,
              records: content,
            });
      frames = encodeLogFrames({ sender: nodeId, format: codec.format, payload });
    } catch (error) {
      dropped(count);
      warn(
        `Failed to encode a log batch of ${count} records for ${stream.path}: ${(error as Error).message}`,
      );
      return;
    }
    const bytes = frames.reduce((sum, frame) => sum + frame.byteLength, 0);
    const batch = { frames, records: count, path: stream.path, bytes };
    if (overflow === "drop" && pending.length === 0 && pumping === undefined && sendNow(batch)) return;
    if (
      pending.length >= MAX_PENDING_BATCHES ||
      (pending.length > 0 && pendingBytes + bytes > MAX_PENDING_BYTES)
    ) {
      dropped(count);
      warn(
        `Failed to send log write: ${pending.length} batches (${pendingBytes} bytes) already waiting for the loggers (${count} records of ${stream.path} dropped)`,
      );
      return;
    }
    pending.push(batch);
    pendingRecords += count;
    pendingBytes += bytes;
    pumping ??= pump();
  };

  const flushBuffer = (buffer: StreamBuffer) => {
    const count = buffer.count;
    if (count === 0) return;
    buffer.count = 0;
    const { sink, header } = buffer;
    if (sink !== undefined && header !== undefined) {
      // The header of an empty batch ends with its record count (0): the count goes in its place.
      const payload = Buffer.allocUnsafe(header.length + sink.length);
      payload.set(header, 0);
      payload.writeUInt32BE(count, header.length - 4);
      sink.buffer.copy(payload, header.length, 0, sink.length);
      sink.reset();
      sendBatch(buffer.stream, payload, count);
      return;
    }
    const records = buffer.records;
    buffer.records = [];
    sendBatch(buffer.stream, records, count);
  };

  const flushAll = () => {
    for (const buffer of buffers.values()) flushBuffer(buffer);
  };

  const timer = settings.flushInterval > 0 ? setInterval(flushAll, settings.flushInterval) : undefined;
  timer?.unref();

  /** Closes the socket first, so a send waiting for room ends, then counts whatever was still waiting. */
  const close = () => {
    closing ??= (async () => {
      closed = true;
      if (timer) clearInterval(timer);
      for (const buffer of buffers.values()) {
        if (buffer.count > 0) dropped(buffer.count);
        buffer.records = [];
        buffer.count = 0;
        buffer.sink?.reset();
      }
      for (const { push } of routes) push.close();
      await pumping;
      await settled();
      for (const batch of pending.splice(0)) dropped(batch.records);
      pendingRecords = 0;
      pendingBytes = 0;
    })();
    return closing;
  };

  const sender: LogSender = {
    handshakeFailed,
    write(stream, record) {
      if (closed) throw new ZmqcError("CLOSED", "the log sender is closed");
      const key = stream as unknown as LogStream<Columns>;
      let buffer = buffers.get(key);
      if (!buffer) {
        // zeek-bin-serializer records are encoded as they are written, into the stream's own buffer.
        const encoder = codec.format === ZEEK_BIN_SERIALIZER ? zeekRecordEncoder(key) : undefined;
        buffer = {
          stream: key,
          records: [],
          encoder,
          sink: encoder ? new ByteSink(1 << 12) : undefined,
          header: encoder
            ? encodeZeekLogBatch({
                stream: key.id,
                writer: key.writer,
                filter: key.filter,
                path: key.path,
                fields: key.fields,
                records: [],
              })
            : undefined,
          count: 0,
        };
        buffers.set(key, buffer);
      }
      if (buffer.encoder && buffer.sink) buffer.encoder.append(record, buffer.sink);
      else buffer.records.push(stream.toValues(record));
      buffer.count++;
      counters.recordsWritten++;
      if (buffer.count >= settings.writeBufferSize) flushBuffer(buffer);
    },
    async flush() {
      flushAll();
      await pumping;
      await settled();
    },
    stats() {
      let recordsBuffered = pendingRecords + settlingRecords;
      for (const buffer of buffers.values()) recordsBuffered += buffer.count;
      const perLogger = new Map(
        balance === "records"
          ? routes.map((route) => [
              route.endpoint,
              { batches: route.batches, records: route.records, retired: route.retired },
            ])
          : [],
      );
      return { ...counters, recordsBuffered, perLogger };
    },
    async retireLogger(endpoint) {
      const route =
        balance === "records" ? routes.find((candidate) => candidate.endpoint === endpoint) : undefined;
      if (route === undefined)
        throw new ZmqcError(
          "CONFIG",
          balance === "records"
            ? `${endpoint} is not one of this sender's loggers`
            : `retireLogger needs balance: "records" (one socket per logger)`,
        );
      if (closed) return false;
      route.retired = true;
      // Sends already handed to this socket are in its pipe before the marker: FIFO, one pipe per logger.
      await settled();
      if (closed) return false;
      // Nothing else is sent on a retired route, so its send timeout is the marker's alone.
      route.push.sendTimeout = settings.lingerMs;
      const marker = encodeLogFrames({ sender: nodeId, format: LOG_END_FORMAT, payload: new Uint8Array(0) });
      const deadline = Date.now() + settings.lingerMs;
      for (;;) {
        try {
          await route.push.send(marker);
          return true;
        } catch (error) {
          // A waiting send of the queue (the waitMs policy) may still hold the socket: retry until it is done.
          if ((error as { code?: string }).code === "EBUSY" && !closed && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 1));
            continue;
          }
          warn(`Failed to send the end-of-stream marker to ${endpoint}: ${(error as Error).message}`);
          return false;
        }
      }
    },
    async drain() {
      if (!closed) {
        flushAll();
        // Every batch is handed to ZeroMQ (or counted as dropped); lingerMs then bounds delivery at close.
        await pumping;
        await settled();
      }
      await close();
    },
    close,
    [Symbol.asyncDispose]: () => sender.close(),
  };
  return sender;
}
