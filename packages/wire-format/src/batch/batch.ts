/**
 * `zmqc-batch-v1`: many events for one topic in one ZeroMQ message, for zmqc-only clusters. Zeek sends one event
 * per message, and so does zmqc by default; a Zeek node that receives this format counts it as a format error, so
 * a publisher batches only where every subscriber is zmqc (SPEC.md, "Event batches").
 *
 * Payload: `u8 version (1)`, `varbyte length + inner format name` (the events' own format, e.g. `broker-bin-v1`),
 * `varbyte count`, then `count × (varbyte length + one event payload in the inner format)`. Varbytes are broker's.
 */

import { readVarbyte } from "../broker-bin/varbyte.js";
import { ByteReader } from "../bytes/reader.js";
import { EncodeError } from "../errors.js";

/** The format name (frame 2) of an event batch. */
export const ZMQC_BATCH_V1 = "zmqc-batch-v1";

/** The version byte at the start of every batch. */
export const VERSION = 1;
/** At most this many events in one batch (a bound for receivers' memory, not a limit anyone should reach). */
export const MAX_BATCH_EVENTS = 65_536;

/** A decoded batch: the inner format and each event's payload (views into the batch's bytes, not copies). */
export interface EventBatch {
  readonly format: string;
  readonly payloads: readonly Uint8Array[];
}

/** Bytes of a varbyte. */
export function varbyteSize(value: number): number {
  let size = 1;
  for (let rest = value >>> 7; rest > 0; rest >>>= 7) size++;
  return size;
}

/** Writes a varbyte at `at`; returns where it ends. */
export function putVarbyte(out: Uint8Array, at: number, value: number): number {
  let rest = value >>> 0;
  let offset = at;
  while (rest > 0x7f) {
    out[offset++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  out[offset++] = rest;
  return offset;
}

/**
 * Packs event payloads (each already encoded in `format`) into one `zmqc-batch-v1` payload, sized once.
 *
 * @throws EncodeError for no events, more than {@link MAX_BATCH_EVENTS}, or an empty format name.
 *
 * @example
 * ```ts
 * const codec = eventCodec("broker-bin-v1");
 * const payload = encodeEventBatch("broker-bin-v1", events.map((event) => codec.encode(event)));
 * socket.send([topic, nodeId, ZMQC_BATCH_V1, payload]);
 * ```
 */
export function encodeEventBatch(format: string, payloads: readonly Uint8Array[]): Uint8Array {
  if (payloads.length === 0 || payloads.length > MAX_BATCH_EVENTS) {
    throw new EncodeError(
      ZMQC_BATCH_V1,
      "out_of_range",
      `a batch holds 1 to ${MAX_BATCH_EVENTS} events, not ${payloads.length}`,
    );
  }
  const name = Buffer.from(format, "utf8");
  if (name.length === 0) throw new EncodeError(ZMQC_BATCH_V1, "bad_value", "the inner format name is empty");
  let size = 1 + varbyteSize(name.length) + name.length + varbyteSize(payloads.length);
  for (const payload of payloads) size += varbyteSize(payload.length) + payload.length;
  const out = new Uint8Array(size);
  out[0] = VERSION;
  let at = putVarbyte(out, 1, name.length);
  out.set(name, at);
  at = putVarbyte(out, at + name.length, payloads.length);
  for (const payload of payloads) {
    at = putVarbyte(out, at, payload.length);
    out.set(payload, at);
    at += payload.length;
  }
  return out;
}

/**
 * Unpacks a `zmqc-batch-v1` payload into its inner format and event payloads, checking every length against the
 * bytes there are (the payloads are views, decoded by the inner format's codec).
 *
 * @throws DecodeError for a wrong version, a truncated or over-long field, no events, or bytes after the last event.
 */
export function decodeEventBatch(bytes: Uint8Array): EventBatch {
  const reader = new ByteReader(bytes, ZMQC_BATCH_V1);
  const version = reader.u8("version");
  if (version !== VERSION)
    reader.fail("bad_value", `version ${version} (this decoder reads version ${VERSION})`, 0);
  const nameLength = readVarbyte(reader, "format name length");
  const name = reader.slice(nameLength, "format name");
  if (nameLength === 0) reader.fail("bad_value", "the inner format name is empty", 1);
  const count = readVarbyte(reader, "event count");
  if (count === 0 || count > MAX_BATCH_EVENTS) {
    reader.fail("bad_length", `a batch holds 1 to ${MAX_BATCH_EVENTS} events, not ${count}`);
  }
  const payloads: Uint8Array[] = [];
  for (let i = 0; i < count; i++)
    payloads.push(reader.slice(readVarbyte(reader, "event length"), "event payload"));
  reader.end();
  return { format: Buffer.from(name).toString("utf8"), payloads };
}
