import type { LogBatch, LogCell, LogField, LogRows, LogRowsView, LogValue } from "@zmqc/wire-format";
import type { ByteSink } from "./byte-sink.js";

/**
 * A log file format: what Zeek's ASCII writer puts at the top of a file, for each record, and at the end.
 * {@link ZeekTsvFormat} and {@link ZeekJsonFormat} implement it; {@link LogFileWriter} writes with one.
 */
export interface LogFormat {
  /** `"tsv"` (Zeek's default ASCII log) or `"json"` (`LogAscii::use_json=T`). */
  readonly kind: "tsv" | "json";
  /**
   * What a new file starts with: the `#separator` … `#types` lines, one line of column names in `tsv` mode, or
   * nothing (JSON).
   *
   * @param path - the log path (`conn`), as `#path` shows it.
   * @param openedAt - epoch milliseconds, for `#open`.
   */
  header(path: string, fields: readonly LogField[], openedAt: number): string;
  /** What a closed file ends with: `#close` and the time (epoch milliseconds), or nothing. */
  footer(closedAt: number): string;
  /** One record of typed values (`decodeZeekLogBatch`) as one line, `\n` included. */
  formatRecord(fields: readonly LogField[], record: readonly LogValue[]): string;
  /** One record of plain cells (`decodeZeekLogRows`) as one line, `\n` included. */
  formatCells(fields: readonly LogField[], cells: readonly LogCell[]): string;
  /**
   * Optional: every record of a checked `zeek-bin-serializer` batch written straight from its bytes into `sink`,
   * the same bytes as {@link LogFormat.formatCells} of its rows. False when this format cannot (then the file
   * writer formats the rows).
   */
  writePayload?(batch: LogPayloadBatch, sink: ByteSink): boolean;
}

/**
 * A `zeek-bin-serializer` batch as it came off the wire, checked (`decodeZeekLogView`, or the logger's own check
 * with the same verdicts) but not decoded: what a logger writes fastest. `payload` is the batch's bytes (frame 3
 * of the log message).
 */
export interface LogPayloadBatch {
  readonly stream: string;
  readonly path: string;
  readonly fields: readonly LogField[];
  readonly rowCount: number;
  readonly payload: Uint8Array;
  /** A view of the payload's cells (it may be made on first access). */
  readonly view: LogRowsView;
  /** The offset of the first record, when known (saves finding it again). */
  readonly recordsAt?: number;
}

/** A batch of either kind: typed records (`decodeZeekLogBatch`) or plain rows (`decodeZeekLogRows`). */
export type LogBatchLike = LogBatch | LogRows;

/** What {@link LogFileWriter} writes: a decoded batch or a checked payload. */
export type WritableBatch = LogBatchLike | LogPayloadBatch;

/** True for a batch of plain rows. */
export function isLogRows(batch: WritableBatch): batch is LogRows {
  return "rows" in batch;
}

/** True for a checked payload ({@link LogPayloadBatch}). */
export function isLogPayload(batch: WritableBatch): batch is LogPayloadBatch {
  return "payload" in batch;
}

/** A checked payload as a batch: its view's names and columns, and the bytes. */
export function payloadBatch(view: LogRowsView, payload: Uint8Array): LogPayloadBatch {
  return {
    stream: view.stream,
    path: view.path,
    fields: view.fields,
    rowCount: view.rowCount,
    view,
    payload,
  };
}

/** How many records a batch holds. */
export function batchRecordCount(batch: WritableBatch): number {
  if (isLogPayload(batch)) return batch.rowCount;
  return isLogRows(batch) ? batch.rows.length : batch.records.length;
}

/** Every record of a batch as lines of `format`, in order. */
export function formatBatch(format: LogFormat, batch: WritableBatch): string {
  let out = "";
  if (isLogPayload(batch)) {
    const { view } = batch;
    for (let r = 0; r < view.rowCount; r++) out += format.formatCells(batch.fields, view.row(r));
  } else if (isLogRows(batch)) for (const row of batch.rows) out += format.formatCells(batch.fields, row);
  else for (const record of batch.records) out += format.formatRecord(batch.fields, record);
  return out;
}
