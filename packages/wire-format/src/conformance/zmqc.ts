import type { DecodedEvent } from "../event.js";
import { eventCodec } from "../registry.js";
import { decodeZeekLogBatch, decodeZeekLogValue } from "../zeek-log/decode.js";
import { encodeZeekLogBatch, encodeZeekLogValue } from "../zeek-log/encode.js";
import type { LogBatch, LogValue } from "../zeek-log/model.js";
import type { ConformanceImplementation } from "./run.js";

/** zmqc's own codecs as a conformance implementation (what `zmqc-wire-conformance --self` checks). */
export function zmqcImplementation(): ConformanceImplementation {
  return {
    decode(vector, input) {
      switch (vector.kind) {
        case "event":
          return eventCodec(vector.format).decode(input);
        case "log-batch":
          return decodeZeekLogBatch(input);
        case "log-value":
          return decodeZeekLogValue(input);
      }
    },
    encode(vector, decoded) {
      switch (vector.kind) {
        case "event":
          return eventCodec(vector.format).encode(decoded as DecodedEvent);
        case "log-batch":
          return encodeZeekLogBatch(decoded as LogBatch);
        case "log-value":
          return encodeZeekLogValue(decoded as LogValue);
      }
    },
  };
}
