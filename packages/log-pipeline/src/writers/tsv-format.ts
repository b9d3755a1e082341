import { ZmqcError } from "@zmqc/config";
import { type LogCell, type LogField, type LogValue, TypeTag } from "@zmqc/wire-format";
import { renderAddress, renderSubnet } from "./address.js";
import type { ByteSink } from "./byte-sink.js";
import { hexEscape } from "./escape.js";
import type { LogFormat, LogPayloadBatch } from "./format.js";
import { formatZeekDouble, formatZeekFixed6 } from "./numbers.js";
import { checkTimeZone, type TimeZone } from "./time.js";
import { TsvEscaper } from "./tsv-escape.js";
import { type TsvMeta, tsvFooter, tsvHeader } from "./tsv-header.js";
import { type TsvPayloadStyle, writeTsvPayload } from "./tsv-payload.js";

/** Options of {@link ZeekTsvFormat}: Zeek's `LogAscii::` options, with Zeek's defaults. */
export interface TsvFormatOptions {
  /** `LogAscii::separator`, default tab. */
  readonly separator?: string;
  /** `LogAscii::set_separator`, default `,`. */
  readonly setSeparator?: string;
  /** `LogAscii::empty_field`, default `(empty)`. */
  readonly emptyField?: string;
  /** `LogAscii::unset_field`, default `-`. */
  readonly unsetField?: string;
  /** `LogAscii::meta_prefix`, default `#`; it must start with an ASCII character. */
  readonly metaPrefix?: string;
  /** `LogAscii::enable_utf_8`, default true: valid UTF-8 passes unescaped. */
  readonly utf8?: boolean;
  /** `LogAscii::include_meta`, default true: write the header and `#close`. */
  readonly includeMeta?: boolean;
  /** The filter's `tsv="T"` config: the header is one line of column names, and there is no `#close`. */
  readonly tsv?: boolean;
  /** Zone of the `#open`/`#close` timestamps; default `"local"`, as Zeek (`localtime_r`). */
  readonly timeZone?: TimeZone;
}

// Characters of every non-string value (numbers, nan/inf, T/F, addresses, subnets): separators made of other
// characters never occur in them, so those values skip the escaper.
const NUMERIC_ALPHABET = /[0-9a-fA-FnitTF.:/-]/;

function checkText(name: string, value: unknown, allowEmpty: boolean): string {
  if (typeof value !== "string" || (!allowEmpty && value === ""))
    throw new ZmqcError("CONFIG", `TSV option ${name} must be a ${allowEmpty ? "" : "non-empty "}string`);
  return value;
}

function checkFlag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new ZmqcError("CONFIG", `TSV option ${name} must be a boolean`);
  return value;
}

/**
 * Zeek's ASCII log writer in its default (TSV) form, exact to the byte (zeek/zeek v8.2.2,
 * src/threading/formatters/Ascii.cc `Ascii::Describe`, src/logging/writers/ascii/Ascii.cc `DoWrite`):
 *
 * - columns joined by the separator, `\n` at the end; unset values as `-`;
 * - bool `T`/`F`; int, count and port (the number only) in decimal; addr and subnet as Zeek renders them;
 * - double as `double_to_str` (see {@link formatZeekDouble}), time and interval with six decimals;
 * - string, enum, file, func: `(empty)` when empty; a value equal to `-` or `(empty)` gets its first byte
 *   escaped (`\x2d`, `\x28empty)`); otherwise escaped as {@link TsvEscaper} describes;
 * - set and vector: `(empty)` when empty, else the elements joined by `,`, which is escaped inside them;
 * - a line that starts with the meta prefix `#` gets that first byte escaped (`\x23`).
 *
 * Set elements are printed in the order they came; Zeek sends its hash order.
 */
export class ZeekTsvFormat implements LogFormat {
  readonly kind = "tsv";
  private readonly meta: TsvMeta;
  private readonly includeMeta: boolean;
  private readonly tsvMode: boolean;
  private readonly escaper: TsvEscaper;
  private readonly plainNumbers: boolean;
  /** Whether the set separator is an escape sequence now (ODesc's escape set, mutated as Zeek does). */
  private inSet = false;
  private readonly unsetBytes: Uint8Array;
  private readonly emptyBytes: Uint8Array;
  /** How {@link writeTsvPayload} writes this format; undefined when numbers may need escaping (custom separators). */
  private readonly payloadStyle: TsvPayloadStyle | undefined;

  constructor(options: TsvFormatOptions = {}) {
    const timeZone = options.timeZone ?? "local";
    checkTimeZone(timeZone);
    this.meta = {
      separator: checkText("separator", options.separator ?? "\t", false),
      setSeparator: checkText("setSeparator", options.setSeparator ?? ",", false),
      emptyField: checkText("emptyField", options.emptyField ?? "(empty)", true),
      unsetField: checkText("unsetField", options.unsetField ?? "-", true),
      metaPrefix: checkText("metaPrefix", options.metaPrefix ?? "#", false),
      timeZone,
    };
    // Zeek escapes the first byte of a line that starts with the prefix; a non-ASCII first byte would leave a
    // broken UTF-8 sequence behind.
    if (this.meta.metaPrefix.charCodeAt(0) >= 0x80)
      throw new ZmqcError("CONFIG", "TSV option metaPrefix must start with an ASCII character");
    this.includeMeta = checkFlag("includeMeta", options.includeMeta, true);
    this.tsvMode = checkFlag("tsv", options.tsv, false);
    this.escaper = new TsvEscaper(
      this.meta.separator,
      this.meta.setSeparator,
      checkFlag("utf8", options.utf8, true),
    );
    this.plainNumbers = this.escaper.neverMatches(NUMERIC_ALPHABET);
    this.unsetBytes = Buffer.from(this.meta.unsetField, "utf8");
    this.emptyBytes = Buffer.from(this.meta.emptyField, "utf8");
    this.payloadStyle = this.plainNumbers
      ? {
          separator: Buffer.from(this.meta.separator, "utf8"),
          separatorByte: Buffer.from(this.meta.separator, "utf8")[0] as number,
          setSeparator: Buffer.from(this.meta.setSeparator, "utf8"),
          setSeparatorByte: Buffer.from(this.meta.setSeparator, "utf8")[0] as number,
          unset: Buffer.from(this.marker(this.meta.unsetField), "utf8"),
          empty: Buffer.from(this.marker(this.meta.emptyField), "utf8"),
          unsetField: this.unsetBytes,
          emptyField: this.emptyBytes,
          metaPrefix: Buffer.from(this.meta.metaPrefix, "utf8"),
          fallback: (view, row, column) => {
            const field = view.fields[column] as LogField;
            this.inSet = false;
            return this.cell(view.cell(row, column), field.type, field.subtype);
          },
        }
      : undefined;
  }

  header(path: string, fields: readonly LogField[], openedAt: number): string {
    if (!this.includeMeta) return "";
    if (this.tsvMode) return `${fields.map((field) => field.name).join(this.meta.separator)}\n`;
    return tsvHeader(this.meta, path, fields, openedAt);
  }

  footer(closedAt: number): string {
    return this.includeMeta && !this.tsvMode ? tsvFooter(this.meta, closedAt) : "";
  }

  formatRecord(_fields: readonly LogField[], record: readonly LogValue[]): string {
    this.inSet = false;
    let line = "";
    for (let i = 0; i < record.length; i++) {
      if (i > 0) line += this.meta.separator;
      line += this.value(record[i] as LogValue);
    }
    return this.finish(line);
  }

  formatCells(fields: readonly LogField[], cells: readonly LogCell[]): string {
    this.inSet = false;
    let line = "";
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) line += this.meta.separator;
      const field = fields[i];
      if (field === undefined)
        throw new ZmqcError("ENCODE", `row has ${cells.length} cells for ${fields.length} fields`);
      line += this.cell(cells[i] as LogCell, field.type, field.subtype);
    }
    return this.finish(line);
  }

  /** Every record of a checked payload straight into `sink` (see {@link writeTsvPayload}); false if it cannot. */
  writePayload(batch: LogPayloadBatch, sink: ByteSink): boolean {
    if (this.payloadStyle === undefined) return false;
    writeTsvPayload(batch, sink, this.payloadStyle);
    return true;
  }

  /** The newline, and Ascii::DoWrite's rule: a line that starts with the meta prefix escapes its first byte. */
  private finish(line: string): string {
    const prefix = this.meta.metaPrefix;
    if (line.startsWith(prefix)) return `${hexEscape(line.charCodeAt(0))}${line.slice(1)}\n`;
    return `${line}\n`;
  }

  /** ODesc::Add of a non-string value: escaped like any other text, which only custom separators can need. */
  private plain(text: string): string {
    return this.plainNumbers ? text : this.escaper.text(text, this.inSet);
  }

  private marker(text: string): string {
    return this.escaper.text(text, this.inSet);
  }

  private value(value: LogValue): string {
    if (!value.present) return this.marker(this.meta.unsetField);
    switch (value.type) {
      case "bool":
        return this.plain(value.value ? "T" : "F");
      case "int":
      case "count":
        return this.plain(value.value.toString());
      case "port":
        return this.plain(String(value.number));
      case "double":
        return this.plain(formatZeekDouble(value.value));
      case "time":
      case "interval":
        return this.plain(formatZeekFixed6(value.value));
      case "addr":
        return this.plain(renderAddress(value.value));
      case "subnet":
        return this.plain(renderSubnet(value.address, value.length));
      case "enum":
        return this.string(value.name);
      case "string":
      case "file":
      case "func":
        return this.string(value.value);
      case "set":
      case "vector": {
        const { elements } = value;
        if (elements.length === 0) return this.marker(this.meta.emptyField);
        this.inSet = true;
        let out = "";
        for (let i = 0; i < elements.length; i++) {
          if (i > 0) out += this.meta.setSeparator;
          out += this.value(elements[i] as LogValue);
        }
        // RemoveEscapeSequence: a nested container leaves the outer one without it, as in Zeek.
        this.inSet = false;
        return out;
      }
    }
  }

  private cell(cell: LogCell, tag: number, subtype: number): string {
    if (cell === null) return this.marker(this.meta.unsetField);
    switch (tag) {
      case TypeTag.BOOL:
        if (typeof cell === "boolean") return this.plain(cell ? "T" : "F");
        break;
      case TypeTag.INT:
      case TypeTag.COUNT:
      case TypeTag.PORT:
        if (typeof cell === "number" || typeof cell === "bigint") return this.plain(String(cell));
        break;
      case TypeTag.DOUBLE:
        if (typeof cell === "number") return this.plain(formatZeekDouble(cell));
        break;
      case TypeTag.TIME:
      case TypeTag.INTERVAL:
        if (typeof cell === "number") return this.plain(formatZeekFixed6(cell));
        break;
      case TypeTag.ADDR:
        if (typeof cell === "string") return this.plain(renderAddress(cell));
        break;
      case TypeTag.SUBNET:
        if (typeof cell === "string") {
          const slash = cell.lastIndexOf("/");
          return this.plain(renderSubnet(cell.slice(0, slash), Number(cell.slice(slash + 1))));
        }
        break;
      case TypeTag.ENUM:
      case TypeTag.STRING:
      case TypeTag.FILE:
      case TypeTag.FUNC:
        if (typeof cell === "string" || cell instanceof Uint8Array) return this.string(cell);
        break;
      case TypeTag.TABLE:
      case TypeTag.VECTOR:
        if (Array.isArray(cell)) {
          if (cell.length === 0) return this.marker(this.meta.emptyField);
          this.inSet = true;
          let out = "";
          for (let i = 0; i < cell.length; i++) {
            if (i > 0) out += this.meta.setSeparator;
            out += this.cell(cell[i] as LogCell, subtype, TypeTag.VOID);
          }
          this.inSet = false;
          return out;
        }
        break;
    }
    return this.guess(cell);
  }

  /**
   * A cell whose JavaScript type does not fit its column's type: only a set or vector element can be one (the
   * rows decoder checks columns, not elements), and cells do not say their own type; printed by its JS type.
   */
  private guess(cell: LogCell): string {
    if (typeof cell === "boolean") return this.plain(cell ? "T" : "F");
    if (typeof cell === "bigint") return this.plain(String(cell));
    if (typeof cell === "number")
      return this.plain(Number.isInteger(cell) ? String(cell) : formatZeekDouble(cell));
    if (typeof cell === "string" || cell instanceof Uint8Array) return this.string(cell);
    if (cell === null) return this.marker(this.meta.unsetField);
    return this.cell(cell, TypeTag.VECTOR, TypeTag.VOID);
  }

  /** A string-like value: `(empty)`, a reserved marker with its first byte escaped, or escaped text. */
  private string(value: string | Uint8Array): string {
    if (value.length === 0) return this.marker(this.meta.emptyField);
    if (typeof value === "string") {
      if (value === this.meta.unsetField || value === this.meta.emptyField)
        return this.reserved(Buffer.from(value, "utf8"));
      return this.escaper.text(value, this.inSet);
    }
    if (sameBytes(value, this.unsetBytes) || sameBytes(value, this.emptyBytes)) return this.reserved(value);
    return this.escaper.bytes(value, this.inSet);
  }

  /** escapeReservedContent: the first byte as `\xNN`, the rest escaped as usual. */
  private reserved(bytes: Uint8Array): string {
    return hexEscape(bytes[0] as number) + this.escaper.bytes(bytes.subarray(1), this.inSet);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
