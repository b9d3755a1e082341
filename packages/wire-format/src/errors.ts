// The same registry-wide marker as @zmqc/config's ZmqcError, so `ZmqcError.is(err, "DECODE")` recognises these
// errors without this package depending on the config package.
const MARKER = Symbol.for("zmqc.error");

/** Why a decoder gave up. */
export type DecodeReason =
  | "truncated"
  | "trailing_bytes"
  | "bad_tag"
  | "bad_length"
  | "bad_value"
  | "too_deep"
  | "bad_frames"
  | "bad_message"
  | "unknown_format";

/** Why an encoder refused a value. */
export type EncodeReason = "out_of_range" | "bad_value" | "too_deep" | "unknown_format";

/**
 * Bytes that are not what the format says: truncated, an unknown tag, a length past the end, too deep, the wrong
 * number of frames. Every decoder throws only this, whatever the input.
 */
export class DecodeError extends Error {
  readonly code = "DECODE" as const;
  readonly retriable = false;
  readonly reason: DecodeReason;
  /** The wire format being decoded, e.g. `broker-bin-v1`, or `frames`. */
  readonly format: string;
  /** Byte offset (or frame index for `bad_frames`) where the problem was found. */
  readonly offset: number;

  constructor(format: string, reason: DecodeReason, offset: number, detail: string) {
    super(`${format}: ${detail} (at ${reason === "bad_frames" ? "frame" : "byte"} ${offset})`);
    this.name = "DecodeError";
    this.format = format;
    this.reason = reason;
    this.offset = offset;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for a DecodeError, even one thrown by another copy of this package. */
  static isDecodeError(value: unknown): value is DecodeError {
    return (
      typeof value === "object" &&
      value !== null &&
      MARKER in value &&
      (value as { code?: unknown }).code === "DECODE"
    );
  }
}

/** A value that cannot be written in the format: a count above 2^64-1, an address that is not one, … */
export class EncodeError extends Error {
  readonly code = "ENCODE" as const;
  readonly retriable = false;
  readonly reason: EncodeReason;
  readonly format: string;

  constructor(format: string, reason: EncodeReason, detail: string) {
    super(`${format}: ${detail}`);
    this.name = "EncodeError";
    this.format = format;
    this.reason = reason;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for an EncodeError, even one thrown by another copy of this package. */
  static isEncodeError(value: unknown): value is EncodeError {
    return (
      typeof value === "object" &&
      value !== null &&
      MARKER in value &&
      (value as { code?: unknown }).code === "ENCODE"
    );
  }
}
