import { describe, expect, it } from "vitest";
import keys from "../test/fixtures/zeek-curve-keys.json" with { type: "json" };
import { curveKeyProblem } from "./curve-key.js";

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
