// The conformance vectors, for this package's own tests (the same files the conformance kit ships).
import { type ConformanceVector, conformanceVectors, vectorBytes } from "../src/conformance/vectors.js";

/** One conformance vector. */
export type Vector = ConformanceVector;

/** The conformance vectors of every file, optionally only those of one format and kind. */
export function vectors(filter: Partial<Pick<Vector, "format" | "kind">> = {}): Vector[] {
  return conformanceVectors().filter(
    (v) => (!filter.format || v.format === filter.format) && (!filter.kind || v.kind === filter.kind),
  );
}

/** The bytes of a vector (text vectors as UTF-8). */
export const bytesOf = vectorBytes;

/** The vector with this id; a missing one fails the test that asked for it. */
export function vectorById(id: string): Vector {
  const vector = vectors().find((candidate) => candidate.id === id);
  if (!vector) throw new Error(`no conformance vector '${id}'`);
  return vector;
}
