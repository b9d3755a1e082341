import {
  commandImplementation,
  conformanceVectors,
  runConformance,
  zmqcImplementation,
} from "@zmqc/wire-format/conformance";
import { describe, expect, it } from "vitest";

describe("conformance kit", () => {
  const vectors = conformanceVectors();

  it("ships Zeek's upstream vectors and the captures from a real Zeek", () => {
    const ids = vectors.map((vector) => vector.id);
    expect(ids).toEqual(
      expect.arrayContaining(["zeek/broker-bin-v1/node_status", "zeek/zeek-bin-serializer/my-path"]),
    );
    expect(vectors.some((vector) => vector.source.includes("captured from Zeek 8.2.2"))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const vector of vectors) expect(vector.hex ?? vector.text, vector.id).toBeDefined();
  });

  it("zmqc passes every vector", () => {
    const failures = runConformance(zmqcImplementation(), vectors).filter((result) => !result.passed);
    expect(failures).toEqual([]);
  });

  // The command protocol, checked with programs whose behaviour is known: one that echoes its input (a perfect
  // round trip that never rejects) and one that rejects everything.
  it("runs a program in any language: an echo passes every roundtrip vector and fails every reject vector", () => {
    const results = runConformance(commandImplementation("sh", ["-c", "cat", "echo"]), vectors);
    vectors.forEach((vector, index) => {
      const result = results[index];
      expect(result?.passed, vector.id).toBe(vector.expect !== "reject");
      if (vector.expect === "reject") expect(result?.detail).toBe("decoding succeeded, expected a rejection");
    });
  });

  it("a program that rejects everything passes only the reject vectors, and its error is reported", () => {
    const results = runConformance(
      commandImplementation("sh", ["-c", "echo 'no codec here' >&2; exit 3", "reject"]),
      vectors,
    );
    vectors.forEach((vector, index) => {
      expect(results[index]?.passed, vector.id).toBe(vector.expect === "reject");
    });
    expect(results.find((result) => !result.passed)?.detail).toBe("decoding failed: exit 3: no codec here");
  });
});
