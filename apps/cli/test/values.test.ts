import { Value } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { parseValue, ValueSyntaxError } from "../src/util/parse-value.js";

describe("command-line values", () => {
  it("guesses the obvious types and takes explicit ones", () => {
    expect(parseValue("5")).toEqual(Value.count(5n));
    expect(parseValue("-5")).toEqual(Value.integer(-5n));
    expect(parseValue("int:5")).toEqual(Value.integer(5n));
    expect(parseValue("1.5")).toEqual(Value.real(1.5));
    expect(parseValue("double:2")).toEqual(Value.real(2));
    expect(parseValue("T")).toEqual(Value.boolean(true));
    expect(parseValue("10.0.0.1")).toEqual(Value.address("10.0.0.1"));
    expect(parseValue("2001:db8::1")).toEqual(Value.address("2001:db8::1"));
    expect(parseValue("10.0.0.0/8")).toEqual(Value.subnet("10.0.0.0/8"));
    expect(parseValue("443/tcp")).toEqual(Value.port(443, "tcp"));
    expect(parseValue("enum:Log::WRITER_ASCII")).toEqual(Value.enum("Log::WRITER_ASCII"));
    expect(parseValue("string:5")).toEqual(Value.string("5"));
    expect(parseValue('"T"')).toEqual(Value.string("T"));
    expect(parseValue("hello world")).toEqual(Value.string("hello world"));
    expect(parseValue("time:1.5")).toEqual(Value.time(1.5));
    expect(parseValue("interval:0.25")).toEqual(Value.interval(0.25));
  });

  it("rejects what does not fit the type it names", () => {
    for (const bad of [
      "count:-1",
      "count:x",
      "int:1.5",
      "bool:yes",
      "port:80/sctp",
      "double:",
      "addr:1.2.3",
      "time:x",
    ]) {
      expect(() => parseValue(bad), bad).toThrow(ValueSyntaxError);
    }
  });
});
