import { LogValues } from "@zmqc/wire-format";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCanonicalIpv4 } from "../src/sender/columns.js";
import { createLogStream } from "../src/sender/stream.js";

const hosts = createLogStream({
  id: "H::LOG",
  path: "h",
  columns: { a: "addr", deep: { type: { record: { inner: { record: { n: "count" } } } }, optional: true } },
});

/** What the converter gives, or the error message: the same for the fast path and LogValues.addr. */
const outcome = (run: () => unknown) => {
  try {
    return { value: run() };
  } catch (error) {
    return { error: (error as Error).message.replace(/^column 'a': /, "") };
  }
};

describe("a stream's record values", () => {
  it("an IPv4 address is the value LogValues.addr makes of it, canonical or not", () => {
    const octet = fc.oneof(
      fc.integer({ min: 0, max: 255 }).map(String),
      fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, "0")),
      fc.constantFrom("256", "", "-1", "1e2", " 1", "0x1"),
    );
    fc.assert(
      fc.property(fc.array(octet, { minLength: 3, maxLength: 5 }), (octets) => {
        const text = octets.join(".");
        expect(outcome(() => hosts.toValues({ a: text })[0])).toEqual(outcome(() => LogValues.addr(text)));
      }),
      { numRuns: 2000 },
    );
    expect(hosts.toValues({ a: "192.0.2.1" })[0]).toEqual(LogValues.addr("192.0.2.1"));
    expect(hosts.toValues({ a: "010.0.0.1" })[0]).toEqual(LogValues.addr("10.0.0.1"));
    expect(() => hosts.toValues({ a: "1.2.3.256" })).toThrow(/column 'a'/);
  });

  it("takes as canonical dotted quads exactly what the regular expression it replaced took", () => {
    const canonical = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
    const part = fc.oneof(
      fc.integer({ min: 0, max: 300 }).map(String),
      fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(3, "0")),
      fc.stringMatching(/^[0-9.:a ]{0,4}$/),
    );
    fc.assert(
      fc.property(
        fc.array(part, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(".", "", ".."),
        (parts, glue) => {
          const text = parts.join(glue === "" ? "." : glue);
          expect(isCanonicalIpv4(text), text).toBe(canonical.test(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("reads nested columns through missing and null records as unset", () => {
    const absent = LogValues.absent("count");
    expect(hosts.toValues({ a: "192.0.2.1" })[1]).toEqual(absent);
    expect(hosts.toValues({ a: "192.0.2.1", deep: null })[1]).toEqual(absent);
    // @ts-expect-error inner is a record
    expect(hosts.toValues({ a: "192.0.2.1", deep: { inner: 5 } })[1]).toEqual(absent);
    expect(hosts.toValues({ a: "192.0.2.1", deep: { inner: { n: 7 } } })[1]).toEqual(LogValues.count(7));
    expect(hosts.fields.map((field) => field.name)).toEqual(["a", "deep.inner.n"]);
    // @ts-expect-error a is required
    expect(() => hosts.toValues({})).toThrow(/column 'a': is required/);
  });
});
