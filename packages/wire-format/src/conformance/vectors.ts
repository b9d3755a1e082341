import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One conformance vector: bytes (or text) in a format, and what an implementation must do with them. */
export interface ConformanceVector {
  readonly id: string;
  /** The wire format, e.g. `broker-bin-v1`, `zeek-bin-serializer`. */
  readonly format: string;
  /** `event` (a whole event payload), `log-batch` (a whole log batch), `log-value` (one log value). */
  readonly kind: "event" | "log-batch" | "log-value";
  /** `roundtrip`: decode, re-encode to the identical bytes; `decode`: decode only; `reject`: decoding must fail. */
  readonly expect: "roundtrip" | "decode" | "reject";
  readonly source: string;
  readonly description: string;
  /** The bytes, lowercase hex (binary formats). */
  readonly hex?: string;
  /** The text (JSON formats). */
  readonly text?: string;
}

// The vector files sit in the package's conformance/ folder: two levels up from src/conformance/, one from dist/.
const CANDIDATES = ["../../conformance/", "../conformance/"].map((path) => new URL(path, import.meta.url));

/** The folder holding the vector files. */
export function conformanceDir(): string {
  const found = CANDIDATES.find((url) => existsSync(new URL("vectors.json", url)));
  if (!found)
    throw new Error("the conformance vector files are missing from this installation of @zmqc/wire-format");
  return fileURLToPath(found);
}

/** Every conformance vector: Zeek's upstream vectors and the payloads captured from a real Zeek. */
export function conformanceVectors(): ConformanceVector[] {
  const dir = conformanceDir();
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .flatMap(
      (file) =>
        (JSON.parse(readFileSync(`${dir}/${file}`, "utf8")) as { vectors: ConformanceVector[] }).vectors,
    );
}

/** The input of a vector as bytes (text vectors as UTF-8). */
export function vectorBytes(vector: ConformanceVector): Uint8Array {
  return vector.hex !== undefined ? Buffer.from(vector.hex, "hex") : Buffer.from(vector.text ?? "", "utf8");
}
