import { describe, expect, it } from "vitest";
import keys from "../test/fixtures/zeek-curve-keys.json" with { type: "json" };
import { curveKeyBytes, curveKeyProblem } from "./curve-key.js";

describe("curveKeyProblem", () => {
  it("accepts Zeek's fixture keys", () => {
    for (const [name, key] of Object.entries(keys)) {
      if (name.startsWith("$")) continue;
      expect(curveKeyProblem(key), name).toBeUndefined();
    }
  });

  it("rejects a wrong length without showing the key", () => {
    const problem = curveKeyProblem("short-secret");
    expect(problem).toMatch(/40 Z85 characters, this one has 12/);
    expect(problem).not.toContain("short-secret");
  });

  it("rejects characters outside the Z85 alphabet", () => {
    expect(curveKeyProblem(`${keys.serverPublic.slice(0, 39)}"`)).toMatch(/Z85 characters/);
    expect(curveKeyProblem(`${keys.serverPublic.slice(0, 39)}~`)).toMatch(/Z85 characters/);
  });

  it("rejects a group that encodes more than 32 bits", () => {
    // "#####" is 85^5 - 1 > 2^32 - 1.
    expect(curveKeyProblem(`#####${keys.serverPublic.slice(5)}`)).toMatch(/not a valid Z85 encoding/);
  });
});

describe("curveKeyBytes", () => {
  it("decodes Zeek's fixture keys as pyzmq's z85.decode does", () => {
    // Reference bytes from /usr/bin/python3 -c "import zmq.utils.z85 as z; print(z.decode(key).hex())".
    expect(Buffer.from(curveKeyBytes(keys.serverPublic)).toString("hex")).toBe(
      "54fcba24e93249969316fb617c872bb0c1d1ff14800427c594cbfacf1bc2d652",
    );
    expect(Buffer.from(curveKeyBytes(keys.clientPublic)).toString("hex")).toBe(
      "bb88471d65e2659b30c55a5321cebb5aab2b70a398645c26dca2b2fcb43fc518",
    );
  });

  it("throws for a malformed key without showing it", () => {
    expect(() => curveKeyBytes("short-secret")).toThrow(/this one has 12/);
    expect(() => curveKeyBytes("short-secret")).not.toThrow(/short-secret/);
  });
});
