// conformance/captured-zeek-8.2.2-logs.json: zeek-bin-serializer log batches a real Zeek 8.2.2 sent in
// test/zeek-logs.test.ts, in the structure of conformance/vectors.json. The test compares a fresh capture with
// this file; ZMQC_RECAPTURE=1 rewrites it instead.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The file, resolved from this module. */
export const CAPTURED_LOGS_FILE = fileURLToPath(
  new URL("../../conformance/captured-zeek-8.2.2-logs.json", import.meta.url),
);

/** One captured batch; the fields of conformance/vectors.json. */
export interface CapturedLogVector {
  readonly id: string;
  readonly format: "zeek-bin-serializer";
  readonly kind: "log-batch";
  /** roundtrip: our encoder writes the bytes again; decode: we read them but write different bytes. */
  readonly expect: "roundtrip" | "decode";
  readonly source: string;
  readonly description: string;
  readonly hex: string;
}

interface CapturedLogFile {
  readonly $comment: string;
  readonly version: 1;
  readonly vectors: readonly CapturedLogVector[];
}

const COMMENT =
  "zeek-bin-serializer log batches captured from a real Zeek 8.2.2 (ZeroMQ cluster backend) by " +
  "packages/wire-format/test/zeek-logs.test.ts: a Zeek worker and manager PUSH their log writes to the test's " +
  "PULL socket (their LOGGER's $p) and the test saves frame 3 of a message. Same structure as vectors.json. " +
  "expect: roundtrip = decode, then re-encode to the identical bytes; decode = decode only (our re-encoding " +
  "differs). Values that vary per run are fixed in the Zeek script, or normalised as each description says. " +
  "Regenerate with ZMQC_RECAPTURE=1 pnpm exec vitest run --project wire-format test/zeek-logs.test.ts. " +
  "Bytes in lowercase hex.";

/** The saved vectors (an empty list when the file does not exist yet). */
export function readCapturedLogs(): CapturedLogVector[] {
  let text: string;
  try {
    text = readFileSync(CAPTURED_LOGS_FILE, "utf8");
  } catch {
    return [];
  }
  return [...(JSON.parse(text) as CapturedLogFile).vectors];
}

/** Writes the vectors, formatted as biome formats JSON. */
export function writeCapturedLogs(vectors: readonly CapturedLogVector[]): void {
  const file: CapturedLogFile = { $comment: COMMENT, version: 1, vectors };
  writeFileSync(CAPTURED_LOGS_FILE, `${JSON.stringify(file, null, 2)}\n`);
}
