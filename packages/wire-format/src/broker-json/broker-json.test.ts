import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonical, zeekValue } from "../../test/arbitraries.js";
import { vectors } from "../../test/vectors.js";
import { decodeBrokerBinValue } from "../broker-bin/decode.js";
import { encodeBrokerBinValue } from "../broker-bin/encode.js";
import { decodeBrokerBinEvent, encodeBrokerBinEvent } from "../broker-bin/event.js";
import { DecodeError, type DecodeReason, EncodeError } from "../errors.js";
import type { ZeekEvent } from "../event.js";
import { Value } from "../value/build.js";
import type { ZeekValue } from "../value/model.js";
import {
  BROKER_JSON_V1,
  decodeBrokerJsonEvent,
  decodeBrokerJsonValue,
  encodeBrokerJsonEvent,
  encodeBrokerJsonText,
  encodeBrokerJsonValue,
} from "./event.js";

const text = (value: ZeekValue, precision?: "broker" | "exact") =>
  encodeBrokerJsonText(value, precision ? { precision } : {});
const bytesOf = (json: string) => new TextEncoder().encode(json);
/** The `data` text of a single-value document. */
const dataOf = (json: string) => json.slice(json.indexOf('"data":') + 7, -1);
const exact = { precision: "exact" } as const;

/** The error a decoder threw, checked to be a DecodeError of this format. */
function decodeErrorOf(run: () => unknown): DecodeError {
  try {
    run();
  } catch (error) {
    if (!DecodeError.isDecodeError(error)) throw new Error(`not a DecodeError: ${String(error)}`);
    expect(error).toMatchObject({ code: "DECODE", format: BROKER_JSON_V1 });
    return error;
  }
  throw new Error("decoded without an error");
}

describe("broker-json-v1 upstream vector", () => {
  const [json] = vectors({ format: BROKER_JSON_V1 }).filter(
    (v) => v.id === "zeek/broker-json-v1/node_status",
  );
  const [bin] = vectors({ format: "broker-bin-v1" }).filter((v) => v.id === "zeek/broker-bin-v1/node_status");

  it("decodes Supervisor::node_status to the same event as its broker-bin twin", () => {
    const event = decodeBrokerJsonEvent(bytesOf(json?.text ?? ""));
    expect(event).toEqual({
      name: "Supervisor::node_status",
      args: [Value.string("TEST"), Value.count(42)],
      metadata: [{ id: 1n, value: Value.timeNs(0n) }],
    });
    expect(event).toEqual(decodeBrokerBinEvent(Buffer.from(bin?.hex ?? "", "hex")));
  });

  it("re-encodes it to the identical text, in both precisions", () => {
    const event = decodeBrokerJsonEvent(bytesOf(json?.text ?? ""));
    expect(Buffer.from(encodeBrokerJsonEvent(event)).toString("utf8")).toBe(json?.text);
    expect(Buffer.from(encodeBrokerJsonEvent(event, exact)).toString("utf8")).toBe(json?.text);
  });

  it("every broker-json-v1 event vector round-trips", () => {
    for (const vector of vectors({ format: BROKER_JSON_V1, kind: "event" })) {
      const bytes = bytesOf(vector.text ?? "");
      expect(Buffer.from(encodeBrokerJsonEvent(decodeBrokerJsonEvent(bytes))).toString(), vector.id).toBe(
        vector.text,
      );
    }
  });
});

// Baselines of zeek/broker libbroker/broker/format/json.test.cc (TEST(none) … TEST(table)); reals there are
// "%f"-formatted at run time, printed here as glibc prints them.
describe("broker-json-v1 per type, from broker's json.test.cc", () => {
  const genesis = Value.timeNs(1_404_901_004n * 1_000_000_000n); // broker_genesis(): 2014-07-09T10:16:44
  const cases: [string, ZeekValue, string][] = [
    ["none", Value.none(), '{"@data-type":"none","data":{}}'],
    ["true", Value.boolean(true), '{"@data-type":"boolean","data":true}'],
    ["false", Value.boolean(false), '{"@data-type":"boolean","data":false}'],
    ["count 0", Value.count(0), '{"@data-type":"count","data":0}'],
    ["count 10", Value.count(10), '{"@data-type":"count","data":10}'],
    ["count 100", Value.count(100), '{"@data-type":"count","data":100}'],
    ["integer 0", Value.integer(0), '{"@data-type":"integer","data":0}'],
    ["integer 100", Value.integer(100), '{"@data-type":"integer","data":100}'],
    ["integer -10", Value.integer(-10), '{"@data-type":"integer","data":-10}'],
    ["real 0.0", Value.real(0), '{"@data-type":"real","data":0.000000}'],
    ["real -10.0", Value.real(-10), '{"@data-type":"real","data":-10.000000}'],
    ["real 42.0 (data_message)", Value.real(42), '{"@data-type":"real","data":42.000000}'],
    ["string foo", Value.string("foo"), '{"@data-type":"string","data":"foo"}'],
    ['string foo\\n"bar', Value.string('foo\n"bar'), '{"@data-type":"string","data":"foo\\n\\"bar"}'],
    ["address v4", Value.address("192.128.4.4"), '{"@data-type":"address","data":"192.128.4.4"}'],
    ["address v6", Value.address("2001:db8::"), '{"@data-type":"address","data":"2001:db8::"}'],
    ["subnet", Value.subnet("192.128.4.0/24"), '{"@data-type":"subnet","data":"192.128.4.0/24"}'],
    ["port tcp", Value.port(8080, "tcp"), '{"@data-type":"port","data":"8080/tcp"}'],
    ["port udp", Value.port(9000, "udp"), '{"@data-type":"port","data":"9000/udp"}'],
    ["timespan 0", Value.intervalNs(0n), '{"@data-type":"timespan","data":"0s"}'],
    ["timespan 1ns", Value.intervalNs(1n), '{"@data-type":"timespan","data":"1ns"}'],
    ["timespan 999ns", Value.intervalNs(999n), '{"@data-type":"timespan","data":"999ns"}'],
    ["timespan 1000ns", Value.intervalNs(1_000n), '{"@data-type":"timespan","data":"1us"}'],
    ["timespan 999us", Value.intervalNs(999_000n), '{"@data-type":"timespan","data":"999us"}'],
    ["timespan 1000us", Value.intervalNs(1_000_000n), '{"@data-type":"timespan","data":"1ms"}'],
    ["timespan 999ms", Value.intervalNs(999_000_000n), '{"@data-type":"timespan","data":"999ms"}'],
    ["timespan 1000ms", Value.intervalNs(1_000_000_000n), '{"@data-type":"timespan","data":"1s"}'],
    ["timestamp genesis", genesis, '{"@data-type":"timestamp","data":"2014-07-09T10:16:44.000"}'],
    ["enum foo", Value.enum("foo"), '{"@data-type":"enum-value","data":"foo"}'],
    ['enum foo\\n"bar', Value.enum('foo\n"bar'), '{"@data-type":"enum-value","data":"foo\\n\\"bar"}'],
    [
      "vector",
      Value.vector([Value.integer(1), Value.count(2), Value.string("three")]),
      '{"@data-type":"vector","data":[{"@data-type":"integer","data":1},{"@data-type":"count","data":2},' +
        '{"@data-type":"string","data":"three"}]}',
    ],
    [
      "set",
      Value.set([Value.integer(1), Value.integer(2), Value.integer(3)]),
      '{"@data-type":"set","data":[{"@data-type":"integer","data":1},{"@data-type":"integer","data":2},' +
        '{"@data-type":"integer","data":3}]}',
    ],
    [
      "table",
      Value.table([
        [Value.string("a-key"), Value.integer(1)],
        [Value.string("b-key"), Value.count(42)],
      ]),
      '{"@data-type":"table","data":[{"key":{"@data-type":"string","data":"a-key"},"value":{"@data-type":' +
        '"integer","data":1}},{"key":{"@data-type":"string","data":"b-key"},"value":{"@data-type":"count",' +
        '"data":42}}]}',
    ],
  ];
  it.each(cases)("%s", (_name, value, json) => {
    expect(text(value)).toBe(json);
    expect(decodeBrokerJsonValue(json)).toEqual(value);
  });

  it('decodes TEST(decode JSON into a variant), whitespace and all, and "123ns" is no address', () => {
    const json = `{
      "@data-type": "vector",
      "data": [
        { "@data-type": "none", "data": {} },
        { "@data-type": "boolean", "data": true },
        { "@data-type": "count", "data": 42 },
        { "@data-type": "integer", "data": 23 },
        { "@data-type": "real", "data": 12.48 },
        { "@data-type": "string", "data": "this is a string" },
        { "@data-type": "address", "data": "2001:db8::" },
        { "@data-type": "subnet", "data": "255.255.255.0/24" },
        { "@data-type": "port", "data": "8080/tcp" },
        { "@data-type": "timestamp", "data": "2014-07-09T10:16:44.000" },
        { "@data-type": "timespan", "data": "23s" },
        { "@data-type": "enum-value", "data": "foo" },
        { "@data-type": "set", "data": [
          { "@data-type": "integer", "data": 1 },
          { "@data-type": "integer", "data": 2 },
          { "@data-type": "integer", "data": 3 } ] },
        { "@data-type": "table", "data": [
          { "key": { "@data-type": "string", "data": "first-name" },
            "value": { "@data-type": "string", "data": "John" } },
          { "key": { "@data-type": "string", "data": "last-name" },
            "value": { "@data-type": "string", "data": "Doe" } } ] }
      ]
    }`;
    expect(decodeBrokerJsonValue(json)).toEqual(
      Value.vector([
        Value.none(),
        Value.boolean(true),
        Value.count(42),
        Value.integer(23),
        Value.real(12.48),
        Value.string("this is a string"),
        Value.address("2001:db8::"),
        Value.subnet("255.255.255.0/24"),
        Value.port(8080, "tcp"),
        genesis,
        Value.interval(23),
        Value.enum("foo"),
        Value.set([1, 2, 3].map(Value.integer)),
        Value.table([
          [Value.string("first-name"), Value.string("John")],
          [Value.string("last-name"), Value.string("Doe")],
        ]),
      ]),
    );
    // zeek/broker libbroker/broker/internal/json.test.cc, TEST(invalid address).
    expect(decodeErrorOf(() => decodeBrokerJsonValue('{"@data-type":"address","data":"123ns"}')).reason).toBe(
      "bad_value",
    );
  });

  it("reads the data-message form of internal/json.test.cc, reporting the keys Zeek's cluster code ignores", () => {
    const anomalies: string[] = [];
    const value = decodeBrokerJsonValue(
      '{"type":"data-message","topic":"/test/topic","@data-type":"count","data":42}',
      { onAnomaly: (message) => anomalies.push(message) },
    );
    expect(value).toEqual(Value.count(42));
    expect(anomalies).toEqual([
      'ignored key "type" next to @data-type',
      'ignored key "topic" next to @data-type',
    ]);
  });
});

describe("broker-json-v1 text forms beyond broker's tests", () => {
  it("writes reals as glibc's %f: exact value, 6 decimals, ties to even", () => {
    const cases: [number, string][] = [
      [0.0078125, "0.007812"], // an exact tie, rounded to even
      [0.0234375, "0.023438"],
      [-0.0078125, "-0.007812"],
      [1e-7, "0.000000"],
      [-0, "-0.000000"],
      [123456.0000005, "123456.000001"],
      [2 ** 64 - 4096, "18446744073709547520.000000"], // the largest double below 2^64
      [-(2 ** 63), "-9223372036854775808.000000"],
      [5e-324, "0.000000"],
      [Number.NaN, "nan"],
    ];
    for (const [x, expected] of cases) expect(dataOf(text(Value.real(x))), String(x)).toBe(expected);
  });

  it("writes reals from 2^64 (−2^63) on in exponent form: Zeek cannot read broker's %f text of them", () => {
    // json.test.cc's "real - big": broker writes 1234567890123456824475648.000000, which CAF's reader (so Zeek
    // 8.2.2, checked live) refuses, its integer part overflowing a uint64.
    const big = Number("1234567890123456789012345.0");
    expect(dataOf(text(Value.real(big)))).toBe("1.2345678901234568e+24");
    expect(dataOf(text(Value.real(2 ** 64)))).toBe("1.8446744073709552e+19");
    expect(dataOf(text(Value.real(-(2 ** 63) - 2048)))).toBe("-9.223372036854778e+18");
    expect(dataOf(text(Value.real(1e300), "exact"))).toBe("1e+300");
    expect(decodeBrokerJsonValue(text(Value.real(big)))).toEqual(Value.real(big));
    const brokers = '{"@data-type":"real","data":1234567890123456824475648.000000}';
    expect(decodeErrorOf(() => decodeBrokerJsonValue(brokers)).reason).toBe("bad_value");
  });

  it("exact precision keeps every real, using %f whenever %f is exact", () => {
    for (const x of [0.1, 1e-7, 0.0078125, 5e-324, -1234.5678915, 2 ** 60, 1.5]) {
      const json = text(Value.real(x), "exact");
      expect(decodeBrokerJsonValue(json)).toEqual(Value.real(x));
      if (Object.is(Number(dataOf(text(Value.real(x)))), x)) expect(json).toBe(text(Value.real(x)));
    }
    expect(text(Value.real(1e-7), "exact")).toBe('{"@data-type":"real","data":1e-7}');
  });

  it("refuses ±inf: broker writes inf, which no JSON reader (Zeek's included) reads back", () => {
    expect(() => text(Value.real(Number.POSITIVE_INFINITY))).toThrow(EncodeError);
    expect(() => text(Value.real(Number.NEGATIVE_INFINITY), "exact")).toThrow(/-inf/);
  });

  it("writes timestamps to the millisecond as broker does, negative ones truncated toward zero", () => {
    const cases: [bigint, string, string][] = [
      [1n, "1970-01-01T00:00:00.000", "1970-01-01T00:00:00.000000001"],
      [1_500_000n, "1970-01-01T00:00:00.001", "1970-01-01T00:00:00.001500"],
      [-1_500_000_000n, "1969-12-31T23:59:59.000", "1969-12-31T23:59:58.500"],
      [-1n, "1970-01-01T00:00:00.000", "1969-12-31T23:59:59.999999999"],
      [(1n << 63n) - 1n, "2262-04-11T23:47:16.854", "2262-04-11T23:47:16.854775807"],
      [-(1n << 63n), "1677-09-21T00:12:44.000", "1677-09-21T00:12:43.145224192"],
    ];
    for (const [ns, broker, precise] of cases) {
      expect(text(Value.timeNs(ns))).toBe(`{"@data-type":"timestamp","data":"${broker}"}`);
      expect(text(Value.timeNs(ns), "exact")).toBe(`{"@data-type":"timestamp","data":"${precise}"}`);
      expect(decodeBrokerJsonValue(text(Value.timeNs(ns), "exact"))).toEqual(Value.timeNs(ns));
    }
  });

  it("reads every timestamp form CAF's read_timestamp takes", () => {
    const genesis = Value.timeNs(1_404_901_004n * 1_000_000_000n);
    for (const form of [
      "2014-07-09T10:16:44",
      "2014-07-09T10:16:44Z",
      "2014-07-09T10:16:44.0",
      "2014-07-09T12:16:44.000+02:00",
      "2014-07-09T08:46:44-0130",
      "2014-07-09T11:16:44+01",
    ]) {
      expect(decodeBrokerJsonValue(`{"@data-type":"timestamp","data":"${form}"}`), form).toEqual(genesis);
    }
  });

  it("writes timespans in the coarsest exact unit and reads min and h too", () => {
    expect(text(Value.intervalNs(-1_500_000n))).toBe('{"@data-type":"timespan","data":"-1500us"}');
    expect(text(Value.intervalNs(-(1n << 63n)))).toContain('"-9223372036854775808ns"');
    expect(decodeBrokerJsonValue('{"@data-type":"timespan","data":"2min"}')).toEqual(Value.interval(120));
    expect(decodeBrokerJsonValue('{"@data-type":"timespan","data":"-1h"}')).toEqual(Value.interval(-3600));
  });

  it("writes an unknown port protocol as ?, and reads broker's lenient port forms with an anomaly", () => {
    expect(text(Value.port(443, "unknown"))).toBe('{"@data-type":"port","data":"443/?"}');
    expect(text(Value.port(8, "icmp"))).toBe('{"@data-type":"port","data":"8/icmp"}');
    const anomalies: string[] = [];
    const onAnomaly = (message: string) => anomalies.push(message);
    expect(decodeBrokerJsonValue('{"@data-type":"port","data":"80"}', { onAnomaly })).toEqual(
      Value.port(80, "tcp"),
    );
    expect(decodeBrokerJsonValue('{"@data-type":"port","data":"80/TCP"}', { onAnomaly })).toEqual(
      Value.port(80, "unknown"),
    );
    expect(anomalies).toHaveLength(2);
  });

  it("masks subnet host bits as broker does, and reports it", () => {
    const anomalies: string[] = [];
    const value = decodeBrokerJsonValue('{"@data-type":"subnet","data":"10.1.2.3/8"}', {
      onAnomaly: (message) => anomalies.push(message),
    });
    expect(value).toEqual(Value.subnet("10.0.0.0/8"));
    expect(anomalies).toEqual(["subnet 10.1.2.3/8 has host bits set; read as 10.0.0.0/8, as broker does"]);
    expect(text(Value.subnet("2001:db8::/32"))).toBe('{"@data-type":"subnet","data":"2001:db8::/32"}');
  });

  it("reads addresses as CAF does: ::a.b.c.d is IPv4-compatible, ::ffff:a.b.c.d is IPv4", () => {
    const address = (data: string) => decodeBrokerJsonValue(`{"@data-type":"address","data":"${data}"}`);
    expect(address("::1.2.3.4")).toEqual(Value.address("::102:304"));
    expect(address("::FFFF:1.2.3.4")).toEqual(Value.address("1.2.3.4"));
    expect(address("2001:DB8:0:0:1:0:0:1")).toEqual({ type: "address", value: "2001:db8::1:0:0:1" });
  });

  it("escapes strings as broker does, NUL as \\u0000, and keeps bytes that are not UTF-8", () => {
    const json = encodeBrokerJsonValue(Value.string('a\0\b\t\n\v\f\r"\\/\x01\x7fé'));
    expect(Buffer.from(json).toString("utf8")).toBe(
      '{"@data-type":"string","data":"a\\u0000\\b\\t\\n\\v\\f\\r\\"\\\\/\x01\x7fé"}',
    );
    const raw = Value.string(new Uint8Array([0xff, 0x41, 0xc3]));
    const bytes = encodeBrokerJsonValue(raw);
    expect(Buffer.from(bytes).subarray(31, 34)).toEqual(Buffer.from([0xff, 0x41, 0xc3]));
    expect(decodeBrokerJsonValue(bytes)).toEqual(raw);
    expect(() => encodeBrokerJsonText(raw)).toThrow(EncodeError);
  });

  it("reads \\u escapes, surrogate pairs and \\/ into the same bytes", () => {
    expect(decodeBrokerJsonValue('{"@data-type":"string","data":"\\u00e9\\ud83d\\ude00\\/\\u0000"}')).toEqual(
      Value.string("é😀/\0"),
    );
  });

  it("writes sets and tables in broker's canonical order and refuses duplicates", () => {
    const set = Value.set(["c", "aa", "B", "", "a", "b"].map(Value.string));
    expect(decodeBrokerJsonValue(text(set))).toEqual(
      Value.set(["", "B", "a", "aa", "b", "c"].map(Value.string)),
    );
    expect(() => text(Value.set([Value.count(1), Value.count(1)]))).toThrow(/same key twice/);
  });

  it("encodes what it decodes up to MAX_DEPTH containers and refuses one more", () => {
    const nest = (levels: number, inner: ZeekValue = Value.none()) => {
      let value = inner;
      for (let i = 0; i < levels; i++) value = Value.vector([value]);
      return value;
    };
    expect(decodeBrokerJsonValue(text(nest(64)))).toEqual(nest(64));
    expect(() => text(nest(65))).toThrow(/deeper than 64/);
    const tooDeep = `${'{"@data-type":"vector","data":['.repeat(65)}${"]}".repeat(65)}`;
    expect(decodeErrorOf(() => decodeBrokerJsonValue(tooDeep)).reason).toBe("too_deep");
    expect(decodeBrokerJsonValue(tooDeep, { maxDepth: 65 })).toEqual(nest(64, Value.vector([])));
  });
});

describe("broker-json-v1 bad input: only DecodeError, with reason and offset", () => {
  const tagged = (type: string, data: string) => `{"@data-type":"${type}","data":${data}}`;
  // [case, JSON text, reason, where: the offset, or a substring whose first index is the offset]
  const rejects: [string, string, DecodeReason, number | string][] = [
    ["empty", "", "truncated", 0],
    ["only whitespace", "  \n", "truncated", 3],
    ["cut short", '{"@data-type":"count","da', "truncated", '"da'],
    ["unterminated string", tagged("string", '"abc'), "truncated", '"abc'],
    ["trailing bytes", `${tagged("count", "1")} x`, "trailing_bytes", "x"],
    ["second value", `${tagged("count", "1")}{}`, "trailing_bytes", tagged("count", "1").length],
    ["not an object", "[1,2]", "bad_value", 0],
    ["no @data-type", '{"data":1}', "bad_tag", 0],
    ["@data-type not a string", '{"@data-type":5,"data":1}', "bad_tag", "5"],
    ["unknown @data-type", tagged("float", "1.5"), "bad_tag", '"float"'],
    ["C++ name enum_value", tagged("enum_value", '"x"'), "bad_tag", '"enum_value"'],
    [
      "duplicate key",
      '{"@data-type":"count","@data-type":"integer","data":1}',
      "bad_value",
      '"@data-type":"integer',
    ],
    ["single quotes", "{'@data-type':'none'}", "bad_value", 1],
    ["trailing comma", '{"@data-type":"none","data":{},}', "bad_value", 31],
    ["boolean as 1", tagged("boolean", "1"), "bad_value", "1}"],
    ["boolean True", tagged("boolean", "True"), "bad_value", "True"],
    ["count missing data", '{"@data-type":"count"}', "bad_value", 0],
    ["count -1", tagged("count", "-1"), "bad_value", "-1"],
    ["count 2^64", tagged("count", "18446744073709551616"), "bad_value", "1844"],
    ["count 1.0", tagged("count", "1.0"), "bad_value", "1.0"],
    ["count as string", tagged("count", '"1"'), "bad_value", '"1"'],
    ["count leading zero", tagged("count", "01"), "bad_value", "1}"],
    ["count +1", tagged("count", "+1"), "bad_value", "+1"],
    ["count hex", tagged("count", "0x10"), "bad_value", "x10"],
    ["integer 2^63", tagged("integer", "9223372036854775808"), "bad_value", "9223"],
    ["integer below int64", tagged("integer", "-9223372036854775809"), "bad_value", "-9223"],
    ["real without fraction", tagged("real", "5"), "bad_value", "5}"],
    ["real inf", tagged("real", "inf"), "bad_value", "inf"],
    ["real -inf", tagged("real", "-inf"), "bad_value", "-inf"],
    ["real -nan", tagged("real", "-nan"), "bad_value", "-nan"],
    ["real 1e999", tagged("real", "1e999"), "bad_value", "1e999"],
    ["real 1e-600", tagged("real", "1e-600"), "bad_value", "1e-600"],
    ["real past uint64 digits", tagged("real", "18446744073709551616.0"), "bad_value", "1844"],
    ["real past int64 digits", tagged("real", "-9223372036854775809.0"), "bad_value", "-9223"],
    ["real 1.", tagged("real", "1."), "bad_value", "}"],
    ["real as string", tagged("real", '"1.5"'), "bad_value", '"1.5"'],
    ["string as number", tagged("string", "5"), "bad_value", "5}"],
    ["raw NUL in string", tagged("string", '"a\0b"'), "bad_value", "\0"],
    ["unknown escape", tagged("string", '"\\a"'), "bad_value", 'a"}'],
    ["short \\u", tagged("string", '"\\u12"'), "bad_value", '"}'],
    ["lone low surrogate", tagged("string", '"\\udc00"'), "bad_value", "\\udc00"],
    ["lone high surrogate", tagged("string", '"\\ud800x"'), "bad_value", "\\ud800"],
    ["address 1.2.3.256", tagged("address", '"1.2.3.256"'), "bad_value", '"1.2'],
    ["address with zone", tagged("address", '"fe80::1%eth0"'), "bad_value", '"fe80'],
    ["address with space", tagged("address", '" 1.2.3.4"'), "bad_value", '" 1'],
    ["subnet v4 /33", tagged("subnet", '"1.2.3.0/33"'), "bad_value", '"1.2'],
    ["subnet v4-mapped /120", tagged("subnet", '"::ffff:1.2.3.0/120"'), "bad_value", '"::'],
    ["subnet v6 /129", tagged("subnet", '"::/129"'), "bad_value", '"::'],
    ["subnet without length", tagged("subnet", '"1.2.3.0"'), "bad_value", '"1.2'],
    ["subnet length 024", tagged("subnet", '"1.2.3.0/024"'), "bad_value", '"1.2'],
    ["port 65536", tagged("port", '"65536/tcp"'), "bad_value", '"655'],
    ["port -1", tagged("port", '"-1/tcp"'), "bad_value", '"-1'],
    ["port as number", tagged("port", "443"), "bad_value", "443"],
    ["timestamp 30 Feb", tagged("timestamp", '"2014-02-30T00:00:00.000"'), "bad_value", '"2014'],
    ["timestamp with space", tagged("timestamp", '"2014-07-09 10:16:44"'), "bad_value", '"2014'],
    ["timestamp 24:00", tagged("timestamp", '"2014-07-09T24:00:00"'), "bad_value", '"2014'],
    ["timestamp 10 digits", tagged("timestamp", '"2014-07-09T10:16:44.1234567890"'), "bad_value", '"2014'],
    ["timestamp after 2262", tagged("timestamp", '"2262-04-12T00:00:00.000"'), "bad_value", '"2262'],
    ["timestamp as number", tagged("timestamp", "0"), "bad_value", "0}"],
    ["timespan no unit", tagged("timespan", '"23"'), "bad_value", '"23'],
    ["timespan 1.5s", tagged("timespan", '"1.5s"'), "bad_value", '"1.5'],
    ["timespan octal-looking 010s", tagged("timespan", '"010s"'), "bad_value", '"010'],
    ["timespan days", tagged("timespan", '"1d"'), "bad_value", '"1d'],
    ["timespan overflow", tagged("timespan", '"10000000000s"'), "bad_value", '"1000'],
    ["vector data object", tagged("vector", "{}"), "bad_value", "{}}"],
    ["vector element not object", tagged("vector", "[1]"), "bad_value", "1]"],
    ["set duplicate", tagged("set", `[${tagged("count", "1")},${tagged("count", "1")}]`), "bad_value", 0],
    ["table entry not object", tagged("table", "[1]"), "bad_value", "1]"],
    ["table entry without value", tagged("table", `[{"key":${tagged("count", "1")}}]`), "bad_value", '{"key'],
    [
      "table duplicate key",
      tagged(
        "table",
        `[{"key":${tagged("count", "1")},"value":${tagged("none", "{}")}},` +
          `{"key":${tagged("count", "1")},"value":${tagged("none", "{}")}}]`,
      ),
      "bad_value",
      0,
    ],
    ["nesting bomb", "[".repeat(100_000), "too_deep", 195],
    ["object bomb", '{"a":'.repeat(100_000), "too_deep", 5 * 195],
  ];
  it.each(rejects)("%s", (_name, json, reason, where) => {
    const error = decodeErrorOf(() => decodeBrokerJsonValue(bytesOf(json)));
    const offset = typeof where === "number" ? where : bytesOf(json.slice(0, json.indexOf(where))).length;
    expect({ reason: error.reason, offset: error.offset }).toEqual({ reason, offset });
  });

  it("rejects an enum name that is not UTF-8 (a string that is not is kept as bytes)", () => {
    const json = (type: string) =>
      Buffer.concat([Buffer.from(`{"@data-type":"${type}","data":"`), Buffer.from([0xff, 0x22, 0x7d])]);
    const error = decodeErrorOf(() => decodeBrokerJsonValue(json("enum-value")));
    expect({ reason: error.reason, offset: error.offset }).toEqual({ reason: "bad_value", offset: 34 });
    expect(decodeBrokerJsonValue(json("string"))).toEqual(Value.string(new Uint8Array([0xff])));
  });

  it("rejects a well-formed value that is no event message, as bad_message", () => {
    const error = decodeErrorOf(() => decodeBrokerJsonEvent(bytesOf(tagged("count", "1"))));
    expect(error.reason).toBe("bad_message");
  });

  it("reports what Zeek lets through in an event as anomalies", () => {
    const message = Value.vector([
      Value.count(2),
      Value.count(1),
      Value.vector([Value.string("x"), Value.vector([])]),
    ]);
    const json = Buffer.from(encodeBrokerJsonValue(message)).toString().replace('"data":2', '"data":2,"x":1');
    const event = decodeBrokerJsonEvent(bytesOf(json));
    expect(event.anomalies).toEqual([
      'ignored key "x" next to @data-type',
      "protocol version is count 2, expected count 1",
    ]);
  });

  it("wraps anything else thrown while decoding, such as a failing anomaly callback", () => {
    const error = decodeErrorOf(() =>
      decodeBrokerJsonValue(tagged("port", '"80"'), {
        onAnomaly: () => {
          throw new TypeError("boom");
        },
      }),
    );
    expect(error.message).toContain("boom");
  });
});

// Payloads a real Zeek 8.2.2 published with Cluster::event_serializer = Cluster::EVENT_SERIALIZER_BROKER_JSON_V1
// (test/zeek/scripts/publish-values.zeek), copied verbatim. All 22 events of that script without ±inf or NUL were
// re-encoded byte for byte when checked live; these four stand for them here.
const ZEEK_8_2_2: readonly [string, string, readonly ZeekValue[]][] = [
  [
    "times",
    '{"@data-type":"vector","data":[{"@data-type":"count","data":1},{"@data-type":"count","data":1},{"@data-type":"vector","data":[{"@data-type":"string","data":"ZmqcTest::times"},{"@data-type":"vector","data":[{"@data-type":"timestamp","data":"2023-11-14T22:13:20.123"},{"@data-type":"timespan","data":"1500ms"},{"@data-type":"timespan","data":"-135s"},{"@data-type":"timespan","data":"0s"}]}]}]}',
    [
      Value.timeNs(1_700_000_000_123_000_000n),
      Value.interval(1.5),
      Value.interval(-135),
      Value.intervalNs(0n),
    ],
  ],
  [
    "subnets",
    '{"@data-type":"vector","data":[{"@data-type":"count","data":1},{"@data-type":"count","data":1},{"@data-type":"vector","data":[{"@data-type":"string","data":"ZmqcTest::subnets"},{"@data-type":"vector","data":[{"@data-type":"subnet","data":"10.0.0.0/8"},{"@data-type":"subnet","data":"2001:db8::/32"},{"@data-type":"subnet","data":"192.168.1.0/24"},{"@data-type":"subnet","data":"2001:db8::/64"},{"@data-type":"subnet","data":"0.0.0.0/0"}]}]}]}',
    ["10.0.0.0/8", "2001:db8::/32", "192.168.1.0/24", "2001:db8::/64", "0.0.0.0/0"].map((text) =>
      Value.subnet(text),
    ),
  ],
  [
    "composite_table",
    '{"@data-type":"vector","data":[{"@data-type":"count","data":1},{"@data-type":"count","data":1},{"@data-type":"vector","data":[{"@data-type":"string","data":"ZmqcTest::composite_table"},{"@data-type":"vector","data":[{"@data-type":"table","data":[{"key":{"@data-type":"vector","data":[{"@data-type":"address","data":"10.0.0.1"},{"@data-type":"port","data":"53/udp"}]},"value":{"@data-type":"string","data":"dns"}},{"key":{"@data-type":"vector","data":[{"@data-type":"address","data":"10.0.0.1"},{"@data-type":"port","data":"80/tcp"}]},"value":{"@data-type":"string","data":"web"}},{"key":{"@data-type":"vector","data":[{"@data-type":"address","data":"2001:db8::1"},{"@data-type":"port","data":"443/tcp"}]},"value":{"@data-type":"string","data":"tls"}}]}]}]}]}',
    [
      Value.table([
        [Value.vector([Value.address("10.0.0.1"), Value.port(53, "udp")]), Value.string("dns")],
        [Value.vector([Value.address("10.0.0.1"), Value.port(80, "tcp")]), Value.string("web")],
        [Value.vector([Value.address("2001:db8::1"), Value.port(443, "tcp")]), Value.string("tls")],
      ]),
    ],
  ],
  [
    "record_arg",
    '{"@data-type":"vector","data":[{"@data-type":"count","data":1},{"@data-type":"count","data":1},{"@data-type":"vector","data":[{"@data-type":"string","data":"ZmqcTest::record_arg"},{"@data-type":"vector","data":[{"@data-type":"vector","data":[{"@data-type":"string","data":"x"},{"@data-type":"count","data":1},{"@data-type":"none","data":{}},{"@data-type":"count","data":5},{"@data-type":"vector","data":[{"@data-type":"count","data":7},{"@data-type":"none","data":{}}]},{"@data-type":"vector","data":[{"@data-type":"string","data":"p"},{"@data-type":"string","data":"q"}]},{"@data-type":"none","data":{}}]}]}]}]}',
    [
      Value.record([
        Value.string("x"),
        Value.count(1),
        undefined,
        Value.count(5),
        Value.record([Value.count(7), undefined]),
        Value.vector([Value.string("p"), Value.string("q")]),
        undefined,
      ]),
    ],
  ],
];
describe("broker-json-v1 against Zeek 8.2.2 captures", () => {
  it.each(ZEEK_8_2_2)("%s decodes to the typed values and re-encodes byte for byte", (name, json, args) => {
    const event = decodeBrokerJsonEvent(bytesOf(json));
    expect(event).toEqual({ name: `ZmqcTest::${name}`, args });
    expect(Buffer.from(encodeBrokerJsonEvent(event)).toString("utf8")).toBe(json);
  });

  it("Zeek writes a NUL byte raw, which its own reader cannot read: a DecodeError here too", () => {
    // ZmqcTest::strings("hello", "grüße ✓", "a\x00\xffb", ""), 369 bytes as Zeek sent them.
    const head =
      '{"@data-type":"vector","data":[{"@data-type":"count","data":1},{"@data-type":"count","data":1},' +
      '{"@data-type":"vector","data":[{"@data-type":"string","data":"ZmqcTest::strings"},{"@data-type":"vector",' +
      '"data":[{"@data-type":"string","data":"hello"},{"@data-type":"string","data":"grüße ✓"},' +
      '{"@data-type":"string","data":"';
    const tail = '"},{"@data-type":"string","data":""}]}]}]}';
    const payload = Buffer.concat([
      Buffer.from(head),
      Buffer.from([0x61, 0x00, 0xff, 0x62]),
      Buffer.from(tail),
    ]);
    expect(payload).toHaveLength(369);
    const error = decodeErrorOf(() => decodeBrokerJsonEvent(payload));
    expect({ reason: error.reason, offset: error.offset }).toEqual({ reason: "bad_value", offset: 324 });
    // Our encoder writes that NUL as \u0000, which Zeek 8.2.2 reads back as the same 4 bytes (checked live).
    const args = [
      Value.string("hello"),
      Value.string("grüße ✓"),
      Value.string(new Uint8Array([0x61, 0, 0xff, 0x62])),
    ];
    const ours = encodeBrokerJsonEvent({ name: "ZmqcTest::strings", args: [...args, Value.string("")] });
    expect(Buffer.from(ours).indexOf(Buffer.from("a\\u0000\xffb", "latin1"))).toBeGreaterThan(0);
    expect(decodeBrokerJsonEvent(ours).args).toEqual([...args, Value.string("")]);
  });
});

/** True when a value holds ±inf, which broker-json cannot carry. */
function holdsInfinity(value: ZeekValue): boolean {
  switch (value.type) {
    case "real":
      return Math.abs(value.value) === Number.POSITIVE_INFINITY;
    case "vector":
    case "set":
      return value.elements.some(holdsInfinity);
    case "table":
      return value.entries.some(([key, entry]) => holdsInfinity(key) || holdsInfinity(entry));
    default:
      return false;
  }
}

const finiteValue = zeekValue.filter((value) => !holdsInfinity(value));

/** A value moved onto what broker's lossy forms keep exactly: reals on a 1/64 grid, times to ms or s. */
function brokerExact(value: ZeekValue): ZeekValue {
  switch (value.type) {
    case "real":
      return Value.real(Number.isInteger(value.value) ? value.value : Math.round(value.value * 64) / 64);
    case "timestamp":
      return Value.timeNs(value.ns - (value.ns % (value.ns >= 0n ? 1_000_000n : 1_000_000_000n)));
    case "vector":
      return Value.vector(value.elements.map(brokerExact));
    case "set":
      return Value.set(value.elements.map(brokerExact));
    case "table":
      return Value.table(
        value.entries.map(([key, entry]) => [brokerExact(key), brokerExact(entry)] as const),
      );
    default:
      return value;
  }
}

describe("broker-json-v1 properties", () => {
  it("exact precision round-trips every finite value", () => {
    fc.assert(
      fc.property(finiteValue, (value) => {
        expect(decodeBrokerJsonValue(encodeBrokerJsonValue(value, exact))).toEqual(canonical(value));
      }),
      { numRuns: 500 },
    );
  });

  it("broker precision round-trips what broker's forms hold exactly", () => {
    // Rounding can merge two set elements or table keys; those values are skipped, not failed.
    const merged = (value: ZeekValue) => {
      try {
        encodeBrokerJsonValue(value);
        return false;
      } catch {
        return true;
      }
    };
    fc.assert(
      fc.property(
        finiteValue.map(brokerExact).filter((value) => !merged(value)),
        (value) => {
          expect(decodeBrokerJsonValue(encodeBrokerJsonValue(value))).toEqual(canonical(value));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("broker precision is stable: after one decode and re-encode, the bytes no longer change", () => {
    fc.assert(
      fc.property(finiteValue, (value) => {
        const bytes = encodeBrokerJsonValue(value);
        let decoded: ZeekValue;
        try {
          decoded = decodeBrokerJsonValue(bytes);
        } catch (error) {
          // Rounding to 6 decimals can make two set elements equal, which the reader rightly refuses.
          expect(DecodeError.isDecodeError(error) && error.reason).toBe("bad_value");
          return;
        }
        // Rounding can also reorder: table{-2.2e-308: …} sorts before table{0: …}, but once printed as -0.000000
        // the key compares equal to 0 and the values decide. So the first re-encoding may differ; it is then a
        // fixed point (seed 832376471 found the reordering).
        const again = encodeBrokerJsonValue(decoded);
        expect(Buffer.from(encodeBrokerJsonValue(decodeBrokerJsonValue(again)))).toEqual(Buffer.from(again));
      }),
      { numRuns: 500 },
    );
  });

  it("broker precision: a key that rounds to -0.000000 may change places with one that is 0, once", () => {
    const table = (first: ZeekValue, second: ZeekValue) =>
      Value.table([
        [Value.table([[Value.real(-2.2250738585072014e-308), first]]), Value.boolean(true)],
        [Value.table([[Value.real(0), second]]), Value.boolean(false)],
      ]);
    const bytes = encodeBrokerJsonValue(table(Value.integer(0), Value.boolean(false)));
    const again = encodeBrokerJsonValue(decodeBrokerJsonValue(bytes));
    expect(Buffer.from(again).toString()).not.toBe(Buffer.from(bytes).toString());
    expect(Buffer.from(encodeBrokerJsonValue(decodeBrokerJsonValue(again))).toString()).toBe(
      Buffer.from(again).toString(),
    );
  });

  it("decode(json(encode)) equals decode(bin(encode)) for values and events", () => {
    fc.assert(
      fc.property(finiteValue, (value) => {
        expect(decodeBrokerJsonValue(encodeBrokerJsonValue(value, exact))).toEqual(
          decodeBrokerBinValue(encodeBrokerBinValue(value)),
        );
      }),
      { numRuns: 300 },
    );
    const event: fc.Arbitrary<ZeekEvent> = fc.record({
      name: fc.string({ minLength: 1, maxLength: 30 }),
      args: fc.array(finiteValue, { maxLength: 4 }),
      metadata: fc.array(
        fc.record({ id: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), value: finiteValue }),
        {
          maxLength: 2,
        },
      ),
    });
    fc.assert(
      fc.property(event, (e) => {
        expect(decodeBrokerJsonEvent(encodeBrokerJsonEvent(e, exact))).toEqual(
          decodeBrokerBinEvent(encodeBrokerBinEvent(e)),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe("broker-json-v1 fuzz: only DecodeError escapes", () => {
  const reasons: readonly DecodeReason[] = [
    "truncated",
    "trailing_bytes",
    "bad_tag",
    "bad_value",
    "too_deep",
  ];
  const decodeOrDecodeError = (bytes: Uint8Array) => {
    try {
      decodeBrokerJsonValue(bytes);
    } catch (error) {
      expect(DecodeError.isDecodeError(error), String(error)).toBe(true);
      expect(error).toMatchObject({ code: "DECODE", format: BROKER_JSON_V1 });
      expect(reasons).toContain((error as DecodeError).reason);
    }
  };
  const jsonish = fc.string({
    unit: fc.constantFrom(...'{}[]",:0123456789-.eE \\u@adtnrufls'.split(""), '"@data-type"', '"data"'),
    maxLength: 80,
  });

  it("random bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), decodeOrDecodeError), { numRuns: 600 });
  });

  it("random JSON-looking text", () => {
    fc.assert(
      fc.property(jsonish, (json) => decodeOrDecodeError(bytesOf(json))),
      { numRuns: 600 },
    );
  });

  it("mutations of valid output", () => {
    const edit = fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.constantFrom("set", "insert", "delete"));
    fc.assert(
      fc.property(finiteValue, fc.array(edit, { minLength: 1, maxLength: 4 }), (value, edits) => {
        const bytes = [...encodeBrokerJsonValue(value)];
        for (const [position, byte, kind] of edits) {
          const at = position % (bytes.length + 1);
          if (kind === "set") bytes[at] = byte;
          else if (kind === "insert") bytes.splice(at, 0, byte);
          else bytes.splice(at, 1);
        }
        decodeOrDecodeError(Uint8Array.from(bytes));
      }),
      { numRuns: 800 },
    );
  });
});
