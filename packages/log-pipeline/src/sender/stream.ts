import { type LogField, type LogValue, LogValues } from "@zmqc/wire-format";
import {
  type Columns,
  type FlatColumn,
  flattenColumns,
  LogRecordError,
  type LogRecordOf,
  valueReader,
} from "./columns.js";
import { ZeekRecordEncoder } from "./record-encoder.js";

/** What defines a log stream: Zeek's stream id, the path it writes to, and its columns. */
export interface LogStreamOptions<C extends Columns> {
  /** The stream's `Log::ID` enum name, e.g. `Conn::LOG` (a Zeek logger must know it). */
  readonly id: string;
  /** The log path, e.g. `conn` (the file name on the logger). */
  readonly path: string;
  readonly columns: C;
  /** The filter name (Zeek's default filter is `default`). */
  readonly filter?: string;
  /** The writer, as a `Log::Writer` enum name (default `Log::WRITER_ASCII`). */
  readonly writer?: string;
}

/** A typed log stream: turns records into Zeek log values, checking every column. */
export interface LogStream<C extends Columns> {
  readonly id: string;
  readonly path: string;
  readonly filter: string;
  readonly writer: string;
  /** The flattened columns, as Zeek describes them in a batch. */
  readonly fields: readonly LogField[];
  /** One record as log values in field order; throws LogRecordError naming the column that does not fit. */
  toValues(record: LogRecordOf<C>): LogValue[];
}

/** The record encoder of each stream made by createLogStream (a LogStream made otherwise has none). */
const encoders = new WeakMap<object, ZeekRecordEncoder>();

/** The `zeek-bin-serializer` record encoder of a stream made by {@link createLogStream}, or undefined. */
export function zeekRecordEncoder(stream: object): ZeekRecordEncoder | undefined {
  return encoders.get(stream);
}

/**
 * Declares a log stream. The column types are checked by TypeScript on `write()` and at run time on every record.
 *
 * @example
 * ```ts
 * const conn = createLogStream({
 *   id: "Conn::LOG",
 *   path: "conn",
 *   columns: {
 *     ts: "time",
 *     uid: "string",
 *     id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
 *     service: { type: "string", optional: true },
 *     tunnel_parents: { type: { set: "string" }, optional: true },
 *   },
 * });
 * ```
 */
export function createLogStream<const C extends Columns>(options: LogStreamOptions<C>): LogStream<C> {
  const columns: FlatColumn[] = flattenColumns(options.columns);
  const fields = columns.map((column) => column.field);
  const readers = columns.map((column) => valueReader(column.path));
  const stream: LogStream<C> = {
    id: options.id,
    path: options.path,
    filter: options.filter ?? "default",
    writer: options.writer ?? "Log::WRITER_ASCII",
    fields,
    toValues(record) {
      const values: LogValue[] = new Array(columns.length);
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i] as FlatColumn;
        const value = (readers[i] as (record: unknown) => unknown)(record);
        if (value === undefined || value === null) {
          if (!column.optional) throw new LogRecordError(column.field.name, "is required");
          values[i] = LogValues.absent(column.field.type);
        } else {
          values[i] = column.convert(value);
        }
      }
      return values;
    },
  };
  encoders.set(stream, new ZeekRecordEncoder(columns, (record) => stream.toValues(record as LogRecordOf<C>)));
  return stream;
}
