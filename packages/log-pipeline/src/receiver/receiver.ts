import { refusalLine, startZapHandler, type ZapHandler } from "@zmqc/broker";
import { type BackendOptionsInput, checkMaxMessageSize, curveServerKeys, resolveOptions } from "@zmqc/config";
import {
  DecodeError,
  decodeLogFrames,
  decodeLogMessage,
  decodeZeekLogRows,
  type LogBatch,
  type LogRows,
  ZEEK_BIN_SERIALIZER,
} from "@zmqc/wire-format";
import { Context, Pull } from "zeromq";
import { LOG_END_FORMAT } from "../end-marker.js";
import { batchRecordCount, type LogPayloadBatch, type WritableBatch } from "../writers/format.js";
import { checkedPayloadBatch } from "./check-payload.js";

// How often an idle receiver checks whether it is closing.
const IDLE_CHECK_MS = 100;
// The longest close() waits for a consumer to take what ZeroMQ still holds.
const DRAIN_LIMIT_MS = 5000;

/** Options of {@link startLogReceiver}: the logger's part of the backend options, with Zeek's defaults. */
export interface LogReceiverOptions
  extends Pick<
    BackendOptionsInput,
    "listenLogEndpoint" | "logRcvhwm" | "logRcvbuf" | "ipv6" | "curveServerSecretKey" | "curveClientPublicKey"
  > {
  /** Formats accepted (default: every registered log format). Zeek accepts only its configured one. */
  readonly formats?: readonly string[] | undefined;
  /**
   * The largest frame, in bytes, the PULL accepts (libzmq's `ZMQ_MAXMSGSIZE`); -1 (default, as in Zeek) = no
   * limit. A sender whose frame is larger is disconnected by libzmq before the frame is buffered (it reconnects by
   * itself); that batch and what it had in flight on the connection are lost, and libzmq tells the logger no more
   * than "disconnected". Set it above the largest batch (`writeBufferSize` records) your senders make.
   * A zmqc option: Zeek has no such setting.
   */
  readonly maxMessageSize?: number | undefined;
  /** Where problems are reported (default: stderr), at most once a second per kind. */
  readonly log?: ((line: string) => void) | undefined;
  /**
   * Decode `zeek-bin-serializer` batches with `decodeZeekLogRows` (plain cells, about three times as fast as the
   * typed values) instead of `decodeZeekLogBatch`: what a consumer that only writes files wants. The same batches
   * are refused, with the same counters. Other formats are always decoded to typed records. Default false.
   *
   * `"payload"`: `zeek-bin-serializer` batches are only checked (`decodeZeekLogView`, the same refusals) and come
   * as {@link LogPayloadBatch}: the bytes and a view of them, which `LogFileWriter` writes straight to TSV (what
   * `startLogger` uses).
   */
  readonly rows?: boolean | "payload" | undefined;
}

/**
 * A batch as received: who sent it, in which format, and its records — typed `records` (`LogBatch`), or, from a
 * receiver started with `rows: true`, plain `rows` for `zeek-bin-serializer` batches (`LogRows`).
 */
export interface ReceivedBatch<B extends WritableBatch = LogBatch> {
  readonly sender: string;
  readonly format: string;
  readonly batch: B;
}

/** What the receiver has taken in and refused. */
export interface LogReceiverStats {
  readonly batchesReceived: number;
  readonly recordsReceived: number;
  /** Messages with the wrong number of frames (Zeek's `msg_errors`). */
  readonly msgErrors: number;
  /** Batches in a format this logger does not take (Zeek: "Got log message in format …"). */
  readonly formatErrors: number;
  /** Batches that did not decode. */
  readonly decodeErrors: number;
  /** Senders the CURVE ZAP handler refused (a client key that is not the configured one); 0 without CURVE. */
  readonly authRefused: number;
  /** Batches (and their records) received per sender node id: the load-balancing share. */
  readonly perSender: ReadonlyMap<string, { readonly batches: number; readonly records: number }>;
  /** End-of-stream markers received (a sender's `retireLogger`); not batches, not counted above. */
  readonly endMarkers: number;
  /**
   * After a `close({ handoffMs })` that timed out: the senders this receiver had batches from whose end marker
   * never came (what they sent after its last batch here may be lost). Empty otherwise.
   */
  readonly sendersNotHandedOff: readonly string[];
}

/** Options of {@link LogReceiver.close}. */
export interface LogReceiverCloseOptions {
  /**
   * Before stopping, wait up to this long (ms) for the end-of-stream marker of every sender this receiver has had
   * batches from — each sender's `retireLogger(endpoint)` sends one behind its last batch for this logger — so
   * everything sent here is taken. Default 0: no hand-off, only the quiet-period drain.
   */
  readonly handoffMs?: number;
}

/** A bound PULL socket that yields decoded batches one at a time. */
export interface LogReceiver<B extends WritableBatch = LogBatch> extends AsyncDisposable {
  /** The bound endpoint (a `*` port resolved). */
  readonly endpoint: string;
  /**
   * The batches, one by one. The next message is read only when the consumer asks for it, so a slow consumer
   * holds messages back in ZeroMQ (up to `logRcvhwm` here and `logSndhwm` at each sender) instead of in memory.
   */
  batches(): AsyncIterableIterator<ReceivedBatch<B>>;
  stats(): LogReceiverStats;
  close(options?: LogReceiverCloseOptions): Promise<void>;
}

/** Binds the logger's PULL socket at `listenLogEndpoint` with `logRcvhwm` and `logRcvbuf`. */
export async function startLogReceiver(
  options: LogReceiverOptions & { readonly rows: true },
): Promise<LogReceiver<LogBatch | LogRows>>;
export async function startLogReceiver(
  options: LogReceiverOptions & { readonly rows: "payload" },
): Promise<LogReceiver<LogBatch | LogPayloadBatch>>;
export async function startLogReceiver(
  options: LogReceiverOptions & { readonly rows?: false | undefined },
): Promise<LogReceiver>;
export async function startLogReceiver(options: LogReceiverOptions): Promise<LogReceiver<WritableBatch>>;
export async function startLogReceiver(options: LogReceiverOptions): Promise<LogReceiver<WritableBatch>> {
  const {
    formats,
    log = (line: string) => process.stderr.write(`${line}\n`),
    rows = false,
    maxMessageSize = -1,
    ...backend
  } = options;
  const settings = resolveOptions(backend);
  checkMaxMessageSize(maxMessageSize, "startLogReceiver options");
  // Zeek's server mode: the PULL is a CURVE server, and a ZAP handler in its own context (so two receivers in one
  // process do not compete for the handler's address) admits only the client key. Bound before the PULL listens.
  const curve = curveServerKeys(settings);
  const context = curve ? new Context({ ipv6: settings.ipv6 }) : undefined;
  let authRefused = 0;
  let zap: ZapHandler | undefined;
  if (context && curve) {
    zap = await startZapHandler(context, curve, (refusal) => {
      authRefused++;
      log(refusalLine(refusal));
    });
  }
  // Receives time out now and then, so a closing receiver can tell "nothing left" from "nothing yet".
  const pull = new Pull({
    ...(context && curve ? { context, curveServer: true, curveSecretKey: curve.secretKey } : {}),
    receiveTimeout: IDLE_CHECK_MS,
    linger: 0,
    ipv6: settings.ipv6,
    receiveHighWaterMark: settings.logRcvhwm,
    receiveBufferSize: settings.logRcvbuf,
    maxMessageSize,
  });
  try {
    await pull.bind(settings.listenLogEndpoint || "tcp://127.0.0.1:*");
  } catch (error) {
    pull.close();
    zap?.close();
    throw error;
  }
  const endpoint = pull.lastEndpoint ?? settings.listenLogEndpoint;
  const counters = { batchesReceived: 0, recordsReceived: 0, msgErrors: 0, formatErrors: 0, decodeErrors: 0 };
  const perSender = new Map<string, { batches: number; records: number }>();
  // Senders whose end-of-stream marker came, and the hand-off close() may be waiting for.
  const ended = new Set<string>();
  let endMarkers = 0;
  let sendersNotHandedOff: string[] = [];
  let handoffWaiter: (() => void) | undefined;
  const allEnded = () => [...perSender.keys()].every((sender) => ended.has(sender));
  const lastWarning = new Map<string, number>();
  let closing = false;
  let closed = false;
  let consumers = 0;
  let closePromise: Promise<void> | undefined;
  let drained: (() => void) | undefined;
  const drainedPromise = new Promise<void>((resolve) => {
    drained = resolve;
  });

  const warn = (kind: string, line: string) => {
    const now = Date.now();
    if (now - (lastWarning.get(kind) ?? 0) < 1000) return;
    lastWarning.set(kind, now);
    log(line);
  };

  /** Reads until a good batch arrives; counts and skips everything else. Undefined once the socket is closed. */
  const nextBatch = async (): Promise<ReceivedBatch<WritableBatch> | undefined> => {
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await pull.receive();
      } catch (error) {
        // A timeout while open: keep waiting. While closing: the socket has been quiet, stop.
        if ((error as { code?: string }).code === "EAGAIN" && !closing && !closed) continue;
        return undefined;
      }
      try {
        const message = decodeLogFrames(frames);
        if (message.format === LOG_END_FORMAT) {
          endMarkers++;
          ended.add(message.sender);
          if (handoffWaiter && allEnded()) handoffWaiter();
          continue;
        }
        if (formats && !formats.includes(message.format)) {
          counters.formatErrors++;
          warn(
            "format",
            `Got log message in format '${message.format}', but have deserializer '${formats.join("', '")}'`,
          );
          continue;
        }
        const batch: WritableBatch =
          rows === "payload" && message.format === ZEEK_BIN_SERIALIZER
            ? checkedPayloadBatch(message.payload)
            : rows && message.format === ZEEK_BIN_SERIALIZER
              ? decodeZeekLogRows(message.payload)
              : decodeLogMessage(message);
        const records = batchRecordCount(batch);
        counters.batchesReceived++;
        counters.recordsReceived += records;
        const share = perSender.get(message.sender) ?? { batches: 0, records: 0 };
        share.batches++;
        share.records += records;
        perSender.set(message.sender, share);
        return { sender: message.sender, format: message.format, batch };
      } catch (error) {
        if (!DecodeError.isDecodeError(error)) throw error;
        if (error.reason === "bad_frames") {
          counters.msgErrors++;
          warn("frames", `[zeromq] pull: error: ${error.message}`);
        } else if (error.reason === "unknown_format") {
          counters.formatErrors++;
          warn("format", `Got log message in format '${error.format}', which this logger cannot read`);
        } else {
          counters.decodeErrors++;
          warn("decode", `Failed to unserialize log message: ${error.message}`);
        }
      }
    }
  };

  const receiver: LogReceiver<WritableBatch> = {
    endpoint,
    async *batches() {
      consumers++;
      try {
        while (!closed) {
          const batch = await nextBatch();
          if (!batch) return;
          yield batch;
        }
      } finally {
        if (--consumers === 0 && closing) drained?.();
      }
    },
    stats: () => ({
      ...counters,
      authRefused,
      endMarkers,
      sendersNotHandedOff: [...sendersNotHandedOff],
      perSender: new Map([...perSender].map(([id, share]) => [id, { ...share }])),
    }),
    /**
     * Lets a running `batches()` consumer take what ZeroMQ already holds (until the socket is quiet for
     * 100 ms, at most 5 s), then closes: nothing received is thrown away.
     */
    close(options: LogReceiverCloseOptions = {}) {
      // Every call gets the first one's promise: a later call must not wait for a consumer that never came.
      closePromise ??= (async () => {
        const handoffMs = options.handoffMs ?? 0;
        if (handoffMs > 0 && consumers > 0 && !allEnded()) {
          // The consumer keeps reading meanwhile; each marker checks whether every sender has ended. The timer is
          // cleared once they have: a hand-off done early must not keep the process alive for the rest of handoffMs.
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            handoffWaiter = resolve;
            timer = setTimeout(resolve, handoffMs);
          });
          clearTimeout(timer);
          handoffWaiter = undefined;
          sendersNotHandedOff = [...perSender.keys()].filter((sender) => !ended.has(sender));
        }
        // Unbinding would discard what the connections still hold; instead the consumer reads until the socket
        // has been quiet for one receive timeout (bounded in total below).
        closing = true;
        // A consumer that stopped iterating without return() would hold close() forever: the wait is bounded.
        if (consumers > 0) {
          // Cleared once drained, as the hand-off's timer: it must not keep the process alive for 5 s after close.
          let limit: NodeJS.Timeout | undefined;
          await Promise.race([
            drainedPromise,
            new Promise<void>((resolve) => {
              limit = setTimeout(resolve, DRAIN_LIMIT_MS);
            }),
          ]);
          clearTimeout(limit);
        }
        closed = true;
        pull.close();
        zap?.close();
      })();
      return closePromise;
    },
    [Symbol.asyncDispose]: () => receiver.close(),
  };
  return receiver;
}
