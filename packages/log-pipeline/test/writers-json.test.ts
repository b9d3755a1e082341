// Zeek's JSON log lines (LogAscii::use_json=T), rule by rule. Expected strings are written by hand from
// zeek/zeek v8.2.2 src/threading/formatters/JSON.cc, src/util.cc (escape_utf8) and RapidJSON's writer.h and
// dtoa.h (zeek/rapidjson); test/writers-zeek.test.ts compares whole files with Zeek's.
import { ZmqcError } from "@zmqc/config";
import { type LogField, type LogValue, LogValues, logField } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import {
  jsonIso8601,
  jsonMillis,
  jsonMillisUnsigned,
  rapidJsonString,
  ZeekJsonFormat,
} from "../src/index.js";
import { bytes, NEGATIVE_NAN } from "./support/writers-records.js";

const json = new ZeekJsonFormat();
const field = [logField("v", "string")];
/** One value as the JSON text after `"v":`. */
const value = (v: LogValue, format = json) => {
  const line = format.formatRecord(field, [v]);
  return line.slice('{"v":'.length, -"}\n".length);
};

describe("ZeekJsonFormat: lines", () => {
  const fields: LogField[] = [logField("ts", "time"), logField("uid", "string"), logField("opt", "count")];

  it("one object per line, keys in column order, unset columns left out", () => {
    expect(
      json.formatRecord(fields, [LogValues.time(1.5), LogValues.string("C1"), LogValues.absent("count")]),
    ).toBe('{"ts":1.5,"uid":"C1"}\n');
    expect(
      json.formatRecord(fields, [LogValues.absent("time"), LogValues.absent("string"), LogValues.count(1)]),
    ).toBe('{"opt":1}\n');
    expect(
      json.formatRecord(
        fields,
        fields.map(() => LogValues.absent(0)),
      ),
    ).toBe("{}\n");
  });

  it("json_include_unset_fields: unset columns as null", () => {
    const unset = new ZeekJsonFormat({ includeUnsetFields: true });
    expect(
      unset.formatRecord(fields, [LogValues.time(1), LogValues.absent("string"), LogValues.absent("count")]),
    ).toBe('{"ts":1.0,"uid":null,"opt":null}\n');
  });

  it("keys are escaped as RapidJSON strings; nothing else is added (no header, no footer)", () => {
    const odd = [logField('a"b\\c\td', "count")];
    expect(json.formatRecord(odd, [LogValues.count(1)])).toBe('{"a\\"b\\\\c\\td":1}\n');
    expect(json.header()).toBe("");
    expect(json.footer()).toBe("");
  });
});

describe("ZeekJsonFormat: values", () => {
  it("bool, int, count (exact beyond 2^53) and port (the number only)", () => {
    expect(value(LogValues.bool(true))).toBe("true");
    expect(value(LogValues.bool(false))).toBe("false");
    expect(value(LogValues.int(-(2n ** 63n)))).toBe("-9223372036854775808");
    expect(value(LogValues.count(2n ** 64n - 1n))).toBe("18446744073709551615");
    expect(value(LogValues.port(443, "tcp"))).toBe("443");
  });

  it("double and interval: RapidJSON's Grisu2, null for NaN and ±inf", () => {
    expect(value(LogValues.double(0.1))).toBe("0.1");
    expect(value(LogValues.double(2))).toBe("2.0");
    expect(value(LogValues.double(-0))).toBe("-0.0");
    expect(value(LogValues.double(1e20))).toBe("100000000000000000000.0");
    expect(value(LogValues.double(1e21))).toBe("1e21");
    expect(value(LogValues.double(1e-7))).toBe("1e-7");
    expect(value(LogValues.double(1.5e-7))).toBe("1.5e-7");
    expect(value(LogValues.double(0.0000015))).toBe("0.0000015");
    expect(value(LogValues.double(123456789.12345679))).toBe("123456789.12345679");
    expect(value(LogValues.double(1.7976931348623157e308))).toBe("1.7976931348623157e308");
    expect(value(LogValues.double(5e-324))).toBe("5e-324");
    expect(value(LogValues.interval(-1.5))).toBe("-1.5");
    expect(value(LogValues.double(Number.NaN))).toBe("null");
    expect(value(LogValues.interval(Number.POSITIVE_INFINITY))).toBe("null");
    expect(value(LogValues.double(Number.NEGATIVE_INFINITY))).toBe("null");
  });

  it("time: JSON::TS_EPOCH (default) is a double", () => {
    expect(value(LogValues.time(1700000000.25))).toBe("1700000000.25");
    expect(value(LogValues.time(1700000000))).toBe("1700000000.0");
    expect(value(LogValues.time(NEGATIVE_NAN))).toBe("null");
  });

  it("addr and subnet: strings as Zeek renders them", () => {
    expect(value(LogValues.addr("192.0.2.1"))).toBe('"192.0.2.1"');
    expect(value({ type: "addr", present: true, subtype: 0, value: "::ffff:102:304" })).toBe(
      '"::ffff:1.2.3.4"',
    );
    expect(value(LogValues.subnet("2001:db8::/32"))).toBe('"2001:db8::/32"');
  });

  it("strings: valid UTF-8 passes, \\b\\t\\n\\f\\r are JSON escapes, quotes and backslashes escaped", () => {
    expect(value(LogValues.string("ünïcödé ✓ 𝄞"))).toBe('"ünïcödé ✓ 𝄞"');
    expect(value(LogValues.string("a\tb\nc\bd\fe\rf"))).toBe('"a\\tb\\nc\\bd\\fe\\rf"');
    expect(value(LogValues.string('"q" \\ /'))).toBe('"\\"q\\" \\\\ /"');
    expect(value(LogValues.string(""))).toBe('""');
    expect(value(LogValues.string("-"))).toBe('"-"');
    expect(value(LogValues.enum("Notice::ACTION_LOG"))).toBe('"Notice::ACTION_LOG"');
  });

  it("strings: another control, DEL, C1, private use, U+FFF0+ or a bad byte escapes every non-ASCII byte as text \\xNN", () => {
    expect(value(LogValues.string("ctl\x01\x7f"))).toBe('"ctl\\\\x01\\\\x7f"');
    expect(value(LogValues.string("\x00"))).toBe('"\\\\x00"');
    expect(value(LogValues.string("ü\t\x01"))).toBe('"\\\\xc3\\\\xbc\\t\\\\x01"'); // \t still passes
    expect(value(LogValues.string("nel\u0085"))).toBe('"nel\\\\xc2\\\\x85"');
    expect(value(LogValues.string("pua\ue000"))).toBe('"pua\\\\xee\\\\x80\\\\x80"');
    expect(value(LogValues.string("\uffff"))).toBe('"\\\\xef\\\\xbf\\\\xbf"');
    expect(value(LogValues.string(bytes("grüße", [0xff])))).toBe('"gr\\\\xc3\\\\xbc\\\\xc3\\\\x9fe\\\\xff"');
    expect(value(LogValues.string(bytes("back\\", [0xff])))).toBe('"back\\\\\\\\xff"'); // \ stays, then JSON-escaped
    expect(value(LogValues.file(bytes([0xc3, 0xbc])))).toBe('"ü"');
  });

  it("sets and vectors are arrays in the order given; unset elements are null", () => {
    expect(value(LogValues.set([]))).toBe("[]");
    expect(value(LogValues.set([LogValues.string("b"), LogValues.string("a")]))).toBe('["b","a"]');
    expect(
      value(
        LogValues.vector([LogValues.double(1), LogValues.double(Number.NaN), LogValues.absent("double")]),
      ),
    ).toBe("[1.0,null,null]");
    expect(
      value(LogValues.vector([LogValues.time(1.5)]), new ZeekJsonFormat({ timestamps: "JSON::TS_ISO8601" })),
    ).toBe('["1970-01-01T00:00:01.500000Z"]');
  });

  it("plain cells print the same, typed by their columns", () => {
    const columns = [
      logField("ts", "time"),
      logField("n", "count"),
      logField("a", "addr"),
      logField("s", "string"),
      logField("v", "set", { element: "port" }),
      logField("o", "double", { optional: true }),
    ];
    expect(json.formatCells(columns, [1.5, 2n ** 64n - 1n, "::102:304", bytes([0xff]), [80, 53], null])).toBe(
      '{"ts":1.5,"n":18446744073709551615,"a":"::1.2.3.4","s":"\\\\xff","v":[80,53]}\n',
    );
  });

  it("bad options are ZmqcError CONFIG", () => {
    expect(() => new ZeekJsonFormat({ timestamps: "JSON::TS_NANOS" as "JSON::TS_EPOCH" })).toThrow(ZmqcError);
    expect(() => new ZeekJsonFormat({ includeUnsetFields: 1 as unknown as boolean })).toThrow(
      expect.objectContaining({ code: "CONFIG" }),
    );
  });
});

describe("JSON time formats (LogAscii::json_timestamps)", () => {
  it("TS_MILLIS truncates t*1000 to int64; NaN, ±inf and overflow give INT64_MIN (x86-64 cvttsd2si)", () => {
    expect(jsonMillis(1700000000.25)).toBe("1700000000250");
    expect(jsonMillis(-1.25)).toBe("-1250");
    expect(jsonMillis(0.0009)).toBe("0");
    expect(jsonMillis(Number.NaN)).toBe("-9223372036854775808");
    expect(jsonMillis(Number.POSITIVE_INFINITY)).toBe("-9223372036854775808");
    expect(jsonMillis(1e200)).toBe("-9223372036854775808");
  });

  it("TS_MILLIS_UNSIGNED casts through int64, so negative times wrap", () => {
    expect(jsonMillisUnsigned(1700000000.25)).toBe("1700000000250");
    expect(jsonMillisUnsigned(-1.25)).toBe("18446744073709550366");
    expect(jsonMillisUnsigned(Number.NaN)).toBe("9223372036854775808");
  });

  it("TS_ISO8601: UTC date of floor(t), fraction (+1 when negative) in microseconds rounded half to even", () => {
    expect(jsonIso8601(1700000000.25)).toBe("2023-11-14T22:13:20.250000Z");
    expect(jsonIso8601(0)).toBe("1970-01-01T00:00:00.000000Z");
    expect(jsonIso8601(-1.25)).toBe("1969-12-31T23:59:58.750000Z");
    expect(jsonIso8601(1700000000.1234567)).toBe("2023-11-14T22:13:20.123457Z");
    expect(jsonIso8601(0.9999996)).toBe("1970-01-01T00:00:00.1000000Z"); // Zeek does not carry
    expect(jsonIso8601(253402300800.5)).toBe("10000-01-01T00:00:00.500000Z"); // %Y is not padded or capped
    expect(jsonIso8601(-62135596800)).toBe("1-01-01T00:00:00.000000Z");
  });

  it("TS_ISO8601: NaN, ±inf and years beyond struct tm give Zeek's fallback (without a Z)", () => {
    for (const t of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e200])
      expect(jsonIso8601(t)).toBe("2000-01-01T00:00:00.000000");
  });

  it("rapidJsonString: C0 controls other than \\b\\t\\n\\f\\r as \\u00XX in uppercase; DEL and non-ASCII pass", () => {
    expect(rapidJsonString("\x00\x1f\x7f\u0085é")).toBe('"\\u0000\\u001F\x7f\u0085é"');
  });
});
