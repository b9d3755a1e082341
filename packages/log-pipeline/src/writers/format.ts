import type { LogBatch, LogCell, LogField, LogRows, LogValue } from "@zmqc/wire-format";

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
}

/** A batch of either kind: typed records (`decodeZeekLogBatch`) or plain rows (`decodeZeekLogRows`). */
export type LogBatchLike = LogBatch | LogRows;

/** True for a batch of plain rows. */
export function isLogRows(batch: LogBatchLike): batch is LogRows {
  return "rows" in batch;
}

/** Every record of a batch as lines of `format`, in order. */
export function formatBatch(format: LogFormat, batch: LogBatchLike): string {
  let out = "";
  if (isLogRows(batch)) for (const row of batch.rows) out += format.formatCells(batch.fields, row);
  else for (const record of batch.records) out += format.formatRecord(batch.fields, record);
  return out;
}
