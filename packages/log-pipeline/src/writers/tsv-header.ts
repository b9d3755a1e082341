import { type LogField, TypeTag } from "@zmqc/wire-format";
import { escapeHeaderValue } from "./escape.js";
import { formatZeekDate, type TimeZone } from "./time.js";

// Zeek's type_name() (src/Type.cc), indexed by type tag; note "types" for LIST.
const TYPE_NAMES = [
  "void",
  "bool",
  "int",
  "count",
  "double",
  "time",
  "interval",
  "string",
  "pattern",
  "enum",
  "port",
  "addr",
  "subnet",
  "any",
  "table",
  "record",
  "types",
  "func",
  "file",
  "vector",
  "opaque",
  "type",
  "error",
];

function typeName(tag: number): string {
  return TYPE_NAMES[tag] ?? "type_name(): not a type tag";
}

/**
 * A column's type as `#types` shows it (`threading::Field::TypeName`, src/threading/SerialTypes.cc): Zeek's
 * type name, `set[…]` for a TABLE column and `vector[…]` for a vector, with the element type inside.
 */
export function zeekTypeName(field: LogField): string {
  if (field.type === TypeTag.TABLE) return `set[${typeName(field.subtype)}]`;
  if (field.type === TypeTag.VECTOR) return `vector[${typeName(field.subtype)}]`;
  return typeName(field.type);
}

/** The separators and markers of a TSV log (the `LogAscii::` options). */
export interface TsvMeta {
  readonly separator: string;
  readonly setSeparator: string;
  readonly emptyField: string;
  readonly unsetField: string;
  readonly metaPrefix: string;
  readonly timeZone: TimeZone;
}

/**
 * The header Zeek's ASCII writer writes when it opens a file (`Ascii::WriteHeader`, src/logging/writers/ascii/
 * Ascii.cc): `#separator` and a space (always a space) and the separator escaped, then `<prefix><key><separator>
 * <value>` lines: set_separator, empty_field, unset_field and path escaped by `get_escaped_string` (spaces and
 * unprintable bytes as `\xNN`), open as local time `%Y-%m-%d-%H-%M-%S`, fields and types as they are.
 */
export function tsvHeader(
  meta: TsvMeta,
  path: string,
  fields: readonly LogField[],
  openedAt: number,
): string {
  const { separator, metaPrefix: prefix } = meta;
  const line = (key: string, value: string) => `${prefix}${key}${separator}${value}\n`;
  return (
    `${prefix}separator ${escapeHeaderValue(separator)}\n` +
    line("set_separator", escapeHeaderValue(meta.setSeparator)) +
    line("empty_field", escapeHeaderValue(meta.emptyField)) +
    line("unset_field", escapeHeaderValue(meta.unsetField)) +
    line("path", escapeHeaderValue(path)) +
    line("open", formatZeekDate(Math.floor(openedAt / 1000), meta.timeZone)) +
    line("fields", fields.map((field) => field.name).join(separator)) +
    line("types", fields.map(zeekTypeName).join(separator))
  );
}

/** The line Zeek writes before closing a file (`Ascii::CloseFile`): `#close` and the local time. */
export function tsvFooter(meta: TsvMeta, closedAt: number): string {
  return `${meta.metaPrefix}close${meta.separator}${formatZeekDate(Math.floor(closedAt / 1000), meta.timeZone)}\n`;
}
