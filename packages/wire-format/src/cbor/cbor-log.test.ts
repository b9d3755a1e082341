import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesOf, vectorById } from "../../test/vectors.js";
import { DecodeError } from "../errors.js";
import { decodeLogMessage, logCodec } from "../registry.js";
import { LogValues, logField } from "../zeek-log/build.js";
import { decodeZeekLogBatch } from "../zeek-log/decode.js";
import { encodeZeekLogBatch } from "../zeek-log/encode.js";
import { logBatch } from "../zeek-log/test-arbitraries.js";
import { cborEncoder } from "./codec.js";
import { decodeCborLogBatch, encodeCborLogBatch } from "./log.js";

describe("zmqc-cbor-v1 log batches", () => {
  it("carry Zeek's doctest batch and the real Zeek capture unchanged, and convert back to Zeek's exact bytes", () => {
    for (const id of ["zeek/zeek-bin-serializer/my-path", "zmqc/zeek-bin-serializer/zeek-8.2.2-every-type"]) {
      const bytes = bytesOf(vectorById(id));
      const { trailingBytes: _ignored, ...batch } = decodeZeekLogBatch(bytes);
      const viaCbor = decodeCborLogBatch(encodeCborLogBatch(batch));
      expect(viaCbor, id).toEqual(batch);
      expect(Buffer.from(encodeZeekLogBatch(viaCbor)).toString("hex"), id).toBe(
        Buffer.from(bytes).toString("hex"),
      );
    }
  });

  it("is plain CBOR: fields as [name, type, subtype, optional], values as [tag, subtype, data…]", () => {
    const batch = {
      stream: "Conn::LOG",
      writer: "Log::WRITER_ASCII",
      filter: "default",
      path: "conn",
      fields: [logField("id.orig_p", "port"), logField("service", "string", { optional: true })],
      records: [[LogValues.port(443, "tcp"), LogValues.absent("string")]],
    };
    expect(cborEncoder.decode(encodeCborLogBatch(batch))).toEqual({
      v: 1,
      stream: "Conn::LOG",
      writer: "Log::WRITER_ASCII",
      filter: "default",
      path: "conn",
      fields: [
        ["id.orig_p", 10, 0, false],
        ["service", 7, 0, true],
      ],
      records: [
        [
          [10, 0, 443, 1],
          [7, 0],
        ],
      ],
    });
  });

  it("round-trips every batch", () => {
    fc.assert(
      fc.property(logBatch, (batch) => {
        expect(decodeCborLogBatch(encodeCborLogBatch(batch))).toEqual(batch);
      }),
      { numRuns: 200 },
    );
  });

  it("is in the log format registry; garbage is only DecodeError", () => {
    expect(logCodec("zmqc-cbor-v1").format).toBe("zmqc-cbor-v1");
    expect(() => logCodec("zeek-bin-v2")).toThrow(expect.objectContaining({ reason: "unknown_format" }));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
        try {
          decodeLogMessage({ sender: "s", format: "zmqc-cbor-v1", payload: bytes });
        } catch (error) {
          expect(DecodeError.isDecodeError(error)).toBe(true);
        }
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
