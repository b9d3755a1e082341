// conformance/captured-zeek-8.2.2.json: the broker-bin-v1 payloads a real Zeek 8.2.2 wrote in
// test/zeek-events.test.ts, in the structure of conformance/vectors.json. The test compares a fresh capture
// with this file; ZMQC_RECAPTURE=1 rewrites it instead.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The file, resolved from this module. */
export const CAPTURED_FILE = fileURLToPath(
  new URL("../../conformance/captured-zeek-8.2.2.json", import.meta.url),
);

/** One captured payload; the fields of conformance/vectors.json. */
export interface CapturedVector {
  readonly id: string;
  readonly format: "broker-bin-v1";
  readonly kind: "event";
  /** roundtrip: our encoder writes Zeek's bytes again; decode: we read them but write different bytes. */
  readonly expect: "roundtrip" | "decode";
  readonly source: string;
  readonly description: string;
  readonly hex: string;
}

interface CapturedFile {
  readonly $comment: string;
  readonly version: 1;
  readonly vectors: readonly CapturedVector[];
}

const COMMENT =
  "broker-bin-v1 event payloads captured from a real Zeek 8.2.2 (ZeroMQ cluster backend) by " +
  "packages/wire-format/test/zeek-events.test.ts: Zeek publishes test/zeek/scripts/zmqc-values.zeek's values and " +
  "the test saves frame 3 of each message. Same structure as vectors.json. expect: roundtrip = decode, then " +
  "re-encode to the identical bytes; decode = decode only (our re-encoding differs). Regenerate with " +
  "ZMQC_RECAPTURE=1 pnpm exec vitest run --project wire-format test/zeek-events.test.ts. Bytes in lowercase hex.";

/** Whether this run rewrites the file instead of comparing with it. */
export const RECAPTURE =
  process.env.ZMQC_RECAPTURE !== undefined && !["", "0"].includes(process.env.ZMQC_RECAPTURE);

/** The saved vectors (an empty list when the file does not exist yet). */
export function readCaptured(): CapturedVector[] {
  let text: string;
  try {
    text = readFileSync(CAPTURED_FILE, "utf8");
  } catch {
    return [];
  }
  return [...(JSON.parse(text) as CapturedFile).vectors];
}

/** Writes the vectors, formatted as biome formats JSON. */
export function writeCaptured(vectors: readonly CapturedVector[]): void {
  const file: CapturedFile = { $comment: COMMENT, version: 1, vectors };
  writeFileSync(CAPTURED_FILE, `${JSON.stringify(file, null, 2)}\n`);
}
