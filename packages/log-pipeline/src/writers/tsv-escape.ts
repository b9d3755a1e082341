import { escapeAll, escapeUtf8, passesUtf8Unchanged } from "./escape.js";

/**
 * The escaping of Zeek's ASCII writer: `ODesc::AddBytes` with `EnableEscaping()` (src/Desc.cc), which every
 * value goes through (only the separators between columns and set elements are added raw).
 *
 * It looks for the first "escape location": with `LogAscii::enable_utf_8=T` (the default) a backslash or an
 * escape sequence (the separator, and inside a set or vector also the set separator); with `enable_utf_8=F`
 * also any byte that is not printable ASCII. That location is written with every byte as `\xNN` (a backslash as
 * `\\`); the text before it goes through `escape_utf8` with all controls escaped, so UTF-8 validity is judged
 * per stretch between escape locations: one bad byte escapes all non-ASCII bytes of its stretch, not more.
 */
export class TsvEscaper {
  private readonly utf8: boolean;
  /** Escape sequences as bytes, in std::set<std::string> order (bytewise); empty ones never match. */
  private readonly topSequences: readonly Uint8Array[];
  private readonly setSequences: readonly Uint8Array[];
  private readonly topTexts: readonly string[];
  private readonly setTexts: readonly string[];

  constructor(separator: string, setSeparator: string, utf8: boolean) {
    this.utf8 = utf8;
    const sorted = (texts: string[]) =>
      [...new Set(texts.filter((text) => text !== ""))].sort((a, b) =>
        Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")),
      );
    this.topTexts = sorted([separator]);
    this.setTexts = sorted([separator, setSeparator]);
    this.topSequences = this.topTexts.map((text) => Buffer.from(text, "utf8"));
    this.setSequences = this.setTexts.map((text) => Buffer.from(text, "utf8"));
  }

  /** True when `text` can contain none of the escape sequences (checked once per format, for numbers). */
  neverMatches(alphabet: RegExp): boolean {
    return this.setTexts.every((text) => [...text].some((char) => !alphabet.test(char)));
  }

  /** `ODesc::AddBytes` of text (its UTF-8 bytes); `inSet` when the set separator is an escape sequence. */
  text(value: string, inSet: boolean): string {
    if (this.isPlain(value, inSet)) return value;
    return this.bytes(Buffer.from(value, "utf8"), inSet);
  }

  private isPlain(value: string, inSet: boolean): boolean {
    if (value.includes("\\")) return false;
    if (this.utf8 ? !passesUtf8Unchanged(value, "all-controls") : !/^[\x20-\x7e]*$/.test(value)) return false;
    for (const sequence of inSet ? this.setTexts : this.topTexts) if (value.includes(sequence)) return false;
    return true;
  }

  /** `ODesc::AddBytes` of raw bytes. */
  bytes(value: Uint8Array, inSet: boolean): string {
    const sequences = inSet ? this.setSequences : this.topSequences;
    let out = "";
    let stretch = 0;
    let i = 0;
    while (i < value.length) {
      const byte = value[i] as number;
      let length: number;
      // ODesc::FirstEscapeLoc, in its order: unprintable (without UTF-8), backslash, escape sequence.
      if (!this.utf8 && !(byte >= 0x20 && byte < 0x7f)) length = 1;
      else if (byte === 0x5c) length = 1;
      else length = matchAt(value, i, sequences);
      if (length === 0) {
        i++;
        continue;
      }
      out += this.stretch(value, stretch, i);
      out += escapeAll(value.subarray(i, i + length));
      i += length;
      stretch = i;
    }
    return out + this.stretch(value, stretch, value.length);
  }

  private stretch(value: Uint8Array, start: number, end: number): string {
    if (start === end) return "";
    return this.utf8
      ? escapeUtf8(value, start, end, "all-controls")
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("latin1", start, end);
  }
}

/** Length of the first escape sequence that starts at `at`, or 0 (ODesc::StartsWithEscapeSequence). */
function matchAt(value: Uint8Array, at: number, sequences: readonly Uint8Array[]): number {
  outer: for (const sequence of sequences) {
    if (at + sequence.length > value.length) continue;
    for (let j = 0; j < sequence.length; j++) if (value[at + j] !== sequence[j]) continue outer;
    return sequence.length;
  }
  return 0;
}
