import { Decoder, Encoder } from "cbor-x";
import { DecodeError } from "../errors.js";

// Plain CBOR that any decoder reads: no cbor-x record extension (useRecords: false), maps as plain objects,
// map headers sized to their content, 64-bit integers that do not fit a double as bigint (never rounded).
const OPTIONS = {
  useRecords: false,
  mapsAsObjects: true,
  variableMapSize: true,
  int64AsType: "bigint",
  // Byte strings as plain CBOR byte strings, not cbor-x's typed-array tag 64.
  tagUint8Array: false,
} as const;

/** The shared cbor-x encoder (encoders are reusable and keep their scratch buffer warm). */
export const cborEncoder = new Encoder(OPTIONS);
/** The shared cbor-x decoder. */
export const cborDecoder = new Decoder(OPTIONS);

/** The wire name of the CBOR format. */
export const ZMQC_CBOR_V1 = "zmqc-cbor-v1";

/** Parses CBOR; cbor-x's own errors (and a RangeError on absurd nesting) become DecodeErrors. */
export function readCbor(payload: Uint8Array): unknown {
  try {
    return cborDecoder.decode(payload);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new DecodeError(
      ZMQC_CBOR_V1,
      /call stack/i.test(detail) ? "too_deep" : "truncated",
      0,
      `not valid CBOR: ${detail}`,
    );
  }
}
