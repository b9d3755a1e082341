import {
  type LogReceiverCloseOptions,
  type LogReceiverOptions,
  type LogReceiverStats,
  startLogReceiver,
} from "./receiver/receiver.js";
import { LogFileWriter, type LogFileWriterOptions, type RotatedFile } from "./writers/file-writer.js";
import { batchRecordCount } from "./writers/format.js";
import { nextRotation } from "./writers/rotation.js";
import { type WrittenOptions, WrittenWaiters } from "./written-waiters.js";

/** Options of {@link startLogger}: where to listen (Zeek's names), where and how to write. */
export interface LoggerOptions extends LogReceiverOptions, LogFileWriterOptions {
  /** Rotate every log file this often (ms); Zeek's loggers rotate hourly. 0 = never. Default 3 600 000. */
  readonly rotationIntervalMs?: number;
  /** Rotation alignment, Zeek's `Log::rotation_base_time` style (`"0:00"` = local midnight, the default). */
  readonly rotationBaseTime?: string;
  /**
   * At close, rotate every open file (`<path>.<open>.log`, or the `rotation.naming` chosen) instead of leaving
   * `<path>.log`, as a terminating Zeek logger with a rotation interval does. Default false: the files stay
   * `<path>.log`, and the next logger appends to them (Zeek would truncate them).
   */
  readonly rotateOnClose?: boolean;
}

/** What the logger has done. */
export interface LoggerStats extends LogReceiverStats {
  readonly batchesWritten: number;
  readonly recordsWritten: number;
  /** Batches the file writer could not write (a disk error), counted, not lost silently. */
  readonly writeErrors: number;
  readonly rotations: number;
}

/** A running logger: a PULL socket and the files it writes. */
export interface Logger extends AsyncDisposable {
  /** The bound PULL endpoint. */
  readonly endpoint: string;
  readonly dir: string;
  stats(): LoggerStats;
  /** Rotates every open file now; resolves with the files it rotated (see `rotation.onRotated` for rotations by time). */
  rotate(): Promise<readonly RotatedFile[]>;
  /**
   * Resolves once the logger has written `records` records in all since it started (`stats().recordsWritten`):
   * what a program that sent them waits for, since PUSH/PULL has no acknowledgement. Rejects with ZmqcError
   * TIMEOUT after `timeoutMs` (default 10 000; a negative, non-finite or larger than 2^31-1 value waits for ever),
   * CLOSED when the logger stops first, and CONFIG for a count that is not a whole number.
   *
   * @example
   * ```ts
   * await sender.drain();
   * await logger.written(3); // the three records are in conn.log
   * ```
   */
  written(records: number, options?: WrittenOptions): Promise<void>;
  /**
   * Stops receiving, writes what it holds, closes every file with its `#close` line (fsync'ed). With
   * `handoffMs`, it first waits (up to that long) for the end-of-stream marker of every sender it has had batches
   * from — each sends one when told `retireLogger(this logger's endpoint)` — so a graceful stop loses nothing
   * while the senders go on logging to the other loggers; `stats().sendersNotHandedOff` names any that did not.
   */
  close(options?: LogReceiverCloseOptions): Promise<void>;
  /** Resolves when the logger has stopped: undefined, or the error that stopped it. */
  readonly closed: Promise<Error | undefined>;
}

/**
 * Starts a logger: binds the PULL socket at `listenLogEndpoint`, writes every batch to `<dir>/<path>.log` in
 * Zeek's TSV (or JSON) format, one batch at a time (the next is read only when the last is written and flushed),
 * and rotates the files every `rotationIntervalMs`.
 *
 * @example
 * ```ts
 * await using logger = await startLogger({ listenLogEndpoint: "tcp://127.0.0.1:27761", dir: "logs" });
 * ```
 */
export async function startLogger(options: LoggerOptions): Promise<Logger> {
  const {
    rotationIntervalMs = 3_600_000,
    rotationBaseTime,
    rotateOnClose = false,
    listenLogEndpoint,
    logRcvhwm,
    logRcvbuf,
    ipv6,
    formats,
    log: logLine,
    curveServerSecretKey,
    curveClientPublicKey,
    maxMessageSize,
    ...files
  } = options;
  const writer = await LogFileWriter.open(files);
  const receiver = await startLogReceiver({
    curveServerSecretKey,
    curveClientPublicKey,
    listenLogEndpoint,
    logRcvhwm,
    logRcvbuf,
    ipv6,
    formats,
    log: logLine,
    maxMessageSize,
    // Zeek's batches are checked, not decoded: the file writer formats TSV straight from their bytes.
    rows: "payload",
  });
  const counters = { batchesWritten: 0, recordsWritten: 0, writeErrors: 0, rotations: 0 };
  const waiters = new WrittenWaiters(() => counters.recordsWritten);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let rotationTimer: NodeJS.Timeout | undefined;
  // Set when the logger stops, so a rotation still running then does not arm the next one.
  let stopped = false;

  const rotate = async () => {
    const rotated = await writer.rotate();
    counters.rotations++;
    return rotated;
  };
  const scheduleRotation = () => {
    if (stopped) return;
    if (!(rotationIntervalMs > 0)) return;
    const now = Date.now();
    const at = nextRotation(
      now,
      rotationIntervalMs,
      rotationBaseTime === undefined ? {} : { baseTime: rotationBaseTime },
    );
    rotationTimer = setTimeout(
      () => {
        rotate().then(scheduleRotation, (error: unknown) => {
          log(`log rotation failed: ${(error as Error).message}`);
          scheduleRotation();
        });
      },
      Math.max(0, at - now),
    );
    rotationTimer.unref();
  };
  scheduleRotation();

  const closed = (async (): Promise<Error | undefined> => {
    try {
      for await (const { batch } of receiver.batches()) {
        const records = batchRecordCount(batch);
        try {
          await writer.write(batch);
          counters.batchesWritten++;
          counters.recordsWritten += records;
          waiters.check();
        } catch (error) {
          counters.writeErrors++;
          log(`failed to write a batch of ${records} records for ${batch.path}: ${(error as Error).message}`);
        }
      }
      return undefined;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    } finally {
      stopped = true;
      waiters.stop();
      if (rotationTimer) clearTimeout(rotationTimer);
      // Also when the loop ended on its own: senders must not keep filling a port nobody reads.
      await receiver.close();
    }
  })().then(async (failure) => {
    // `closed` resolves, never rejects: a file that cannot be closed is reported as the result.
    try {
      await writer.close({ rotate: rotateOnClose });
      return failure;
    } catch (error) {
      return failure ?? (error instanceof Error ? error : new Error(String(error)));
    }
  });

  const logger: Logger = {
    endpoint: receiver.endpoint,
    dir: writer.dir,
    stats: () => ({ ...receiver.stats(), ...counters }),
    rotate,
    written: (records, options) => waiters.wait(records, options),
    async close(options) {
      await receiver.close(options);
      await closed;
    },
    closed,
    [Symbol.asyncDispose]: () => logger.close(),
  };
  return logger;
}
