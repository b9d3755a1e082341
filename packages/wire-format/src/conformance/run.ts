import { spawnSync } from "node:child_process";
import { type ConformanceVector, conformanceVectors, vectorBytes } from "./vectors.js";

/** An implementation under test. `decode` throws to reject; `encode` re-encodes what `decode` returned. */
export interface ConformanceImplementation {
  decode(vector: ConformanceVector, input: Uint8Array): unknown;
  encode(vector: ConformanceVector, decoded: unknown): Uint8Array;
}

/** The outcome of one vector. */
export interface ConformanceResult {
  readonly id: string;
  readonly passed: boolean;
  /** What went wrong, when it did. */
  readonly detail?: string;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** Runs the vectors against an implementation. Never throws: every failure is a result. */
export function runConformance(
  implementation: ConformanceImplementation,
  vectors: readonly ConformanceVector[] = conformanceVectors(),
): ConformanceResult[] {
  return vectors.map((vector) => {
    const input = vectorBytes(vector);
    let decoded: unknown;
    try {
      decoded = implementation.decode(vector, input);
    } catch (error) {
      return vector.expect === "reject"
        ? { id: vector.id, passed: true }
        : { id: vector.id, passed: false, detail: `decoding failed: ${(error as Error).message}` };
    }
    if (vector.expect === "reject")
      return { id: vector.id, passed: false, detail: "decoding succeeded, expected a rejection" };
    if (vector.expect === "decode") return { id: vector.id, passed: true };
    try {
      const output = implementation.encode(vector, decoded);
      return hex(output) === hex(input)
        ? { id: vector.id, passed: true }
        : { id: vector.id, passed: false, detail: `re-encoded to ${hex(output)}, expected ${hex(input)}` };
    } catch (error) {
      return { id: vector.id, passed: false, detail: `re-encoding failed: ${(error as Error).message}` };
    }
  });
}

/**
 * An implementation in any language, run as a command once per vector:
 * `<command> <expect> <format> <kind>` with the vector's bytes on stdin. It exits 0 when it decoded them (for
 * `roundtrip`, printing its re-encoding to stdout) and non-zero when it rejects them.
 */
export function commandImplementation(
  command: string,
  args: readonly string[] = [],
  timeoutMs = 10_000,
): ConformanceImplementation {
  return {
    decode(vector, input) {
      const result = spawnSync(command, [...args, vector.expect, vector.format, vector.kind], {
        input,
        timeout: timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
      });
      // A program may exit (reject) without reading its input; the broken pipe is not its answer, its status is.
      if (result.error && (result.error as NodeJS.ErrnoException).code !== "EPIPE") throw result.error;
      if (result.status !== 0)
        throw new Error(`exit ${result.status}: ${result.stderr.toString().trim().split("\n")[0] ?? ""}`);
      return result.stdout;
    },
    encode: (_vector, decoded) => decoded as Uint8Array,
  };
}
