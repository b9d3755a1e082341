// valueText: values as text for people, in Zeek's notation (what `zmqc decode` prints).
import { describe, expect, it } from "vitest";
import { Value } from "./build.js";
import { valueText } from "./text.js";

describe("values for people", () => {
  it("writes values in Zeek's notation", () => {
    expect(valueText(Value.vector([Value.string('a"b'), Value.count(1n), Value.integer(-2n)]))).toBe(
      '["a\\"b", 1, -2]',
    );
    expect(valueText(Value.set([Value.port(80, "tcp"), Value.port(53, "udp")]))).toBe("{80/tcp, 53/udp}");
    expect(valueText(Value.table([[Value.string("k"), Value.boolean(false)]]))).toBe('{["k"] = F}');
    expect(valueText(Value.real(1))).toBe("1.0");
    expect(valueText(Value.time(1_700_000_000.5))).toBe("1700000000.5");
    expect(valueText(Value.interval(-1.5))).toBe("-1.5 secs");
    expect(valueText(Value.subnet("10.0.0.0/8"))).toBe("10.0.0.0/8");
    expect(valueText(Value.none())).toBe("<none>");
    expect(valueText(Value.enum("Conn::LOG"))).toBe("Conn::LOG");
    // A string that is not UTF-8 shows its bytes one character each.
    expect(valueText(Value.string(Uint8Array.from([0x61, 0xff])))).toBe('"a\u00ff"');
  });
});
