import { isUtf8 } from "node:buffer";
import { utf8 } from "./bytes/writer.js";
import { DecodeError } from "./errors.js";

const FORMAT = "frames";
/** Frame 0 of every log message. */
export const LOG_WRITE_TOPIC = "log-write";

/** An event message: `[topic, sender node id, format, payload]`. */
export interface EventMessage {
  /** Subscriptions prefix-match this frame. */
  readonly topic: string;
  /** The sender's node id; receivers drop messages carrying their own. */
  readonly sender: string;
  /** The payload format, e.g. `broker-bin-v1`. */
  readonly format: string;
  readonly payload: Uint8Array;
}

/** A log message: `["log-write", sender node id, format, payload]`. */
export interface LogMessage {
  readonly sender: string;
  /** The batch format, e.g. `zeek-bin-serializer`. */
  readonly format: string;
  readonly payload: Uint8Array;
}

/** A subscription notification or control frame: `0x01 || prefix` (subscribe) or `0x00 || prefix`. */
export interface SubscriptionFrame {
  readonly subscribe: boolean;
  readonly prefix: string;
}

function text(frame: Uint8Array | undefined, index: number, what: string): string {
  if (frame === undefined) throw new DecodeError(FORMAT, "bad_frames", index, `${what} frame is missing`);
  if (!isUtf8(frame)) throw new DecodeError(FORMAT, "bad_frames", index, `${what} frame is not UTF-8`);
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString("utf8");
}

function expectParts(frames: readonly Uint8Array[], count: number, what: string): void {
  if (frames.length !== count) {
    throw new DecodeError(
      FORMAT,
      "bad_frames",
      frames.length,
      `${what} has ${count} parts, got ${frames.length}`,
    );
  }
}

/** The 4 frames of an event message. */
export function encodeEventFrames(message: EventMessage): Uint8Array[] {
  return [utf8(message.topic), utf8(message.sender), utf8(message.format), message.payload];
}

/** Reads an event message; anything but 4 frames with UTF-8 topic, sender and format is a DecodeError. */
export function decodeEventFrames(frames: readonly Uint8Array[]): EventMessage {
  expectParts(frames, 4, "an event message");
  return {
    topic: text(frames[0], 0, "topic"),
    sender: text(frames[1], 1, "sender"),
    format: text(frames[2], 2, "format"),
    payload: frames[3] as Uint8Array,
  };
}

/** The 4 frames of a log message (frame 0 is `log-write`). */
export function encodeLogFrames(message: LogMessage): Uint8Array[] {
  return [utf8(LOG_WRITE_TOPIC), utf8(message.sender), utf8(message.format), message.payload];
}

/** Reads a log message. Like Zeek it ignores the content of frame 0, but it needs 4 frames. */
export function decodeLogFrames(frames: readonly Uint8Array[]): LogMessage {
  expectParts(frames, 4, "a log message");
  return {
    sender: text(frames[1], 1, "sender"),
    format: text(frames[2], 2, "format"),
    payload: frames[3] as Uint8Array,
  };
}

/** `0x01 || prefix` to subscribe, `0x00 || prefix` to unsubscribe (the raw XSUB API Zeek uses). */
export function encodeSubscription(prefix: string, subscribe = true): Uint8Array {
  const body = utf8(prefix);
  const frame = new Uint8Array(body.length + 1);
  frame[0] = subscribe ? 1 : 0;
  frame.set(body, 1);
  return frame;
}

/** Reads a subscription frame from an XPUB; a first byte other than 0 or 1 is a DecodeError (Zeek ignores it). */
export function decodeSubscription(frame: Uint8Array): SubscriptionFrame {
  const kind = frame[0];
  if (kind !== 0 && kind !== 1) {
    throw new DecodeError(
      FORMAT,
      "bad_frames",
      0,
      kind === undefined ? "empty subscription frame" : `subscription frame starts with ${kind}, not 0 or 1`,
    );
  }
  return { subscribe: kind === 1, prefix: text(frame.subarray(1), 0, "subscription prefix") };
}
