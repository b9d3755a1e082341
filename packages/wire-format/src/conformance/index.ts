/**
 * @zmqc/wire-format/conformance — the conformance vectors (Zeek's upstream test vectors and payloads captured from a
 * real Zeek) and a small runner, so any implementation of these formats, in any language, can check itself.
 *
 * @example
 * ```ts
 * import { commandImplementation, runConformance } from "@zmqc/wire-format/conformance";
 * const results = runConformance(commandImplementation("python3", ["my_codec.py"]));
 * console.log(results.filter((r) => !r.passed));
 * ```
 *
 * @packageDocumentation
 */
export {
  type ConformanceImplementation,
  type ConformanceResult,
  commandImplementation,
  runConformance,
} from "./run.js";
export { type ConformanceVector, conformanceDir, conformanceVectors, vectorBytes } from "./vectors.js";
export { zmqcImplementation } from "./zmqc.js";
