// A small TSV log reader with zeek-cut's semantics, independent of the writers under test: meta lines start
// with '#', `#separator` gives the separator (itself \x-escaped), `#fields` names the columns, data lines are
// split on the separator; a cell is `-` (unset), `(empty)` (empty), or text with `\xNN` and `\\` escapes. Set
// and vector cells split on `#set_separator` first and unescape each element.

/** One cell as a reader sees it. */
export type ReadCell =
  | { readonly kind: "unset" }
  | { readonly kind: "empty" }
  | { readonly kind: "value"; readonly bytes: Uint8Array }
  | { readonly kind: "list"; readonly elements: readonly ReadCell[] };

/** A TSV log file read back. */
export interface ReadLog {
  readonly meta: ReadonlyMap<string, string>;
  readonly fields: readonly string[];
  readonly types: readonly string[];
  readonly rows: readonly (readonly ReadCell[])[];
}

/** `\xNN` → the byte, `\\` → `\`; everything else as its UTF-8 bytes. */
export function unescapeCell(text: string): Uint8Array {
  const out: number[] = [];
  const raw = Buffer.from(text, "utf8");
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i] as number;
    if (byte === 0x5c && raw[i + 1] === 0x78 && i + 3 < raw.length) {
      out.push(Number.parseInt(raw.subarray(i + 2, i + 4).toString("latin1"), 16));
      i += 3;
    } else if (byte === 0x5c && raw[i + 1] === 0x5c) {
      out.push(0x5c);
      i += 1;
    } else out.push(byte);
  }
  return Uint8Array.from(out);
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

/** Reads a whole TSV log (Zeek's default ASCII format, any separators it declares). */
export function readTsvLog(content: Uint8Array): ReadLog {
  const meta = new Map<string, string>();
  let separator = "\t";
  let prefix = "#";
  let fields: string[] = [];
  let types: string[] = [];
  const rows: ReadCell[][] = [];
  const lines = Buffer.from(content).toString("utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    // The first line declares the prefix and the separator: "<prefix>separator <escaped separator>".
    const declared = /^(.*)separator (\S+)$/.exec(line);
    if (rows.length === 0 && meta.size === 0 && declared !== null) {
      prefix = declared[1] as string;
      separator = text(unescapeCell(declared[2] as string));
      continue;
    }
    if (line.startsWith(prefix)) {
      const [key = "", ...value] = line.slice(prefix.length).split(separator);
      meta.set(key, value.join(separator));
      if (key === "fields") fields = value;
      if (key === "types") types = value;
      continue;
    }
    const unset = meta.get("unset_field") ?? "-";
    const empty = meta.get("empty_field") ?? "(empty)";
    const setSeparator = text(unescapeCell(meta.get("set_separator") ?? ","));
    rows.push(
      line.split(separator).map((cell, i): ReadCell => {
        if (cell === unset) return { kind: "unset" };
        if (cell === empty) return { kind: "empty" };
        const type = types[i] ?? "";
        if (!type.startsWith("set[") && !type.startsWith("vector["))
          return { kind: "value", bytes: unescapeCell(cell) };
        return {
          kind: "list",
          elements: cell.split(setSeparator).map((element): ReadCell => {
            if (element === unset) return { kind: "unset" };
            if (element === empty) return { kind: "value", bytes: new Uint8Array() };
            return { kind: "value", bytes: unescapeCell(element) };
          }),
        };
      }),
    );
  }
  return { meta, fields, types, rows };
}
