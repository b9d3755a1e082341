import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogValues } from "./build.js";
import type { LogPortProtocol } from "./model.js";

/** A constructor's value, or the message it threw. */
function outcome(make: () => unknown): unknown {
  try {
    return { value: make() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** How `LogValues.port` read port text before its fast path: split at "/", Number() of the digits. */
function splitPort(text: string) {
  const [digits = "", proto = "unknown"] = text.split("/");
  return LogValues.port(Number(digits), proto as LogPortProtocol);
}

describe("LogValues fast paths", () => {
  it("port text reads as split-and-Number read it, refusals included", () => {
    const portText = fc.oneof(
      fc
        .tuple(
          fc.stringMatching(/^[0-9]{0,7}$/),
          fc.constantFrom("tcp", "udp", "icmp", "unknown", "sctp", "TCP", "", "tcp/x"),
        )
        .map(([digits, proto]) => `${digits}/${proto}`),
      fc.stringMatching(/^[ 0-9a-fx.+e-]{0,6}(\/[a-z]{0,4}){0,2}$/),
      fc.string({ maxLength: 10 }),
    );
    fc.assert(
      fc.property(portText, (text) => {
        expect(outcome(() => LogValues.port(text))).toEqual(outcome(() => splitPort(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it("counts and ints from numbers equal the same values from bigints, and refuse the same numbers", () => {
    const numbers = fc.oneof(
      fc.integer(),
      fc.constantFrom(
        0,
        -0,
        Number.MAX_SAFE_INTEGER,
        -Number.MAX_SAFE_INTEGER,
        2 ** 53,
        -(2 ** 53),
        0.5,
        Number.NaN,
      ),
      fc.double(),
    );
    fc.assert(
      fc.property(numbers, (n) => {
        for (const make of [LogValues.count, LogValues.int]) {
          const fromNumber = outcome(() => make(n));
          if (Number.isSafeInteger(n)) expect(fromNumber).toEqual(outcome(() => make(BigInt(n))));
          else expect(fromNumber).toEqual({ error: expect.stringContaining("is not a safe integer") });
        }
      }),
      { numRuns: 1000 },
    );
  });
});
