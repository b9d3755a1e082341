import type { LogCell, LogField, LogValue } from "@zmqc/wire-format";
import { isLogPayload, isLogRows, type WritableBatch } from "../writers/format.js";
import type { ReceivedBatch } from "./receiver.js";

/** One log record as a program gets it from {@link decodeBatches}: where it came from, and its cells by column. */
export interface DecodedLogRecord {
  /** The sending node's id (frame 1 of the log message). */
  readonly sender: string;
  /** The stream's `Log::ID` (`Conn::LOG`). */
  readonly stream: string;
  /** The log path (`conn`). */
  readonly path: string;
  /** The batch's columns, in order (shared by every record of the batch). */
  readonly fields: readonly LogField[];
  /**
   * The record's cells by column name (`id.orig_h`), as `decodeZeekLogRows` gives them: `null` when unset, time
   * and interval in seconds, a port as its number, an enum as its name, an address as text, a subnet as
   * `address/length`, sets and vectors as arrays, counts beyond 2^53 as bigint, strings that are not UTF-8 as
   * bytes.
   */
  readonly values: Readonly<Record<string, LogCell>>;
}

/** A typed log value as the plain cell `decodeZeekLogRows` would give for it. */
export function logValueCell(value: LogValue): LogCell {
  if (!value.present) return null;
  switch (value.type) {
    case "bool":
    case "double":
    case "time":
    case "interval":
    case "string":
    case "file":
    case "func":
    case "addr":
      return value.value;
    case "int":
    case "count": {
      const n = value.value;
      // As decodeZeekLogRows: a number exactly when the high word is within ±2^53.
      return n >= -(2n ** 53n) && n < 2n ** 53n ? Number(n) : n;
    }
    case "enum":
      return value.name;
    case "port":
      return value.number;
    case "subnet":
      return `${value.address}/${value.length}`;
    case "set":
    case "vector":
      return value.elements.map(logValueCell);
  }
}

function recordOf(fields: readonly LogField[], cells: ArrayLike<LogCell>): Record<string, LogCell> {
  const values: Record<string, LogCell> = {};
  for (let i = 0; i < fields.length; i++) values[(fields[i] as LogField).name] = cells[i] as LogCell;
  return values;
}

/** The records of one batch, in order. */
function* recordsOf(received: ReceivedBatch<WritableBatch>): Generator<DecodedLogRecord> {
  const { sender, batch } = received;
  const { fields, path } = batch;
  if (isLogPayload(batch)) {
    const { view } = batch;
    for (let r = 0; r < view.rowCount; r++)
      yield { sender, stream: batch.stream, path, fields, values: recordOf(fields, view.row(r)) };
  } else if (isLogRows(batch)) {
    for (const row of batch.rows)
      yield { sender, stream: batch.stream, path, fields, values: recordOf(fields, row) };
  } else {
    for (const record of batch.records)
      yield {
        sender,
        stream: batch.stream,
        path,
        fields,
        values: recordOf(fields, record.map(logValueCell)),
      };
  }
}

/**
 * Turns a stream of received batches (a {@link LogReceiver}'s `batches()`, of any decoding) into a stream of
 * records, for programs that want records rather than files, for example to ship them elsewhere. Batches are
 * taken one at a time, as the records are consumed, so a slow consumer leaves messages in ZeroMQ (bounded by the
 * HWMs), not in memory. Stopping the iteration (`break`) stops the batches' iterator too; the receiver stays
 * open until closed.
 *
 * @param batches - the batches, e.g. `receiver.batches()`.
 * @param options - `paths`: only records of these log paths.
 *
 * @example
 * ```ts
 * await using receiver = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:27761", rows: true });
 * for await (const record of decodeBatches(receiver.batches(), { paths: ["conn"] }))
 *   console.log(record.sender, record.values.uid, record.values["id.orig_h"]);
 * ```
 */
export async function* decodeBatches(
  batches: AsyncIterable<ReceivedBatch<WritableBatch>>,
  options: { readonly paths?: readonly string[] } = {},
): AsyncGenerator<DecodedLogRecord, void, undefined> {
  const paths = options.paths === undefined ? undefined : new Set(options.paths);
  for await (const received of batches) {
    if (paths !== undefined && !paths.has(received.batch.path)) continue;
    yield* recordsOf(received);
  }
}
