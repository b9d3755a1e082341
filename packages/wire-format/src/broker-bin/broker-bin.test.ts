import {
  DecodeError,
  decodeBrokerBinEvent,
  decodeBrokerBinValue,
  encodeBrokerBinEvent,
  encodeBrokerBinValue,
  Value,
  type ZeekValue,
} from "@zmqc/wire-format";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonical, zeekValue } from "../../test/arbitraries.js";
import { bytesOf, vectorById, vectors } from "../../test/vectors.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("broker-bin-v1 upstream vectors", () => {
  it("decodes Supervisor::node_status exactly and re-encodes the identical 86 bytes", () => {
    const vector = vectorById("zeek/broker-bin-v1/node_status");
    const bytes = bytesOf(vector);
    const event = decodeBrokerBinEvent(bytes);
    expect(event).toEqual({
      name: "Supervisor::node_status",
      args: [Value.string("TEST"), Value.count(42)],
      metadata: [{ id: 1n, value: Value.timeNs(0n) }],
    });
    expect(hex(encodeBrokerBinEvent(event))).toBe(hex(bytes));
  });

  it("every broker-bin-v1 event vector round-trips byte for byte", () => {
    for (const vector of vectors({ format: "broker-bin-v1", kind: "event" })) {
      const bytes = bytesOf(vector);
      expect(hex(encodeBrokerBinEvent(decodeBrokerBinEvent(bytes))), vector.id).toBe(hex(bytes));
    }
  });

  it("the ZeroMQ hello has no metadata vector", () => {
    const vector = vectorById("zmqc/broker-bin-v1/zeromq-hello");
    const event = decodeBrokerBinEvent(bytesOf(vector));
    expect(event.name).toBe("Cluster::Backend::ZeroMQ::hello");
    expect(event.metadata).toBeUndefined();
    expect(event.args).toEqual([Value.string("worker-1"), Value.string("zeromq_worker-1_host_1234_NabcDEF")]);
    expect(bytesOf(vector)).toHaveLength(61 + "worker-1".length + "zeromq_worker-1_host_1234_NabcDEF".length);
  });
});

describe("broker-bin-v1 values, byte by byte", () => {
  const cases: [string, ZeekValue, string][] = [
    ["none", Value.none(), "00"],
    ["true", Value.boolean(true), "0101"],
    ["count 2^64-1", Value.count((1n << 64n) - 1n), "02ffffffffffffffff"],
    ["integer -1", Value.integer(-1), "03ffffffffffffffff"],
    ["real 1.5", Value.real(1.5), "043ff8000000000000"],
    ["string é", Value.string("é"), "0502c3a9"],
    ["address 1.2.3.4", Value.address("1.2.3.4"), "0600000000000000000000ffff01020304"],
    ["address 2001:db8::1", Value.address("2001:db8::1"), "0620010db8000000000000000000000001"],
    [
      "subnet 10.0.0.0/8",
      Value.subnet("10.1.2.3/8"),
      "0600000000000000000000ffff0a00000068".replace(/^06/, "07"),
    ],
    ["subnet 2001:db8::/32", Value.subnet("2001:db8::/32"), "0720010db800000000000000000000000020"],
    ["port 443/tcp", Value.port(443, "tcp"), "0801bb01"],
    ["port 53/udp", Value.port("53/udp"), "08003502"],
    ["port 8/icmp", Value.port(8, "icmp"), "08000803"],
    ["timestamp 1 s", Value.time(1), "09000000003b9aca00"],
    ["timespan -1 ns", Value.intervalNs(-1n), "0affffffffffffffff"],
    ["enum tcp", Value.enum("tcp"), "0b03746370"],
    ["empty vector", Value.vector([]), "0e00"],
    [
      "vector of 200 nones (2-byte varbyte)",
      Value.vector(Array(200).fill(Value.none())),
      `0ec801${"00".repeat(200)}`,
    ],
  ];
  it.each(cases)("%s", (_name, value, expected) => {
    expect(hex(encodeBrokerBinValue(value))).toBe(expected);
    expect(decodeBrokerBinValue(Buffer.from(expected, "hex"))).toEqual(value);
  });

  it("writes sets and tables in broker's canonical order, whatever order they are given in", () => {
    const set = Value.set(["c", "aa", "B", "", "a", "b"].map(Value.string));
    const decoded = decodeBrokerBinValue(encodeBrokerBinValue(set));
    expect(decoded).toEqual(Value.set(["", "B", "a", "aa", "b", "c"].map(Value.string)));
    const addresses = Value.set(["10.0.0.1", "2001:db8::1", "::1", "1.2.3.4"].map(Value.address));
    expect(
      (decodeBrokerBinValue(encodeBrokerBinValue(addresses)) as { elements: readonly ZeekValue[] }).elements,
    ).toEqual(["::1", "1.2.3.4", "10.0.0.1", "2001:db8::1"].map(Value.address));
    const mixed = Value.set([Value.string("x"), Value.count(1), Value.boolean(false)]);
    expect(
      (decodeBrokerBinValue(encodeBrokerBinValue(mixed)) as { elements: readonly ZeekValue[] }).elements.map(
        (v) => v.type,
      ),
    ).toEqual(["boolean", "count", "string"]);
    const table = Value.table([
      [Value.count(2), Value.string("two")],
      [Value.count(1), Value.string("one")],
    ]);
    expect(decodeBrokerBinValue(encodeBrokerBinValue(table))).toEqual(
      Value.table([
        [Value.count(1), Value.string("one")],
        [Value.count(2), Value.string("two")],
      ]),
    );
  });

  it("keeps strings that are not UTF-8 as bytes", () => {
    const raw = Value.string(new Uint8Array([0xff, 0x00, 0x41]));
    expect(decodeBrokerBinValue(encodeBrokerBinValue(raw))).toEqual(raw);
  });

  it("writes reals as CAF's pack754 does: +inf fff0…, -inf 7ff0…, NaN ffff…, -0 8000…", () => {
    expect(hex(encodeBrokerBinValue(Value.real(Number.POSITIVE_INFINITY)))).toBe("04fff0000000000000");
    expect(hex(encodeBrokerBinValue(Value.real(Number.NEGATIVE_INFINITY)))).toBe("047ff0000000000000");
    expect(hex(encodeBrokerBinValue(Value.real(Number.NaN)))).toBe("04ffffffffffffffff");
    expect(hex(encodeBrokerBinValue(Value.real(-0)))).toBe("048000000000000000");
    expect(decodeBrokerBinValue(Buffer.from("04fff0000000000000", "hex"))).toEqual(
      Value.real(Number.POSITIVE_INFINITY),
    );
    expect(decodeBrokerBinValue(Buffer.from("047ff0000000000000", "hex"))).toEqual(
      Value.real(Number.NEGATIVE_INFINITY),
    );
    // An IEEE quiet NaN is read by Zeek as +infinity.
    expect(decodeBrokerBinValue(Buffer.from("047ff8000000000000", "hex"))).toEqual(
      Value.real(Number.POSITIVE_INFINITY),
    );
    // Subnormals: pack754's exponent wraps (5e-324 → fcd0…), and unpack754 reads that back as -2^974.
    expect(hex(encodeBrokerBinValue(Value.real(5e-324)))).toBe("04fcd0000000000000");
    expect(decodeBrokerBinValue(Buffer.from("04fcd0000000000000", "hex"))).toEqual(Value.real(-(2 ** 974)));
  });

  it("refuses to encode what Zeek could not read", () => {
    expect(() => encodeBrokerBinValue({ type: "count", value: -1n })).toThrow(/count -1/);
    expect(() => encodeBrokerBinValue({ type: "integer", value: 1n << 63n })).toThrow(/outside int64/);
    expect(() => encodeBrokerBinValue({ type: "address", value: "1.2.3" })).toThrow(/not an address/);
    expect(() => encodeBrokerBinValue(Value.set([Value.count(1), Value.count(1)]))).toThrow(/same key twice/);
    let deep: ZeekValue = Value.none();
    for (let i = 0; i < 70; i++) deep = Value.vector([deep]);
    expect(() => encodeBrokerBinValue(deep)).toThrow(/deeper than 64/);
  });
});

describe("broker-bin-v1 bad input: only DecodeError, with reason and offset", () => {
  const rejects: [string, string, string, number][] = [
    ["empty", "", "truncated", 0],
    ["unknown tag", "0f", "bad_tag", 0],
    ["truncated count", "020000", "truncated", 1],
    ["string length past the end", "05ffffffff0f41", "bad_length", 1],
    ["varbyte longer than 5 bytes", "05ffffffffff01", "bad_length", 1],
    ["port protocol 4", "08005004", "bad_value", 3],
    ["subnet length 129", "0700000000000000000000000000000000" + "81", "bad_value", 17],
    ["vector claims more elements than bytes", "0effffff0f00", "bad_length", 1],
    ["trailing bytes", "0000", "trailing_bytes", 1],
    ["duplicate set element", "0c02020000000000000001020000000000000001", "bad_value", 0],
    ["duplicate table key", `0d02${"0200000000000000010101".repeat(2)}`, "bad_value", 0],
    ["enum name that is not UTF-8", "0b01ff", "bad_value", 0],
  ];
  it.each(rejects)("%s", (_name, input, reason, offset) => {
    let error: unknown;
    try {
      decodeBrokerBinValue(Buffer.from(input, "hex"));
    } catch (caught) {
      error = caught;
    }
    expect(DecodeError.isDecodeError(error)).toBe(true);
    expect(error).toMatchObject({ code: "DECODE", format: "broker-bin-v1", reason, offset });
  });

  it("a nesting bomb is too_deep, not a stack overflow", () => {
    const bomb = Buffer.from(`${"0e01".repeat(100_000)}00`, "hex");
    expect(() => decodeBrokerBinValue(bomb)).toThrow(expect.objectContaining({ reason: "too_deep" }));
  });

  it("an event message of the wrong shape is bad_message; a wrong version is kept as an anomaly", () => {
    expect(() => decodeBrokerBinEvent(encodeBrokerBinValue(Value.count(1)))).toThrow(
      expect.objectContaining({ reason: "bad_message" }),
    );
    const wrongVersion = encodeBrokerBinValue(
      Value.vector([Value.count(2), Value.count(1), Value.vector([Value.string("x"), Value.vector([])])]),
    );
    expect(decodeBrokerBinEvent(wrongVersion)).toEqual({
      name: "x",
      args: [],
      anomalies: ["protocol version is count 2, expected count 1"],
    });
  });

  it("keeps unknown metadata ids", () => {
    const event = {
      name: "e",
      args: [],
      metadata: [
        { id: 1n, value: Value.time(1) },
        { id: 4242n, value: Value.string("mine") },
      ],
    };
    expect(decodeBrokerBinEvent(encodeBrokerBinEvent(event))).toEqual(event);
  });
});

describe("broker-bin-v1 properties", () => {
  it("every value round-trips, and re-encoding the decoded value gives the same bytes", () => {
    fc.assert(
      fc.property(zeekValue, (value) => {
        const bytes = encodeBrokerBinValue(value);
        const decoded = decodeBrokerBinValue(bytes);
        expect(decoded).toEqual(canonical(value));
        expect(encodeBrokerBinValue(decoded)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it("every event round-trips", () => {
    const event = fc.record({
      name: fc.string({ minLength: 1, maxLength: 40 }),
      args: fc.array(zeekValue, { maxLength: 5 }),
      metadata: fc.option(
        fc.array(fc.record({ id: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), value: zeekValue }), {
          minLength: 1,
          maxLength: 3,
        }),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(event, (e) => {
        const decoded = decodeBrokerBinEvent(encodeBrokerBinEvent(e));
        expect(decoded.name).toBe(e.name);
        expect(decoded.args).toEqual(e.args.map(canonical));
        expect(decoded.metadata?.map((m) => m.id)).toEqual(e.metadata?.map((m) => m.id));
      }),
      { numRuns: 200 },
    );
  });
});
