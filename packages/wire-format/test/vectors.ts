import { readFileSync } from "node:fs";

/** One conformance vector (see conformance/vectors.json). */
export interface Vector {
  readonly id: string;
  readonly format: string;
  readonly kind: "event" | "log-batch" | "log-value";
  readonly expect: "roundtrip" | "decode" | "reject";
  readonly source: string;
  readonly description: string;
  readonly hex?: string;
  readonly text?: string;
}

const file = new URL("../conformance/vectors.json", import.meta.url);

/** The conformance vectors, optionally only those of one format and kind. */
export function vectors(filter: Partial<Pick<Vector, "format" | "kind">> = {}): Vector[] {
  const all = (JSON.parse(readFileSync(file, "utf8")) as { vectors: Vector[] }).vectors;
  return all.filter(
    (v) => (!filter.format || v.format === filter.format) && (!filter.kind || v.kind === filter.kind),
  );
}

/** The bytes of a vector. */
export function bytesOf(vector: Vector): Uint8Array {
  return Buffer.from(vector.hex ?? "", "hex");
}

/** The vector with this id; a missing one fails the test that asked for it. */
export function vectorById(id: string): Vector {
  const vector = vectors().find((candidate) => candidate.id === id);
  if (!vector) throw new Error(`no conformance vector '${id}'`);
  return vector;
}
