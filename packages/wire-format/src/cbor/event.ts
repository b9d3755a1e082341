import { DecodeError } from "../errors.js";
import type { DecodedEvent, EventMetadataEntry, ZeekEvent } from "../event.js";
import { cborEncoder, readCbor } from "./codec.js";
import { cborToValue, valueToCbor, ZMQC_CBOR_V1 } from "./value.js";

/** Version of the zmqc-cbor-v1 event envelope. */
const ENVELOPE_VERSION = 1;

/**
 * Encodes an event as `zmqc-cbor-v1`: a CBOR map `{ v: 1, name, args: [value…], meta?: [[id, value]…] }` with
 * each value as `[typeTag, …data]`. For clusters of TypeScript services that do not talk to Zeek.
 */
export function encodeCborEvent(event: ZeekEvent): Uint8Array {
  const envelope: Record<string, unknown> = {
    v: ENVELOPE_VERSION,
    name: event.name,
    args: event.args.map((arg) => valueToCbor(arg)),
  };
  if (event.metadata && event.metadata.length > 0) {
    envelope.meta = event.metadata.map(({ id, value }) => [
      id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id,
      valueToCbor(value),
    ]);
  }
  return cborEncoder.encode(envelope);
}

function bad(detail: string): never {
  throw new DecodeError(ZMQC_CBOR_V1, "bad_message", 0, detail);
}

/** Decodes a `zmqc-cbor-v1` event payload; throws only DecodeError. */
export function decodeCborEvent(payload: Uint8Array): DecodedEvent {
  const envelope = readCbor(payload);
  if (typeof envelope !== "object" || envelope === null || Array.isArray(envelope))
    bad("an event is a CBOR map");
  const { v, name, args, meta } = envelope as Record<string, unknown>;
  if (v !== ENVELOPE_VERSION) bad(`envelope version ${String(v)} is not ${ENVELOPE_VERSION}`);
  if (typeof name !== "string") bad("event name is not text");
  if (!Array.isArray(args)) bad("event args is not an array");
  const event: { name: string; args: DecodedEvent["args"]; metadata?: EventMetadataEntry[] } = {
    name,
    args: args.map((arg) => cborToValue(arg)),
  };
  if (meta !== undefined) {
    if (!Array.isArray(meta)) bad("event meta is not an array");
    event.metadata = meta.map((entry): EventMetadataEntry => {
      if (!Array.isArray(entry) || entry.length !== 2) bad("a metadata entry is [id, value]");
      const id = typeof entry[0] === "number" && Number.isSafeInteger(entry[0]) ? BigInt(entry[0]) : entry[0];
      if (typeof id !== "bigint" || id < 0n) bad("a metadata id is a count");
      return { id, value: cborToValue(entry[1]) };
    });
  }
  return event;
}
