import { ByteReader } from "../bytes/reader.js";
import { decodeText, formatIpv4, isText } from "../bytes/text.js";
import { DecodeError, type DecodeReason } from "../errors.js";
import { formatFamilyAddress } from "./address.js";
import { readBatchHeader } from "./decode.js";
import { type LogField, TypeTag, ZEEK_BIN_SERIALIZER } from "./model.js";

/**
 * One log value as a plain JavaScript value, the way Zeek's log writers print it: `null` when unset; bool as
 * boolean; int and count as number when exact (|v| ≤ 2^53), else bigint; double, time and interval as number
 * (seconds); string, file and func as text (bytes when not UTF-8); enum as its name; port as its number; addr as
 * text; subnet as `address/length`; set and vector as arrays.
 */
export type LogCell = null | boolean | number | bigint | string | Uint8Array | readonly LogCell[];

/** A log batch with plain rows: what a logger needs to write a file, decoded without the typed value model. */
export interface LogRows {
  readonly stream: string;
  readonly writer: string;
  readonly filter: string;
  readonly path: string;
  readonly fields: readonly LogField[];
  readonly rows: readonly (readonly LogCell[])[];
  /** Bytes after the last record (Zeek ignores them). */
  readonly trailingBytes: number;
}

/**
 * A checked log batch whose cells are decoded only when read ({@link decodeZeekLogView}). Every cell reads as
 * the value {@link decodeZeekLogRows} puts in the same place.
 *
 * The view keeps the batch's bytes and reads them again on each access: they must not change while it is in use
 * (zeromq.js hands each message its own Buffer, so a receiver can keep it). Rows and columns out of range throw a
 * RangeError; a checked batch never throws a DecodeError on access.
 */
export interface LogRowsView {
  /** The stream's `Log::ID` enum name, e.g. `Conn::LOG`. */
  readonly stream: string;
  /** The writer's `Log::Writer` enum name, e.g. `Log::WRITER_ASCII`. */
  readonly writer: string;
  /** The filter's name, e.g. `default`. */
  readonly filter: string;
  /** The log path, e.g. `conn`. */
  readonly path: string;
  /** The columns; a cell's `column` indexes this array. */
  readonly fields: readonly LogField[];
  /** How many records the batch holds. */
  readonly rowCount: number;
  /** Bytes after the last record (Zeek ignores them). */
  readonly trailingBytes: number;
  /** The cell at `row`, `column`, decoded now (each call decodes again: read a cell once, or keep what you read). */
  cell(row: number, column: number): LogCell;
  /** Whether the cell is set (present on the wire), without decoding it. */
  isSet(row: number, column: number): boolean;
  /**
   * The raw bytes of a set string, enum, file or func cell — a view into the batch, no copy, no UTF-8 check —
   * or undefined for an unset cell or a column of another type. For writers that escape bytes themselves.
   */
  bytes(row: number, column: number): Uint8Array | undefined;
  /** One record's cells, decoded now. */
  row(row: number): LogCell[];
  /** Every record decoded now: what {@link decodeZeekLogRows} returns for the same bytes. */
  toRows(): LogRows;
}

const MAX_DEPTH = 16;
const MAX_EXACT_HIGH = 0x1f_ffff; // 2^53 = high word 0x200000
/**
 * The expected tag of set and vector elements, whose types are not checked: outside the int32 range, so no tag
 * read from the wire (a column's may be any int32, negative ones included) can be taken for it.
 */
const ANY_TAG = 0x1_0000_0000;

function fail(reason: DecodeReason, detail: string, at: number): never {
  throw new DecodeError(ZEEK_BIN_SERIALIZER, reason, at, detail);
}

/** The error ByteReader.need gives: `what` needs `count` bytes at `at` and fewer are left. */
function truncated(bytes: Uint8Array, at: number, count: number, what: string): never {
  return fail("truncated", `${what} needs ${count} bytes, ${bytes.length - at} left`, at);
}

/**
 * Reads cells from `offset` on. The rows decoder and a view's accessors build cells (`build` true); a view's
 * first pass only checks them (`build` false, every cell read as null). Both run the same checks, so a view
 * refuses exactly the batches the rows decoder refuses, with the same error.
 */
class CellReader {
  readonly bytes: Uint8Array;
  readonly build: boolean;
  readonly data: DataView;
  offset: number;

  constructor(bytes: Uint8Array, offset: number, build: boolean) {
    this.bytes = bytes;
    this.build = build;
    this.data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  /** One value; `expected` is the column's type tag ({@link ANY_TAG} inside sets and vectors: elements are unchecked). */
  read(expected: number, depth: number, row: number, column: number): LogCell {
    const bytes = this.bytes;
    const data = this.data;
    const end = bytes.length;
    const start = this.offset;
    if (start + 9 > end) fail("truncated", "a value header needs 9 bytes", start);
    const tag = this.data.getInt32(start);
    const present = bytes[start + 8];
    if (present !== 0 && present !== 1)
      fail("bad_value", `present byte ${present} is neither 0 nor 1`, start + 8);
    if (tag !== expected && expected !== ANY_TAG)
      fail("bad_value", `record ${row} field ${column} has type tag ${tag}, the column ${expected}`, start);
    const at = start + 9;
    this.offset = at;
    if (present === 0) return null;
    switch (tag) {
      case TypeTag.BOOL: {
        if (at + 8 > end) truncated(bytes, at, 8, "bool");
        const high = data.getUint32(at);
        const low = data.getUint32(at + 4);
        if (high !== 0 || low > 1) fail("bad_value", "a bool is neither 0 nor 1", at);
        this.offset = at + 8;
        return low === 1;
      }
      case TypeTag.INT: {
        if (at + 8 > end) truncated(bytes, at, 8, "int");
        this.offset = at + 8;
        if (!this.build) return null;
        const high = data.getUint32(at);
        const low = data.getUint32(at + 4);
        if (high <= MAX_EXACT_HIGH) return high * 0x1_0000_0000 + low;
        if (high >= 0xffe0_0000) return (high - 0x1_0000_0000) * 0x1_0000_0000 + low; // negative, still exact
        return BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low));
      }
      case TypeTag.COUNT: {
        if (at + 8 > end) truncated(bytes, at, 8, "count");
        this.offset = at + 8;
        if (!this.build) return null;
        const high = data.getUint32(at);
        const low = data.getUint32(at + 4);
        if (high <= MAX_EXACT_HIGH) return high * 0x1_0000_0000 + low;
        return (BigInt(high) << 32n) | BigInt(low);
      }
      case TypeTag.DOUBLE:
      case TypeTag.TIME:
      case TypeTag.INTERVAL:
        if (at + 8 > end) truncated(bytes, at, 8, "double");
        this.offset = at + 8;
        return this.build ? data.getFloat64(at) : null;
      case TypeTag.STRING:
      case TypeTag.FILE:
      case TypeTag.FUNC:
      case TypeTag.ENUM: {
        if (at + 4 > end) truncated(bytes, at, 4, "string length");
        const length = data.getUint32(at) | 0;
        if (length < 0) fail("bad_length", `string length ${length} is negative`, at);
        const first = at + 4;
        if (length > end - first)
          fail("bad_length", `string length ${length} runs past the end (${end - first} bytes left)`, at);
        const last = first + length;
        this.offset = last;
        if (tag !== TypeTag.ENUM) return this.build ? decodeText(bytes, first, last) : null;
        if (!this.build) {
          if (!isText(bytes, first, last)) fail("bad_value", "enum name is not UTF-8", start);
          return null;
        }
        const name = decodeText(bytes, first, last);
        return typeof name === "string" ? name : fail("bad_value", "enum name is not UTF-8", start);
      }
      case TypeTag.PORT: {
        if (at + 8 > end) truncated(bytes, at, 8, "port");
        const high = data.getUint32(at);
        const number = data.getUint32(at + 4);
        if (high !== 0 || number > 65535) fail("bad_value", "port is over 65535", at);
        if (at + 12 > end) truncated(bytes, at + 8, 4, "port protocol");
        const protocol = data.getUint32(at + 8);
        if (protocol > 3) fail("bad_value", "port protocol is not 0-3", at + 8);
        this.offset = at + 12;
        return number;
      }
      case TypeTag.ADDR:
        return this.address(at);
      case TypeTag.SUBNET: {
        if (at >= end) truncated(bytes, at, 1, "subnet length");
        const raw = bytes[at] as number;
        const address = this.address(at + 1);
        const v4 = bytes[at + 1] === 4;
        const length = v4 ? raw - 96 : raw;
        if (length < 0 || length > (v4 ? 32 : 128))
          fail("bad_value", `subnet length ${raw} is out of range`, at);
        return this.build ? `${address}/${length}` : null;
      }
      case TypeTag.TABLE:
      case TypeTag.VECTOR: {
        if (depth >= MAX_DEPTH) fail("too_deep", `sets and vectors nest deeper than ${MAX_DEPTH}`, start);
        if (at + 8 > end) truncated(bytes, at, 8, "container size");
        const high = data.getUint32(at);
        const size = data.getUint32(at + 4);
        if (high !== 0 || size * 9 > end - at - 8) fail("bad_length", "container size runs past the end", at);
        this.offset = at + 8;
        if (!this.build) {
          for (let i = 0; i < size; i++) this.read(ANY_TAG, depth + 1, row, column);
          return null;
        }
        const cells: LogCell[] = new Array(size);
        for (let i = 0; i < size; i++) cells[i] = this.read(ANY_TAG, depth + 1, row, column);
        return cells;
      }
      default:
        return fail("bad_tag", `type tag ${tag} cannot carry a log value`, start);
    }
  }

  /** An address: family byte 4 or 6, then 4 or 16 bytes. */
  private address(at: number): string | null {
    const bytes = this.bytes;
    if (at >= bytes.length) truncated(bytes, at, 1, "address family");
    const family = bytes[at];
    if (family !== 4 && family !== 6) fail("bad_value", `address family ${family} is neither 4 nor 6`, at);
    const count = family === 4 ? 4 : 16;
    if (at + 1 + count > bytes.length) truncated(bytes, at + 1, count, "address");
    this.offset = at + 1 + count;
    if (!this.build) return null;
    return family === 4 ? formatIpv4(bytes, at + 1) : formatFamilyAddress(bytes.subarray(at + 1, at + 17));
  }
}

/**
 * Decodes a `zeek-bin-serializer` batch straight into plain rows. It checks what {@link decodeZeekLogBatch}
 * checks (every length and count against the bytes left, value types against their columns, families, ports,
 * subnet lengths, depth) and throws only DecodeError, but allocates no value objects: about three times as fast,
 * and the fastest way for a logger that writes every record it receives. Use decodeZeekLogBatch to re-encode or to
 * keep subtypes and protocols, {@link decodeZeekLogView} to read only some cells.
 */
export function decodeZeekLogRows(bytes: Uint8Array): LogRows {
  const reader = new ByteReader(bytes, ZEEK_BIN_SERIALIZER);
  const { stream, writer, filter, path, fields, recordCount } = readBatchHeader(reader);
  const width = fields.length;
  const types = fields.map((field) => field.type);
  const cells = new CellReader(bytes, reader.offset, true);
  const rows: LogCell[][] = new Array(recordCount);
  for (let r = 0; r < recordCount; r++) {
    const row: LogCell[] = new Array(width);
    for (let f = 0; f < width; f++) row[f] = cells.read(types[f] as number, 0, r, f);
    rows[r] = row;
  }
  return { stream, writer, filter, path, fields, rows, trailingBytes: bytes.length - cells.offset };
}

class RowsView implements LogRowsView {
  readonly stream: string;
  readonly writer: string;
  readonly filter: string;
  readonly path: string;
  readonly fields: readonly LogField[];
  readonly rowCount: number;
  readonly trailingBytes: number;
  private readonly width: number;
  private readonly types: Int32Array;
  /** Where each cell's value header starts, row-major. */
  private readonly starts: Float64Array;
  private readonly cells: CellReader;

  constructor(bytes: Uint8Array) {
    const reader = new ByteReader(bytes, ZEEK_BIN_SERIALIZER);
    const { stream, writer, filter, path, fields, recordCount } = readBatchHeader(reader);
    this.stream = stream;
    this.writer = writer;
    this.filter = filter;
    this.path = path;
    this.fields = fields;
    this.rowCount = recordCount;
    const width = fields.length;
    this.width = width;
    const types = Int32Array.from(fields, (field) => field.type);
    this.types = types;
    // The header check bounds recordCount * width by the bytes left, so this allocation is bounded by the input.
    // Doubles, not 32-bit offsets: one array type keeps the stores below monomorphic, for inputs of any size.
    const starts = new Float64Array(recordCount * width);
    const check = new CellReader(bytes, reader.offset, false);
    let i = 0;
    for (let r = 0; r < recordCount; r++) {
      for (let f = 0; f < width; f++) {
        starts[i++] = check.offset;
        check.read(types[f] as number, 0, r, f);
      }
    }
    this.starts = starts;
    this.trailingBytes = bytes.length - check.offset;
    this.cells = new CellReader(bytes, 0, true);
  }

  private start(row: number, column: number): number {
    // `>>> 0` keeps only whole numbers from 0 to 2^32-1, so NaN, fractions and negatives fail the comparison.
    if (row >>> 0 !== row || row >= this.rowCount)
      throw new RangeError(`row ${row} is not in 0 … ${this.rowCount - 1}`);
    if (column >>> 0 !== column || column >= this.width)
      throw new RangeError(`column ${column} is not in 0 … ${this.width - 1}`);
    return this.starts[row * this.width + column] as number;
  }

  cell(row: number, column: number): LogCell {
    const start = this.start(row, column);
    const cells = this.cells;
    const bytes = cells.bytes;
    if (bytes[start + 8] === 0) return null;
    // The first pass checked every byte of the batch, so the common atoms are read here without checks again.
    const at = start + 9;
    const data = cells.data;
    switch (this.types[column]) {
      case TypeTag.DOUBLE:
      case TypeTag.TIME:
      case TypeTag.INTERVAL:
        return data.getFloat64(at);
      case TypeTag.STRING:
      case TypeTag.FILE:
      case TypeTag.FUNC:
      case TypeTag.ENUM:
        return decodeText(bytes, at + 4, at + 4 + data.getUint32(at));
      case TypeTag.COUNT: {
        const high = data.getUint32(at);
        if (high <= MAX_EXACT_HIGH) return high * 0x1_0000_0000 + data.getUint32(at + 4);
        break;
      }
      case TypeTag.PORT:
        return data.getUint32(at + 4);
      case TypeTag.BOOL:
        return bytes[at + 7] === 1;
      case TypeTag.ADDR:
        if (bytes[at] === 4) return formatIpv4(bytes, at + 1);
        break;
    }
    // Everything else (ints, large counts, IPv6, subnets, containers) takes the checked reader.
    cells.offset = start;
    return cells.read(this.types[column] as number, 0, row, column);
  }

  isSet(row: number, column: number): boolean {
    return this.cells.bytes[this.start(row, column) + 8] === 1;
  }

  bytes(row: number, column: number): Uint8Array | undefined {
    const start = this.start(row, column);
    const bytes = this.cells.bytes;
    if (bytes[start + 8] !== 1) return undefined;
    switch (this.types[column]) {
      case TypeTag.STRING:
      case TypeTag.FILE:
      case TypeTag.FUNC:
      case TypeTag.ENUM: {
        const first = start + 13;
        return bytes.subarray(first, first + this.cells.data.getUint32(start + 9));
      }
      default:
        return undefined;
    }
  }

  row(row: number): LogCell[] {
    const width = this.width;
    const out: LogCell[] = new Array(width);
    for (let f = 0; f < width; f++) out[f] = this.cell(row, f);
    return out;
  }

  toRows(): LogRows {
    const rows: LogCell[][] = new Array(this.rowCount);
    for (let r = 0; r < this.rowCount; r++) rows[r] = this.row(r);
    const { stream, writer, filter, path, fields, trailingBytes } = this;
    return { stream, writer, filter, path, fields, rows, trailingBytes };
  }
}

/**
 * Checks a `zeek-bin-serializer` batch as strictly as {@link decodeZeekLogRows} — the same checks, the same
 * DecodeError for the same bytes, all of it now — but builds no cells: it records where each value starts and
 * decodes a cell only when it is read. Reading every cell once costs more than decodeZeekLogRows (two passes
 * instead of one); a consumer that reads only some columns, or takes strings as bytes ({@link LogRowsView.bytes}),
 * skips the cost of the rest.
 *
 * @example
 * ```ts
 * const view = decodeZeekLogView(payload);
 * const uid = view.fields.findIndex((field) => field.name === "uid");
 * for (let r = 0; r < view.rowCount; r++) console.log(view.cell(r, uid));
 * ```
 */
export function decodeZeekLogView(bytes: Uint8Array): LogRowsView {
  return new RowsView(bytes);
}
