import { isUtf8 } from "node:buffer";
import { decodeZeekLogView, type LogField, type LogRowsView, TypeTag } from "@zmqc/wire-format";
import { u32 } from "../u32.js";
import type { LogPayloadBatch } from "../writers/format.js";

/**
 * A `zeek-bin-serializer` batch checked by {@link checkZeekLogPayload}: its header, where its records start, and
 * a view of it made only when a cell is read (`decodeZeekLogView`'s, the same cells).
 */
export interface CheckedZeekPayload {
  readonly stream: string;
  readonly writer: string;
  readonly filter: string;
  readonly path: string;
  readonly fields: readonly LogField[];
  readonly rowCount: number;
  /** The offset of the first record (-1: not known, find it again). */
  readonly recordsAt: number;
  readonly view: LogRowsView;
}

const MAX_DEPTH = 16;
const ANY_TAG = 0x1_0000_0000; // set and vector elements: their tags are not checked
const MIN_FIELD_BYTES = 14;
const MIN_VALUE_BYTES = 9;

/** Thrown inside the check to leave it; the verdict is then the reference decoder's. */
class Refused {}
const REFUSED = new Refused();

function isText(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++)
    if ((bytes[i] as number) > 0x7f) return isUtf8(bytes.subarray(start, end));
  return true;
}

/** The same acceptance as the wire-format decoders' CellReader.read; returns the offset after the value. */
function checkValue(bytes: Uint8Array, start: number, expected: number, depth: number): number {
  const end = bytes.length;
  if (start + 9 > end) throw REFUSED;
  const tag = u32(bytes, start) | 0;
  const present = bytes[start + 8];
  if (present !== 0 && present !== 1) throw REFUSED;
  if (tag !== expected && expected !== ANY_TAG) throw REFUSED;
  const at = start + 9;
  if (present === 0) return at;
  switch (tag) {
    case TypeTag.BOOL:
      if (at + 8 > end || u32(bytes, at) !== 0 || u32(bytes, at + 4) > 1) throw REFUSED;
      return at + 8;
    case TypeTag.INT:
    case TypeTag.COUNT:
    case TypeTag.DOUBLE:
    case TypeTag.TIME:
    case TypeTag.INTERVAL:
      if (at + 8 > end) throw REFUSED;
      return at + 8;
    case TypeTag.STRING:
    case TypeTag.FILE:
    case TypeTag.FUNC:
    case TypeTag.ENUM: {
      if (at + 4 > end) throw REFUSED;
      const length = u32(bytes, at) | 0;
      const first = at + 4;
      if (length < 0 || length > end - first) throw REFUSED;
      const last = first + length;
      if (tag === TypeTag.ENUM && !isText(bytes, first, last)) throw REFUSED;
      return last;
    }
    case TypeTag.PORT:
      if (at + 12 > end || u32(bytes, at) !== 0 || u32(bytes, at + 4) > 65535 || u32(bytes, at + 8) > 3)
        throw REFUSED;
      return at + 12;
    case TypeTag.ADDR:
      return checkAddress(bytes, at);
    case TypeTag.SUBNET: {
      if (at >= end) throw REFUSED;
      const raw = bytes[at] as number;
      const after = checkAddress(bytes, at + 1);
      const v4 = bytes[at + 1] === 4;
      const length = v4 ? raw - 96 : raw;
      if (length < 0 || length > (v4 ? 32 : 128)) throw REFUSED;
      return after;
    }
    case TypeTag.TABLE:
    case TypeTag.VECTOR: {
      if (depth >= MAX_DEPTH || at + 8 > end) throw REFUSED;
      const size = u32(bytes, at + 4);
      if (u32(bytes, at) !== 0 || size * 9 > end - at - 8) throw REFUSED;
      let next = at + 8;
      for (let i = 0; i < size; i++) next = checkValue(bytes, next, ANY_TAG, depth + 1);
      return next;
    }
    default:
      throw REFUSED;
  }
}

function checkAddress(bytes: Uint8Array, at: number): number {
  if (at >= bytes.length) throw REFUSED;
  const family = bytes[at];
  if (family !== 4 && family !== 6) throw REFUSED;
  const next = at + 1 + (family === 4 ? 4 : 16);
  if (next > bytes.length) throw REFUSED;
  return next;
}

/** A name: int32 length, in range, UTF-8. */
function readName(bytes: Uint8Array, at: number): { text: string; next: number } {
  if (at + 4 > bytes.length) throw REFUSED;
  const length = u32(bytes, at) | 0;
  const first = at + 4;
  if (length < 0 || length > bytes.length - first) throw REFUSED;
  const next = first + length;
  if (!isText(bytes, first, next)) throw REFUSED;
  return { text: Buffer.from(bytes.buffer, bytes.byteOffset + first, length).toString("utf8"), next };
}

/** The records of a batch from `at` on, checked (checkValue's rules); the offset after them. */
function checkRows(bytes: Uint8Array, at: number, rowCount: number, fields: readonly LogField[]): number {
  const fieldCount = fields.length;
  const types = Int32Array.from(fields, (field) => field.type);
  const end = bytes.length;
  for (let r = 0; r < rowCount; r++) {
    for (let f = 0; f < fieldCount; f++) {
      // The common atoms checked here, in line (checkValue's rules); anything else by checkValue itself.
      const tag = types[f] as number;
      if (at + 9 > end || (u32(bytes, at) | 0) !== tag) throw REFUSED;
      const present = bytes[at + 8];
      if (present === 0) {
        at += 9;
        continue;
      }
      if (present !== 1) throw REFUSED;
      const value = at + 9;
      switch (tag) {
        case TypeTag.INT:
        case TypeTag.COUNT:
        case TypeTag.DOUBLE:
        case TypeTag.TIME:
        case TypeTag.INTERVAL:
          if (value + 8 > end) throw REFUSED;
          at = value + 8;
          continue;
        case TypeTag.STRING: {
          if (value + 4 > end) throw REFUSED;
          const length = u32(bytes, value) | 0;
          if (length < 0 || length > end - value - 4) throw REFUSED;
          at = value + 4 + length;
          continue;
        }
        case TypeTag.PORT:
          if (
            value + 12 > end ||
            u32(bytes, value) !== 0 ||
            u32(bytes, value + 4) > 65535 ||
            u32(bytes, value + 8) > 3
          )
            throw REFUSED;
          at = value + 12;
          continue;
        case TypeTag.ADDR:
          if (value + 5 <= end && bytes[value] === 4) {
            at = value + 5;
            continue;
          }
          break;
      }
      at = checkValue(bytes, at, tag, 0);
    }
  }
  return at;
}

/** A records check compiled for one list of column types: (bytes, at, rowCount) → the offset after them. */
type RowsCheck = (bytes: Uint8Array, view: DataView, at: number, rowCount: number) => number;
const compiled = new Map<string, RowsCheck | null>();
/** A logger sees few schemas; a sender of ever new ones must not grow this without bound. */
const MAX_COMPILED = 512;

/**
 * {@link checkRows} for these column types as straight-line code per column (no per-cell switch), compiled once
 * per list of types and kept; undefined where code cannot be generated. Same verdicts: a cell it does not check in
 * line goes to checkValue, and every refusal throws REFUSED.
 */
function compiledRows(fields: readonly LogField[]): RowsCheck | undefined {
  let key = "";
  for (const field of fields) key += `${field.type},`;
  const known = compiled.get(key);
  if (known !== undefined) return known ?? undefined;
  const lines: string[] = [];
  const emit = (line: string) => lines.push(line);
  emit('"use strict";');
  emit("return function checkRows(bytes, view, at, rowCount) {");
  emit("const end = bytes.length;");
  emit("let length, value;");
  emit("for (let r = 0; r < rowCount; r++) {");
  fields.forEach((field, column) => {
    const tag = field.type | 0;
    const word = tag >>> 0;
    emit(`// column ${column}`);
    emit(`if (at + 9 > end || view.getUint32(at) !== ${word}) throw REFUSED;`);
    emit("if (bytes[at + 8] === 0) at += 9;");
    emit("else if (bytes[at + 8] !== 1) throw REFUSED;");
    emit("else {");
    emit("  value = at + 9;");
    switch (tag) {
      case TypeTag.INT:
      case TypeTag.COUNT:
      case TypeTag.DOUBLE:
      case TypeTag.TIME:
      case TypeTag.INTERVAL:
        emit("  if (value + 8 > end) throw REFUSED;");
        emit("  at = value + 8;");
        break;
      case TypeTag.STRING:
        emit("  if (value + 4 > end) throw REFUSED;");
        emit("  length = view.getInt32(value);");
        emit("  if (length < 0 || length > end - value - 4) throw REFUSED;");
        emit("  at = value + 4 + length;");
        break;
      case TypeTag.PORT:
        emit(
          "  if (value + 12 > end || view.getUint32(value) !== 0 || view.getUint32(value + 4) > 65535 || view.getUint32(value + 8) > 3) throw REFUSED;",
        );
        emit("  at = value + 12;");
        break;
      case TypeTag.ADDR:
        emit("  if (value + 5 <= end && bytes[value] === 4) at = value + 5;");
        emit(`  else at = checkValue(bytes, at, ${tag}, 0);`);
        break;
      default:
        emit(`  at = checkValue(bytes, at, ${tag}, 0);`);
    }
    emit("}");
  });
  emit("}");
  emit("return at;");
  emit("};");
  let rows: RowsCheck | null = null;
  try {
    rows = new Function("checkValue", "REFUSED", lines.join("\n"))(checkValue, REFUSED) as RowsCheck;
  } catch {
    rows = null;
  }
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(key, rows);
  return rows ?? undefined;
}

function checkBatch(bytes: Uint8Array, compile: boolean): Omit<CheckedZeekPayload, "view"> {
  const names: string[] = [];
  let at = 0;
  for (let i = 0; i < 4; i++) {
    const name = readName(bytes, at);
    names.push(name.text);
    at = name.next;
  }
  if (at + 4 > bytes.length) throw REFUSED;
  const fieldCount = u32(bytes, at);
  at += 4;
  if (fieldCount * MIN_FIELD_BYTES > bytes.length - at) throw REFUSED;
  const fields: LogField[] = new Array(fieldCount);
  for (let i = 0; i < fieldCount; i++) {
    if (at >= bytes.length) throw REFUSED;
    const secondary = bytes[at] as number;
    if (secondary > 1) throw REFUSED;
    at += 1;
    let secondaryName: string | undefined;
    if (secondary === 1) {
      const name = readName(bytes, at);
      secondaryName = name.text;
      at = name.next;
    }
    const name = readName(bytes, at);
    at = name.next;
    if (at + 9 > bytes.length) throw REFUSED;
    const type = u32(bytes, at) | 0;
    const subtype = u32(bytes, at + 4) | 0;
    const optional = bytes[at + 8] as number;
    if (optional > 1) throw REFUSED;
    at += 9;
    const field: LogField = { name: name.text, type, subtype, optional: optional === 1 };
    fields[i] = secondaryName === undefined ? field : { ...field, secondaryName };
  }
  if (at + 4 > bytes.length) throw REFUSED;
  const rowCount = u32(bytes, at);
  at += 4;
  if (fieldCount === 0 && rowCount > 0) throw REFUSED;
  if (rowCount * fieldCount * MIN_VALUE_BYTES > bytes.length - at) throw REFUSED;
  const recordsAt = at;
  const rows = compile ? compiledRows(fields) : undefined;
  at =
    rows === undefined
      ? checkRows(bytes, at, rowCount, fields)
      : rows(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), at, rowCount);
  const [stream = "", writer = "", filter = "", path = ""] = names;
  return { stream, writer, filter, path, fields, rowCount, recordsAt };
}

/**
 * Checks a `zeek-bin-serializer` batch as strictly as `decodeZeekLogRows` and `decodeZeekLogView` — it accepts
 * exactly the batches they accept — in one pass that builds no cells and records no offsets: the fastest check
 * for a logger that then writes the batch from its bytes. A batch it refuses is handed to `decodeZeekLogView`,
 * whose DecodeError is thrown (the reference decides every refusal). The view is made only when asked for.
 *
 * @param compile - check the records with code compiled for the batch's column types (default), or with the
 *   interpreted loop (the same verdicts; what runs where code cannot be generated, and what the tests compare).
 */
export function checkZeekLogPayload(bytes: Uint8Array, compile = true): CheckedZeekPayload {
  let header: Omit<CheckedZeekPayload, "view">;
  try {
    header = checkBatch(bytes, compile);
  } catch (error) {
    if (error !== REFUSED) throw error;
    // The reference's verdict, with its error; should it accept, its view serves.
    const view = decodeZeekLogView(bytes);
    const { stream, writer, filter, path, fields, rowCount } = view;
    return { stream, writer, filter, path, fields, rowCount, recordsAt: -1, view };
  }
  let view: LogRowsView | undefined;
  return {
    ...header,
    get view() {
      view ??= decodeZeekLogView(bytes);
      return view;
    },
  };
}

/** {@link checkZeekLogPayload} as a batch for the file writer (the view still made only on first access). */
export function checkedPayloadBatch(payload: Uint8Array): LogPayloadBatch {
  const checked = checkZeekLogPayload(payload);
  const { stream, path, fields, rowCount, recordsAt } = checked;
  return {
    stream,
    path,
    fields,
    rowCount,
    recordsAt,
    payload,
    get view() {
      return checked.view;
    },
  };
}
