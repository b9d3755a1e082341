// Zeek's TSV log format, value by value and rule by rule. Every expected string is written by hand from
// zeek/zeek v8.2.2: src/threading/formatters/Ascii.cc (Ascii::Describe), src/Desc.cc (ODesc::AddBytes with
// escaping and UTF-8), src/util.cc (escape_utf8, get_escaped_string, double_to_str), src/threading/Formatter.cc
// (Render), src/logging/writers/ascii/Ascii.cc (WriteHeader, DoWrite, CloseFile). test/writers-zeek.test.ts
// compares whole files with Zeek's own.
import { ZmqcError } from "@zmqc/config";
import { type LogCell, type LogField, type LogValue, LogValues, logField, TypeTag } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { ZeekTsvFormat, zeekTypeName } from "../src/index.js";
import { bytes, NEGATIVE_NAN } from "./support/writers-records.js";

const tsv = new ZeekTsvFormat({ timeZone: "UTC" });
/** One value as a one-column line, without the newline. */
const cell = (value: LogValue, format = tsv) => format.formatRecord([], [value]).slice(0, -1);
const str = (value: string | Uint8Array) => cell(LogValues.string(value));

describe("ZeekTsvFormat: values", () => {
  it("bool is T or F; int, count and port are decimal (a port without its protocol)", () => {
    expect(cell(LogValues.bool(true))).toBe("T");
    expect(cell(LogValues.bool(false))).toBe("F");
    expect(cell(LogValues.int(-(2n ** 63n)))).toBe("-9223372036854775808");
    expect(cell(LogValues.int(2n ** 63n - 1n))).toBe("9223372036854775807");
    expect(cell(LogValues.count(2n ** 64n - 1n))).toBe("18446744073709551615");
    expect(cell(LogValues.count(0))).toBe("0");
    expect(cell(LogValues.port(443, "tcp"))).toBe("443");
    expect(cell(LogValues.port(8, "icmp"))).toBe("8");
  });

  it("time and interval: std::to_chars fixed with six decimals, keeping -0 and the sign of NaN", () => {
    expect(cell(LogValues.time(1700000000.25))).toBe("1700000000.250000");
    expect(cell(LogValues.time(1700000000.1234567))).toBe("1700000000.123457");
    expect(cell(LogValues.time(-1.25))).toBe("-1.250000");
    expect(cell(LogValues.interval(-0))).toBe("-0.000000");
    expect(cell(LogValues.interval(-1e-7))).toBe("-0.000000");
    expect(cell(LogValues.interval(0.0078125))).toBe("0.007812"); // a tie, to even
    expect(cell(LogValues.interval(0.0234375))).toBe("0.023438");
    expect(cell(LogValues.time(1e21))).toBe("1000000000000000000000.000000");
    expect(cell(LogValues.time(Number.NaN))).toBe("nan");
    expect(cell(LogValues.time(NEGATIVE_NAN))).toBe("-nan");
    expect(cell(LogValues.time(Number.POSITIVE_INFINITY))).toBe("inf");
    expect(cell(LogValues.interval(Number.NEGATIVE_INFINITY))).toBe("-inf");
  });

  it("double: double_to_str (six decimals, zeros cut) and '.0' within 1e-9 of an integer", () => {
    expect(cell(LogValues.double(0.1))).toBe("0.1");
    expect(cell(LogValues.double(2))).toBe("2.0");
    expect(cell(LogValues.double(-2))).toBe("-2.0");
    expect(cell(LogValues.double(1e20))).toBe("100000000000000000000.0");
    expect(cell(LogValues.double(1e-7))).toBe("0"); // rounds to 0.000000, but is not within 1e-9 of 0
    expect(cell(LogValues.double(-1e-7))).toBe("-0"); // the sign is printed first
    expect(cell(LogValues.double(5e-10))).toBe("0.0");
    expect(cell(LogValues.double(-0))).toBe("0.0"); // -0 is not < 0
    expect(cell(LogValues.double(0.0078125))).toBe("0.007812");
    expect(cell(LogValues.double(123456789.12345679))).toBe("123456789.123457");
    expect(cell(LogValues.double(1.0000000001))).toBe("1.0");
    expect(cell(LogValues.double(Number.NaN))).toBe("nan");
    expect(cell(LogValues.double(NEGATIVE_NAN))).toBe("nan"); // double_to_str checks isnan first
    expect(cell(LogValues.double(Number.POSITIVE_INFINITY))).toBe("inf");
    expect(cell(LogValues.double(Number.NEGATIVE_INFINITY))).toBe("-inf");
  });

  it("addr: a dotted quad, or FreeBSD inet_ntop IPv6 text with IPv4 tails in dotted form", () => {
    expect(cell(LogValues.addr("192.0.2.1"))).toBe("192.0.2.1");
    expect(cell(LogValues.addr("2001:db8::1"))).toBe("2001:db8::1");
    expect(cell(LogValues.addr("::"))).toBe("::");
    expect(cell(LogValues.addr("::1"))).toBe("::1");
    // A value's text from the wire (RFC 5952, hex words) is printed as Zeek prints the bytes.
    expect(cell({ type: "addr", present: true, subtype: 0, value: "::ffff:102:304" })).toBe("::ffff:1.2.3.4");
    expect(cell({ type: "addr", present: true, subtype: 0, value: "::102:304" })).toBe("::1.2.3.4");
    expect(cell(LogValues.addr("::ffff:0:1.2.3.4"))).toBe("::ffff:0:1.2.3.4");
    expect(cell(LogValues.addr("1:0:0:1:0:0:0:1"))).toBe("1:0:0:1::1"); // the longest run
    expect(cell(LogValues.addr("1:0:0:1:1:0:0:1"))).toBe("1::1:1:0:0:1"); // the first of equal runs
    expect(cell(LogValues.addr("fe80::abcd:0:0:1"))).toBe("fe80::abcd:0:0:1");
    expect(cell(LogValues.addr("1:2:3:4:5:6:7:0"))).toBe("1:2:3:4:5:6:7:0"); // one zero word is not a run
    expect(cell(LogValues.addr("1:2:3:4:5:6::"))).toBe("1:2:3:4:5:6::");
  });

  it("subnet: the rendered address, a slash, the length", () => {
    expect(cell(LogValues.subnet("10.0.0.0/8"))).toBe("10.0.0.0/8");
    expect(cell(LogValues.subnet("2001:db8::/32"))).toBe("2001:db8::/32");
    expect(cell({ type: "subnet", present: true, subtype: 0, address: "::102:300", length: 120 })).toBe(
      "::1.2.3.0/120",
    );
  });

  it("enum, file and func are written like strings", () => {
    expect(cell(LogValues.enum("unknown_transport"))).toBe("unknown_transport");
    expect(cell(LogValues.enum("-"))).toBe("\\x2d");
    expect(cell(LogValues.file("tab\tname.txt"))).toBe("tab\\x09name.txt");
    expect(cell(LogValues.func("f: function()\n{ }"))).toBe("f: function()\\x0a{ }");
  });

  it("unset is -, in any column", () => {
    expect(cell(LogValues.absent("string"))).toBe("-");
    expect(cell(LogValues.absent("set"))).toBe("-");
    expect(cell(LogValues.absent(99))).toBe("-");
  });
});

describe("ZeekTsvFormat: string escaping", () => {
  it("the empty string is (empty); a value equal to - or (empty) escapes its first byte", () => {
    expect(str("")).toBe("(empty)");
    expect(str(new Uint8Array())).toBe("(empty)");
    expect(str("-")).toBe("\\x2d");
    expect(str("(empty)")).toBe("\\x28empty)");
    expect(str(bytes("-"))).toBe("\\x2d");
    expect(str("--")).toBe("--");
    expect(str("(empty)x")).toBe("(empty)x");
    expect(str(" - ")).toBe(" - ");
  });

  it("the separator and a backslash are always escaped; a comma only inside sets and vectors", () => {
    expect(str("tab\there")).toBe("tab\\x09here");
    expect(str("back\\slash")).toBe("back\\\\slash"); // get_escaped_string writes \\ for a backslash
    expect(str("\\x41")).toBe("\\\\x41");
    expect(str("comma,here")).toBe("comma,here");
    expect(cell(LogValues.set([LogValues.string("a,b")]))).toBe("a\\x2cb");
    expect(cell(LogValues.vector([LogValues.string("a,b"), LogValues.string("c\td")]))).toBe(
      "a\\x2cb,c\\x09d",
    );
  });

  it("printable ASCII, space and valid UTF-8 pass", () => {
    expect(str(" lead and trail ")).toBe(" lead and trail ");
    expect(str('"quoted" #hash ~')).toBe('"quoted" #hash ~');
    expect(str("ünïcödé ✓ 𝄞 日本")).toBe("ünïcödé ✓ 𝄞 日本");
    expect(str("emoji😀")).toBe("emoji😀");
    expect(str(bytes([0xf0, 0x9f, 0x98, 0x80]))).toBe("😀");
  });

  it("a control character, DEL, C1, private use, U+FFF0-U+FFFF or a bad byte escapes all non-ASCII bytes", () => {
    expect(str("new\nline")).toBe("new\\x0aline");
    expect(str("ctl\x01\x7f")).toBe("ctl\\x01\\x7f");
    expect(str("\x00nul")).toBe("\\x00nul");
    expect(str("bs\bff\fcr\r")).toBe("bs\\x08ff\\x0ccr\\x0d");
    expect(str("nel\u0085")).toBe("nel\\xc2\\x85");
    expect(str("private\ue000")).toBe("private\\xee\\x80\\x80");
    expect(str("repl\ufffd")).toBe("repl\\xef\\xbf\\xbd");
    expect(str(bytes("bad", [0xff], "byte"))).toBe("bad\\xffbyte");
    expect(str(bytes("grüße ✓", [0xff]))).toBe("gr\\xc3\\xbc\\xc3\\x9fe \\xe2\\x9c\\x93\\xff");
    expect(str("ü\nü")).toBe("\\xc3\\xbc\\x0a\\xc3\\xbc");
    expect(str(bytes("surrogate", [0xed, 0xa0, 0x80]))).toBe("surrogate\\xed\\xa0\\x80");
    expect(str(bytes("trunc", [0xe2, 0x82]))).toBe("trunc\\xe2\\x82");
    expect(str(bytes("overlong", [0xc0, 0x80]))).toBe("overlong\\xc0\\x80");
    expect(str(bytes([0xf4, 0x90, 0x80, 0x80]))).toBe("\\xf4\\x90\\x80\\x80"); // above U+10FFFF
    expect(str(bytes([0xf8, 0x88, 0x80, 0x80, 0x80]))).toBe("\\xf8\\x88\\x80\\x80\\x80"); // 5-byte form
    expect(str("lone\ud800")).toBe("lone\\xef\\xbf\\xbd"); // JS text is sent as UTF-8: U+FFFD, refused
  });

  it("UTF-8 is judged per stretch between escape locations (backslash, separators)", () => {
    expect(str("ü\tü")).toBe("ü\\x09ü");
    expect(str("ü\\ü\x01")).toBe("ü\\\\\\xc3\\xbc\\x01");
    expect(str(bytes("ü\t", [0xff], "ü"))).toBe("ü\\x09\\xff\\xc3\\xbc");
    expect(cell(LogValues.set([LogValues.string("ü,ü\x01")]))).toBe("ü\\x2c\\xc3\\xbc\\x01");
  });

  it("with enable_utf_8=F every byte that is not printable ASCII is escaped on its own", () => {
    const ascii = new ZeekTsvFormat({ utf8: false, timeZone: "UTC" });
    expect(cell(LogValues.string("ü ✓"), ascii)).toBe("\\xc3\\xbc \\xe2\\x9c\\x93");
    expect(cell(LogValues.string("a\\b\tc"), ascii)).toBe("a\\\\b\\x09c");
    expect(cell(LogValues.string("-"), ascii)).toBe("\\x2d");
  });
});

describe("ZeekTsvFormat: sets and vectors", () => {
  it("empty is (empty); elements are joined by the set separator in the order given", () => {
    expect(cell(LogValues.set([]))).toBe("(empty)");
    expect(cell(LogValues.vector([]))).toBe("(empty)");
    expect(cell(LogValues.set([LogValues.string("b"), LogValues.string("a")]))).toBe("b,a");
    expect(cell(LogValues.vector([LogValues.count(1), LogValues.count(2n ** 64n - 1n)]))).toBe(
      "1,18446744073709551615",
    );
    expect(cell(LogValues.vector([LogValues.double(1), LogValues.double(Number.NaN)]))).toBe("1.0,nan");
    expect(cell(LogValues.set([LogValues.port(80, "tcp"), LogValues.port(53, "udp")]))).toBe("80,53");
  });

  it("elements follow the string rules: (empty), \\x2d, \\x28empty), and unset elements are -", () => {
    const values = ["", "-", "(empty)", "x"].map((text) => LogValues.string(text));
    expect(cell(LogValues.set(values))).toBe("(empty),\\x2d,\\x28empty),x");
    expect(cell(LogValues.vector([LogValues.absent("string"), LogValues.string("a")]))).toBe("-,a");
    // Only "" is indistinguishable from an empty set: Zeek's format.
    expect(cell(LogValues.set([LogValues.string("")]))).toBe("(empty)");
  });

  it("a nested container clears the set separator escape for the rest of the outer one, as Zeek's ODesc does", () => {
    const inner = LogValues.vector([LogValues.string("a,b")]);
    const nested = LogValues.vector([LogValues.string("c,d"), inner, LogValues.string("e,f")]);
    expect(cell(nested)).toBe("c\\x2cd,a\\x2cb,e,f");
  });
});

describe("ZeekTsvFormat: lines", () => {
  const fields: LogField[] = [logField("a", "string"), logField("b", "count")];

  it("columns are joined by the separator and end in a newline", () => {
    expect(tsv.formatRecord(fields, [LogValues.string("x"), LogValues.count(1)])).toBe("x\t1\n");
  });

  it("a line that starts with the meta prefix gets that byte escaped, and only then", () => {
    expect(tsv.formatRecord(fields, [LogValues.string("#x"), LogValues.count(1)])).toBe("\\x23x\t1\n");
    expect(tsv.formatRecord(fields, [LogValues.string("x#"), LogValues.count(1)])).toBe("x#\t1\n");
    expect(tsv.formatRecord(fields, [LogValues.set([LogValues.string("#")]), LogValues.count(1)])).toBe(
      "\\x23\t1\n",
    );
    const custom = new ZeekTsvFormat({ metaPrefix: "@@", timeZone: "UTC" });
    expect(custom.formatRecord(fields, [LogValues.string("#x"), LogValues.count(1)])).toBe("#x\t1\n");
    expect(custom.formatRecord(fields, [LogValues.string("@@x"), LogValues.count(1)])).toBe("\\x40@x\t1\n");
    expect(custom.formatRecord(fields, [LogValues.string("@x"), LogValues.count(1)])).toBe("@x\t1\n");
  });

  it("custom separators and markers, escaped where they occur in values (numbers too)", () => {
    const custom = new ZeekTsvFormat({
      separator: "|",
      setSeparator: ";",
      emptyField: "EMPTY",
      unsetField: "NONE",
      timeZone: "UTC",
    });
    const record = [
      LogValues.string("a|b;c"),
      LogValues.set([LogValues.string("x;y"), LogValues.string("")]),
      LogValues.string("NONE"),
      LogValues.string("-"),
      LogValues.absent("count"),
      LogValues.string(""),
    ];
    expect(custom.formatRecord([], record)).toBe("a\\x7cb;c|x\\x3by;EMPTY|\\x4eONE|-|NONE|EMPTY\n");
    const dotted = new ZeekTsvFormat({ separator: ".", timeZone: "UTC" });
    expect(dotted.formatRecord([], [LogValues.double(1.5), LogValues.addr("10.0.0.1")])).toBe(
      "1\\x2e5.10\\x2e0\\x2e0\\x2e1\n",
    );
  });

  it("plain cells (decodeZeekLogRows) print the same, typed by their columns", () => {
    const columns: LogField[] = [
      logField("ts", "time"),
      logField("d", "double"),
      logField("n", "int"),
      logField("p", "port"),
      logField("a", "addr"),
      logField("sn", "subnet"),
      logField("e", "enum"),
      logField("s", "string"),
      logField("b", "bool"),
      logField("v", "vector", { element: "time" }),
      logField("o", "string", { optional: true }),
    ];
    const cells: LogCell[] = [
      1.5,
      1.5,
      -(2n ** 63n),
      443,
      "::ffff:102:304",
      "::102:300/120",
      "tcp",
      bytes("-"),
      true,
      [2, 2.5],
      null,
    ];
    expect(tsv.formatCells(columns, cells)).toBe(
      "1.500000\t1.5\t-9223372036854775808\t443\t::ffff:1.2.3.4\t::1.2.3.0/120\ttcp\t\\x2d\tT\t2.000000,2.500000\t-\n",
    );
  });

  it("a cell that does not fit its column's element type is printed by its JS type", () => {
    const column = [logField("v", "vector", { element: "string" })];
    expect(tsv.formatCells(column, [[1, 2.5, 2n ** 64n, true, "s", [1]]])).toBe(
      "1,2.5,18446744073709551616,T,s,1\n",
    );
  });

  it("a row with more cells than columns is refused", () => {
    expect(() => tsv.formatCells([], ["x"])).toThrow(ZmqcError);
  });
});

describe("ZeekTsvFormat: header and footer", () => {
  const fields: LogField[] = [
    logField("ts", "time"),
    logField("id.orig_h", "addr"),
    logField("tags", "set", { element: "string" }),
    logField("words", "vector", { element: "count" }),
    logField("e", "enum"),
  ];
  const opened = Date.UTC(2026, 10, 25, 10, 0, 5, 999);

  it("#separator with a space and the escaped separator, then prefix-key-separator-value lines", () => {
    expect(tsv.header("conn", fields, opened)).toBe(
      "#separator \\x09\n" +
        "#set_separator\t,\n" +
        "#empty_field\t(empty)\n" +
        "#unset_field\t-\n" +
        "#path\tconn\n" +
        "#open\t2026-11-25-10-00-05\n" +
        "#fields\tts\tid.orig_h\ttags\twords\te\n" +
        "#types\ttime\taddr\tset[string]\tvector[count]\tenum\n",
    );
    expect(tsv.footer(Date.UTC(2026, 10, 25, 11, 0, 0))).toBe("#close\t2026-11-25-11-00-00\n");
  });

  it("the header's markers and path are escaped by get_escaped_string (spaces and unprintables only)", () => {
    const custom = new ZeekTsvFormat({
      separator: " ",
      setSeparator: "\\",
      emptyField: "",
      unsetField: "ü",
      metaPrefix: "##",
      timeZone: "UTC",
    });
    expect(custom.header("my path", [logField("a", "string")], opened)).toBe(
      "##separator \\x20\n" +
        "##set_separator \\\n" + // a backslash is printable: not escaped here
        "##empty_field \n" +
        "##unset_field \\xc3\\xbc\n" +
        "##path my\\x20path\n" +
        "##open 2026-11-25-10-00-05\n" +
        "##fields a\n" +
        "##types string\n",
    );
  });

  it("local time in the zone given (Zeek: localtime_r under TZ)", () => {
    const nepal = new ZeekTsvFormat({ timeZone: "Asia/Kathmandu" });
    expect(nepal.footer(opened)).toBe("#close\t2026-11-25-15-45-05\n");
    const berlin = new ZeekTsvFormat({ timeZone: "Europe/Berlin" });
    expect(berlin.footer(Date.UTC(2026, 6, 1, 12, 0, 0))).toBe("#close\t2026-07-01-14-00-00\n");
  });

  it("tsv mode: one line of names and no #close; includeMeta=false: neither", () => {
    const mode = new ZeekTsvFormat({ tsv: true, timeZone: "UTC" });
    expect(mode.header("conn", fields, opened)).toBe("ts\tid.orig_h\ttags\twords\te\n");
    expect(mode.footer(opened)).toBe("");
    const bare = new ZeekTsvFormat({ includeMeta: false, timeZone: "UTC" });
    expect(bare.header("conn", fields, opened)).toBe("");
    expect(bare.footer(opened)).toBe("");
  });

  it("type names are Zeek's type_name, set for TABLE, with the element type in brackets", () => {
    expect(zeekTypeName(logField("x", "set", { element: "subnet" }))).toBe("set[subnet]");
    expect(zeekTypeName(logField("x", "vector", { element: "interval" }))).toBe("vector[interval]");
    expect(zeekTypeName(logField("x", "func"))).toBe("func");
    expect(zeekTypeName({ name: "x", type: TypeTag.LIST, subtype: 0, optional: false })).toBe("types");
    expect(zeekTypeName({ name: "x", type: 99, subtype: 0, optional: false })).toBe(
      "type_name(): not a type tag",
    );
  });

  it("bad options are ZmqcError CONFIG", () => {
    for (const options of [
      { separator: "" },
      { setSeparator: "" },
      { metaPrefix: "" },
      { metaPrefix: "ü" },
      { timeZone: "Mars/Olympus_Mons" },
      { utf8: "yes" as unknown as boolean },
    ]) {
      expect(() => new ZeekTsvFormat(options), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code: "CONFIG" }),
      );
    }
  });
});
